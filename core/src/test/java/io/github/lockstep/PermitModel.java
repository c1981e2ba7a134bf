package io.github.lockstep;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jetbrains.lincheck.datastructures.verifier.QuiescentConsistencyVerifier;

/**
 * The Lincheck harness shared by {@link LockModelCheckingTests} and
 * {@link SemaphoreModelCheckingTests}: one {@link AsyncLock} or {@link AsyncSemaphore} plus, for
 * every Lincheck thread, a slot with the future of the acquisition that thread owns (pending or
 * granted). Each operation only looks at its own thread's slot, so none throws in a sequential
 * run: {@code release} releases only what the thread holds and does nothing otherwise.
 *
 * <p>Three properties are checked over the interleavings Lincheck's model checker explores:
 * <ul>
 * <li>every result matches a sequential run of {@link Spec}, an abstract model of the contract
 * (strict FIFO hand-off, no barging, a cancel either withdraws a queued wait or loses to the
 * grant) in an order that respects real time. {@code queueLength()} is only quiescently
 * consistent: a release takes the waiter out of the queue before it completes the waiter's future
 * (outside the internal lock), so for that instant another thread can see the queue shrink while
 * the granted future is not done yet, which is allowed ("an estimate while other threads change
 * it"). Every other operation must be linearizable;</li>
 * <li>each {@code cancel} either wins (the future is cancelled) or loses to the grant (the future
 * is already completed normally when {@code cancel} returns);</li>
 * <li>once all threads are done ({@link #permitsAreConserved()}): free + held == initial permits,
 * every pending future is queued, no permit is free while someone waits, and no cancelled future
 * was granted.</li>
 * </ul>
 *
 * <p>Thread ids come from {@link ThreadIdGen}: 0 in the initial part, 1..{@link #THREADS} in the
 * parallel part, {@link #THREADS} + 1 in the post part.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
public abstract class PermitModel {

	/** Parallel threads of a scenario. */
	static final int THREADS = 3;

	private static final int SLOTS = THREADS + 2;

	private final int permits;

	private final CompletableFuture<?>[] slots = new CompletableFuture<?>[SLOTS];

	/** Per thread, the futures whose {@code cancel} returned true: they must stay cancelled. */
	private final List<List<CompletableFuture<?>>> cancelled = new ArrayList<>();

	protected PermitModel(int permits) {
		this.permits = permits;
		for (int thread = 0; thread < SLOTS; thread++) {
			this.cancelled.add(new ArrayList<>());
		}
	}

	protected abstract boolean primitiveTryAcquire();

	protected abstract CompletableFuture<Void> primitiveAcquire();

	protected abstract void primitiveRelease();

	/** Free permits as the primitive reports them. */
	protected abstract int freePermits();

	protected abstract int waiters();

	/** Takes a permit if one is free and the thread holds nothing; returns whether it did. */
	@Operation(params = "thread")
	public boolean tryAcquire(int thread) {
		if (this.slots[thread] != null || !primitiveTryAcquire()) {
			return false;
		}
		this.slots[thread] = CompletableFuture.completedFuture(null);
		return true;
	}

	/** Acquires, possibly queueing, if the thread holds nothing; the future goes in its slot. */
	@Operation(params = "thread")
	public void acquire(int thread) {
		if (this.slots[thread] == null) {
			this.slots[thread] = primitiveAcquire();
		}
	}

	/** Releases the thread's permit if its acquisition has been granted; returns whether it did. */
	@Operation(params = "thread")
	public boolean release(int thread) {
		CompletableFuture<?> held = this.slots[thread];
		if (held == null || !held.isDone()) {
			return false;
		}
		check(!held.isCompletedExceptionally(), () -> "a future in a slot failed: " + held);
		this.slots[thread] = null;
		primitiveRelease();
		return true;
	}

	/**
	 * Cancels the thread's acquisition; returns whether the cancel won. If it lost, the future
	 * must be granted already: the thread holds the permit.
	 */
	@Operation(params = "thread")
	public boolean cancel(int thread) {
		CompletableFuture<?> future = this.slots[thread];
		if (future == null) {
			return false;
		}
		boolean won = future.cancel(false);
		if (won) {
			check(future.isCancelled(), () -> "cancel returned true but the future is " + future);
			this.cancelled.get(thread).add(future);
			this.slots[thread] = null;
		}
		else {
			check(future.isDone() && !future.isCompletedExceptionally(),
					() -> "cancel returned false but the future was not granted: " + future);
		}
		return won;
	}

	/** Invariants once every thread is done; see the class Javadoc. */
	@Validate
	public void permitsAreConserved() {
		int held = 0;
		int pending = 0;
		for (CompletableFuture<?> future : this.slots) {
			if (future == null) {
				continue;
			}
			if (future.isDone()) {
				check(!future.isCompletedExceptionally(), () -> "a future in a slot failed: " + future);
				held++;
			}
			else {
				pending++;
			}
		}
		for (List<CompletableFuture<?>> futures : this.cancelled) {
			for (CompletableFuture<?> future : futures) {
				check(future.isCancelled(), () -> "a cancelled future was granted: " + future);
			}
		}
		checkCounts(freePermits(), held, pending, waiters());
	}

	private void checkCounts(int free, int held, int pending, int queued) {
		check(held <= this.permits, () -> "more holders than permits: " + held + " > " + this.permits);
		check(free + held == this.permits,
				() -> "permits not conserved: " + free + " free + " + held + " held in " + this);
		check(queued == pending, () -> queued + " queued but " + pending + " futures pending in " + this);
		check(pending == 0 || free == 0, () -> free + " permits free while " + pending + " wait in " + this);
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + Arrays.toString(this.slots);
	}

	/** Fails with the message, built only then: {@code toString} of a future is costly under Lincheck. */
	private static void check(boolean condition, Supplier<String> message) {
		if (!condition) {
			throw new AssertionError(message.get());
		}
	}

	// --- options and hand-written scenarios

	/**
	 * Model checking against {@code spec}: the hand-written scenarios first, then
	 * {@code iterations} random ones of {@link #THREADS} threads; each scenario explores at most
	 * {@code invocations} interleavings (Lincheck's seeds are fixed, so the runs are repeatable).
	 * Random scenarios have no initial part: it would run as thread 0, whose permits no parallel
	 * thread could release. The hand-written ones start from held and queued permits by naming
	 * the parallel threads in their initial part.
	 */
	static ModelCheckingOptions options(Class<?> spec, int iterations, int invocations,
			ExecutionScenario... custom) {
		ModelCheckingOptions options = new ModelCheckingOptions().sequentialSpecification(spec)
			.verifier(QuiescentConsistencyVerifier.class)
			.iterations(iterations)
			.invocationsPerIteration(invocations)
			.threads(THREADS)
			.actorsPerThread(3)
			.actorsBefore(0)
			.actorsAfter(2)
			// an acquire that finds the permit held reads the state up to ACQUIRE_SPINS times before
			// it queues (the time bound never ends it here: the model checker's clock stands still)
			.loopBound(2 * PermitSync.ACQUIRE_SPINS);
		for (ExecutionScenario scenario : custom) {
			options = options.addCustomScenario(scenario);
		}
		return options;
	}

	/** A scenario; thread ids in the arguments say whose slot each operation uses. */
	static ExecutionScenario scenario(List<Actor> initial, List<List<Actor>> parallel, List<Actor> post) {
		return new ExecutionScenario(initial, parallel, post, null);
	}

	/** The operation {@code name} of {@code model} with the given arguments. */
	static Actor actor(Class<?> model, String name, Object... args) {
		for (Method method : model.getMethods()) {
			if (method.getName().equals(name) && method.getParameterCount() == args.length
					&& method.isAnnotationPresent(Operation.class)) {
				return new Actor(method, Arrays.asList(args));
			}
		}
		throw new IllegalArgumentException("No operation " + name + "/" + args.length + " in " + model);
	}

	/**
	 * The sequential specification: what a fair semaphore of {@code permits} does, written
	 * without futures. Free permits and waiters never coexist; a release hands its permit to the
	 * longest waiting thread; a cancel withdraws a queued wait and does nothing to a granted one.
	 * (With Lincheck's default, the tested class run sequentially, a LIFO queue would match
	 * itself.)
	 */
	public abstract static class Spec {

		private static final int NONE = 0;

		private static final int HELD = 1;

		private static final int PENDING = 2;

		private final int[] slots = new int[SLOTS];

		private final ArrayDeque<Integer> queue = new ArrayDeque<>();

		private int free;

		protected Spec(int permits) {
			this.free = permits;
		}

		public boolean tryAcquire(int thread) {
			if (this.slots[thread] != NONE || this.free == 0) {
				return false;
			}
			this.free--;
			this.slots[thread] = HELD;
			return true;
		}

		public void acquire(int thread) {
			if (this.slots[thread] != NONE) {
				return;
			}
			if (this.free > 0) {
				this.free--;
				this.slots[thread] = HELD;
			}
			else {
				this.slots[thread] = PENDING;
				this.queue.add(thread);
			}
		}

		public boolean release(int thread) {
			if (this.slots[thread] != HELD) {
				return false;
			}
			this.slots[thread] = NONE;
			Integer next = this.queue.poll();
			if (next != null) {
				this.slots[next] = HELD;
			}
			else {
				this.free++;
			}
			return true;
		}

		public boolean cancel(int thread) {
			if (this.slots[thread] != PENDING) {
				return false;
			}
			this.queue.remove(thread);
			this.slots[thread] = NONE;
			return true;
		}

		public boolean isLocked() {
			return this.free == 0;
		}

		public int availablePermits() {
			return this.free;
		}

		public int queueLength() {
			return this.queue.size();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Spec spec && spec.getClass() == getClass() && spec.free == this.free
					&& Arrays.equals(spec.slots, this.slots)
					&& Arrays.equals(spec.queue.toArray(), this.queue.toArray());
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.free, Arrays.hashCode(this.slots), Arrays.hashCode(this.queue.toArray()));
		}

	}

}
