package io.github.lockstep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checking of {@link AsyncCondition} over its own lock with Lincheck: acquire, release,
 * await, signal, signalAll and cancel, in every interleaving Lincheck explores, must match a
 * sequential run of {@link ConditionSpec}, a condition variable written without futures.
 *
 * <p>Each thread owns a slot with the future of what it waits for or holds: a lock acquisition or
 * a condition wait. A done future means the thread holds the lock (a condition wait completes
 * only holding it, also when cancelled). {@code release} says how the thread came to hold it:
 * {@link #ACQUIRED} by an acquisition, {@link #SIGNALLED} by a wait that was signalled,
 * {@link #CANCELLED} by a wait that was cancelled (its future failed); {@link #NOT_HELD} if it
 * holds nothing. So the results check, through linearizability, FIFO hand-off of the lock,
 * FIFO signalling, that a cancelled wait still re-acquires the lock, and that a wait cancelled
 * after its signal passes the signal on (gh-112202). At the end ({@link ConditionModel#check()}):
 * at most one holder, the lock held exactly when some slot holds it, every pending future
 * queued on the lock or the condition, nobody queued on a free lock, and no withdrawn acquisition
 * granted.
 *
 * <p>It found two departures from the contract, both fixed: a {@code cancel} that lost to the
 * re-acquisition returned {@code false} while the wait's future was not yet done (the thread that
 * re-acquired had decided, not completed); and a cancelled wait, between leaving the condition and
 * calling the lock's {@code acquire}, could be overtaken by a wait signalled after it left.
 *
 * <p>Thread ids come from {@link ThreadIdGen} as in {@link PermitModel}. Timed waits are not
 * modelled: Lincheck has no clock, and what a timeout does (take the wait out of the queue and
 * re-acquire) is what a cancel of a waiting wait does, with a different result.
 */
class ConditionModelCheckingTests {

	static final int NOT_HELD = 0;

	static final int ACQUIRED = 1;

	static final int SIGNALLED = 2;

	static final int CANCELLED = 3;

	private static final int SLOTS = PermitModel.THREADS + 2;

	@Test
	void conditionOperationsMatchASequentialConditionInEveryExploredInterleaving() {
		PermitModel
			.options(ConditionSpec.class, 5, 250, signalRacingCancel(), cancelAfterSignalPassesItOn(),
					awaitRacingSignalAll(), releaseRacingCancelOfAWaitOnAFreeLock())
			.check(ConditionModel.class);
	}

	/** Thread 1 waits, thread 2 holds and signals while thread 1 cancels: one of them wins, the lock is kept. */
	private static ExecutionScenario signalRacingCancel() {
		return PermitModel.scenario(List.of(actor("acquire", 1), actor("await", 1), actor("acquire", 2)),
				List.of(List.of(actor("cancel", 1), actor("release", 1)),
						List.of(actor("signal", 2), actor("release", 2)), List.of(actor("waiting"), actor("isLocked"))),
				List.of(actor("release", 1), actor("isLocked"), actor("waiting")));
	}

	/**
	 * Threads 1 and 2 wait; thread 3 signals one of them and thread 1 cancels, racing: if the
	 * signal took thread 1, its cancel passes it on to thread 2.
	 */
	private static ExecutionScenario cancelAfterSignalPassesItOn() {
		return PermitModel.scenario(
				List.of(actor("acquire", 1), actor("await", 1), actor("acquire", 2), actor("await", 2),
						actor("acquire", 3)),
				List.of(List.of(actor("cancel", 1), actor("release", 1)), List.of(actor("release", 2)),
						List.of(actor("signal", 3), actor("release", 3))),
				List.of(actor("release", 1), actor("release", 2), actor("waiting"), actor("isLocked")));
	}

	/** Thread 1 starts to wait while thread 2 signals all and thread 3 queues for the lock and gives up. */
	private static ExecutionScenario awaitRacingSignalAll() {
		return PermitModel.scenario(List.of(actor("acquire", 1)),
				List.of(List.of(actor("await", 1), actor("release", 1)),
						List.of(actor("acquire", 2), actor("signalAll", 2), actor("release", 2)),
						List.of(actor("acquire", 3), actor("cancel", 3), actor("release", 3))),
				List.of(actor("release", 1), actor("release", 2), actor("isLocked"), actor("waiting")));
	}

	/** Thread 1's wait is cancelled while thread 2 releases the lock and thread 3 takes it. */
	private static ExecutionScenario releaseRacingCancelOfAWaitOnAFreeLock() {
		return PermitModel.scenario(List.of(actor("acquire", 1), actor("await", 1), actor("acquire", 2)),
				List.of(List.of(actor("cancel", 1), actor("release", 1)), List.of(actor("release", 2)),
						List.of(actor("acquire", 3), actor("release", 3))),
				List.of(actor("release", 1), actor("release", 3), actor("isLocked"), actor("waiting")));
	}

	private static Actor actor(String name, Object... args) {
		return PermitModel.actor(ConditionModel.class, name, args);
	}

	/** The Lincheck test subject: a condition with its own lock, and the future each thread owns. */
	@Param(name = "thread", gen = ThreadIdGen.class)
	public static class ConditionModel {

		private final AsyncCondition condition = AsyncCondition.create("model");

		private final CompletableFuture<?>[] slots = new CompletableFuture<?>[SLOTS];

		/** Whether the slot holds a condition wait rather than a lock acquisition. */
		private final boolean[] waits = new boolean[SLOTS];

		/** Acquisitions whose cancel returned true: they must stay cancelled. */
		private final List<CompletableFuture<?>> withdrawn = new ArrayList<>();

		@Operation(params = "thread")
		public void acquire(int thread) {
			if (this.slots[thread] == null) {
				this.slots[thread] = this.condition.acquire();
				this.waits[thread] = false;
			}
		}

		@Operation(params = "thread")
		public int release(int thread) {
			CompletableFuture<?> held = this.slots[thread];
			if (held == null || !held.isDone()) {
				return NOT_HELD;
			}
			int how = how(thread, held);
			this.slots[thread] = null;
			this.condition.release();
			return how;
		}

		@Operation(params = "thread")
		public boolean await(int thread) {
			if (!holds(thread)) {
				return false;
			}
			this.slots[thread] = this.condition.await();
			this.waits[thread] = true;
			return true;
		}

		@Operation(params = "thread")
		public boolean signal(int thread) {
			if (!holds(thread)) {
				return false;
			}
			this.condition.signal();
			return true;
		}

		@Operation(params = "thread")
		public boolean signalAll(int thread) {
			if (!holds(thread)) {
				return false;
			}
			this.condition.signalAll();
			return true;
		}

		/**
		 * Cancels what the thread waits for. A lock acquisition is withdrawn; a condition wait is
		 * only asked to end, and stays in the slot until it holds the lock again.
		 */
		@Operation(params = "thread")
		public boolean cancel(int thread) {
			CompletableFuture<?> future = this.slots[thread];
			if (future == null) {
				return false;
			}
			boolean won = future.cancel(false);
			if (won && !this.waits[thread]) {
				check(future.isCancelled(), () -> "cancel returned true but the acquisition is " + future);
				this.withdrawn.add(future);
				this.slots[thread] = null;
			}
			return won;
		}

		@Operation
		public boolean isLocked() {
			return this.condition.isLocked();
		}

		/** Waits not yet signalled, cancelled or timed out: the condition's queue. */
		@Operation
		public int waiting() {
			return this.condition.queueLength();
		}

		private boolean holds(int thread) {
			CompletableFuture<?> future = this.slots[thread];
			return future != null && future.isDone();
		}

		private int how(int thread, CompletableFuture<?> held) {
			if (!this.waits[thread]) {
				check(!held.isCompletedExceptionally(), () -> "a granted acquisition failed: " + held);
				return ACQUIRED;
			}
			if (!held.isCompletedExceptionally()) {
				return SIGNALLED;
			}
			Throwable failure = held.handle((value, ex) -> ex).join();
			check(failure instanceof CancellationException, () -> "a wait failed with " + failure);
			return CANCELLED;
		}

		/** Invariants once every thread is done; see the class Javadoc. */
		@Validate
		public void check() {
			int held = 0;
			int pending = 0;
			for (CompletableFuture<?> future : this.slots) {
				if (future != null) {
					if (future.isDone()) {
						held++;
					}
					else {
						pending++;
					}
				}
			}
			int holders = held;
			int queued = this.condition.lock().queueLength() + this.condition.queueLength();
			int waiting = pending;
			check(holders <= 1, () -> holders + " threads hold the lock in " + this);
			check(this.condition.isLocked() == (holders == 1),
					() -> "locked: " + this.condition.isLocked() + " with " + holders + " holders in " + this);
			check(queued == waiting, () -> queued + " queued but " + waiting + " futures pending in " + this);
			check(holders == 1 || this.condition.lock().queueLength() == 0,
					() -> "waiters queued on a free lock in " + this);
			for (CompletableFuture<?> future : this.withdrawn) {
				check(future.isCancelled(), () -> "a withdrawn acquisition was granted: " + future);
			}
		}

		@Override
		public String toString() {
			return "ConditionModel" + Arrays.toString(this.slots) + " " + this.condition + " " + this.condition.lock();
		}

		private static void check(boolean condition, Supplier<String> message) {
			if (!condition) {
				throw new AssertionError(message.get());
			}
		}

	}

	/**
	 * A condition variable over a fair lock, sequentially. The lock has one holder and a FIFO of
	 * threads waiting for it; the condition a FIFO of threads waiting for a signal. A signal (or a
	 * cancel, of a wait not yet signalled) moves a wait to the lock's queue, or gives it the lock
	 * at once if it is free; whoever gets the lock after a cancel that followed its signal signals
	 * the next wait.
	 */
	public static class ConditionSpec {

		private static final int NONE = 0;

		private static final int ACQUIRING = 1;

		private static final int HOLDING = 2;

		private static final int WAITING = 3;

		private static final int REACQUIRING = 4;

		private final int[] phases = new int[SLOTS];

		private final boolean[] waits = new boolean[SLOTS];

		private final boolean[] signalled = new boolean[SLOTS];

		private final boolean[] cancelled = new boolean[SLOTS];

		private final ArrayDeque<Integer> lockQueue = new ArrayDeque<>();

		private final ArrayDeque<Integer> conditionQueue = new ArrayDeque<>();

		private int holder = -1;

		public void acquire(int thread) {
			if (this.phases[thread] != NONE) {
				return;
			}
			this.waits[thread] = false;
			this.phases[thread] = ACQUIRING;
			queueForTheLock(thread);
		}

		public int release(int thread) {
			if (this.phases[thread] != HOLDING) {
				return NOT_HELD;
			}
			int how = !this.waits[thread] ? ACQUIRED : this.cancelled[thread] ? CANCELLED : SIGNALLED;
			this.phases[thread] = NONE;
			this.waits[thread] = false;
			this.signalled[thread] = false;
			this.cancelled[thread] = false;
			handOff();
			return how;
		}

		public boolean await(int thread) {
			if (this.phases[thread] != HOLDING) {
				return false;
			}
			this.waits[thread] = true;
			this.signalled[thread] = false;
			this.cancelled[thread] = false;
			this.phases[thread] = WAITING;
			this.conditionQueue.add(thread);
			handOff();
			return true;
		}

		public boolean signal(int thread) {
			if (this.phases[thread] != HOLDING) {
				return false;
			}
			wake(1);
			return true;
		}

		public boolean signalAll(int thread) {
			if (this.phases[thread] != HOLDING) {
				return false;
			}
			wake(Integer.MAX_VALUE);
			return true;
		}

		public boolean cancel(int thread) {
			switch (this.phases[thread]) {
				case ACQUIRING -> {
					this.lockQueue.remove(thread);
					this.phases[thread] = NONE;
					return true;
				}
				case WAITING -> {
					this.conditionQueue.remove(thread);
					this.cancelled[thread] = true;
					this.phases[thread] = REACQUIRING;
					queueForTheLock(thread);
					return true;
				}
				case REACQUIRING -> {
					this.cancelled[thread] = true;
					return true;
				}
				default -> {
					return false;
				}
			}
		}

		public boolean isLocked() {
			return this.holder >= 0;
		}

		public int waiting() {
			return this.conditionQueue.size();
		}

		private void wake(int n) {
			for (int woken = 0; woken < n && !this.conditionQueue.isEmpty(); woken++) {
				int thread = this.conditionQueue.poll();
				this.signalled[thread] = true;
				this.phases[thread] = REACQUIRING;
				queueForTheLock(thread);
			}
		}

		private void queueForTheLock(int thread) {
			if (this.holder < 0) {
				grant(thread);
			}
			else {
				this.lockQueue.add(thread);
			}
		}

		private void handOff() {
			this.holder = -1;
			Integer next = this.lockQueue.poll();
			if (next != null) {
				grant(next);
			}
		}

		private void grant(int thread) {
			this.holder = thread;
			this.phases[thread] = HOLDING;
			if (this.waits[thread] && this.cancelled[thread] && this.signalled[thread]) {
				wake(1);
			}
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof ConditionSpec spec && spec.holder == this.holder
					&& Arrays.equals(spec.phases, this.phases) && Arrays.equals(spec.waits, this.waits)
					&& Arrays.equals(spec.signalled, this.signalled) && Arrays.equals(spec.cancelled, this.cancelled)
					&& Arrays.equals(spec.lockQueue.toArray(), this.lockQueue.toArray())
					&& Arrays.equals(spec.conditionQueue.toArray(), this.conditionQueue.toArray());
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.holder, Arrays.hashCode(this.phases), Arrays.hashCode(this.waits),
					Arrays.hashCode(this.signalled), Arrays.hashCode(this.cancelled),
					Arrays.hashCode(this.lockQueue.toArray()), Arrays.hashCode(this.conditionQueue.toArray()));
		}

	}

}
