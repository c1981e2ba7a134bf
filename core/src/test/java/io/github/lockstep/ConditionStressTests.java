package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads as producers and consumers on one {@link AsyncCondition}: consumers wait with
 * {@code awaitUntil}, {@code await()} and {@code await(Duration)}, some with {@code orTimeout},
 * and are cancelled at random; producers signal one, two or all. The lock is never held by two
 * parties, every wait completes — normally or not — holding the lock, and every hold is released
 * exactly once.
 */
class ConditionStressTests {

	private static final int THREADS = 6;

	private static final int OPS_PER_WORKER = 30_000;

	private final StressSupport support = new StressSupport();

	private final AsyncCondition condition = AsyncCondition.create("stress-condition");

	private final AtomicInteger holders = new AtomicInteger();

	private final LongAdder enters = new LongAdder();

	private final LongAdder leaves = new LongAdder();

	private final LongAdder produced = new LongAdder();

	private final LongAdder consumed = new LongAdder();

	private final LongAdder waitsSignalled = new LongAdder();

	private final LongAdder waitsCancelled = new LongAdder();

	private final LongAdder waitsTimedOut = new LongAdder();

	/** Guarded by the condition's lock: a lost update or a negative count shows a race. */
	private int items;

	private final List<Worker> workers = new ArrayList<>();

	/** The parties not yet seen done, narrowed while the run settles. */
	private List<Party> unfinished = List.of();

	@Test
	void waitsCompleteHoldingTheLockAndEveryHoldIsReleasedOnce() throws InterruptedException {
		run();
	}

	/** The same with a probe that throws from every third call, waits and the own lock's holds alike. */
	@Test
	void waitsCompleteHoldingTheLockAndEveryHoldIsReleasedOnceWhenTheProbeOftenThrows()
			throws InterruptedException {
		FlakyProbe probe = new FlakyProbe();
		((Instrumented) this.condition).probe(probe);
		try (ProbeFailureLog log = ProbeFailureLog.open()) {
			run();
			assertThat(probe.thrown()).isPositive();
			assertThat(log.records()).hasSize(1);
		}
	}

	private void run() throws InterruptedException {
		List<Runnable> bodies = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			Worker worker = new Worker(this.support.split());
			this.workers.add(worker);
			bodies.add(worker::run);
		}
		this.support.runWorkers(THREADS, bodies);
		this.unfinished = parties();
		boolean quiet = StressSupport.settle(() -> isQuiet() || this.support.hasViolations(), this::endEverything);

		String context = this.support.context();
		this.support.assertNoViolations();
		assertThat(quiet).as("settled: %s, lock %s, holders %d, %s", this.condition, this.condition.lock(),
				this.holders.get(), context)
			.isTrue();
		// released once if the lock was acquired; a wait whose cancel() returned true did not end normally
		assertThat(parties().stream()
			.filter((party) -> party.released.get() != (party.acquisition.isCompletedExceptionally() ? 0 : 1)
					|| (party.waitCancelled && !party.wait.isCompletedExceptionally()))
			.limit(5)).as("parties released other than once, or cancelled waits that ended normally, %s", context)
			.isEmpty();
		assertThat(this.enters.sum()).as("lock grants vs releases, %s", context).isEqualTo(this.leaves.sum());
		assertThat(this.items).as("items left, %s", context).isEqualTo(this.produced.sum() - this.consumed.sum());
		assertThat(this.condition.isLocked()).as("locked at the end, %s", context).isFalse();
		assertThat(this.condition.queueLength()).as("condition waiters at the end, %s", context).isZero();
		assertThat(this.condition.lock().queueLength()).as("lock waiters at the end, %s", context).isZero();
		assertThat(this.consumed.sum()).as("consumed, %s", context).isPositive();
		assertThat(this.waitsSignalled.sum()).as("waits ended by a signal, %s", context).isPositive();
		assertThat(this.waitsCancelled.sum()).as("waits cancelled, %s", context).isPositive();
		assertThat(this.waitsTimedOut.sum()).as("waits timed out, %s", context).isPositive();
	}

	private List<Party> parties() {
		return StressSupport.concat(this.workers.stream().map((worker) -> worker.parties).toList());
	}

	private boolean isQuiet() {
		return !this.condition.isLocked() && this.condition.queueLength() == 0 && this.holders.get() == 0
				&& this.workers.stream().allMatch((worker) -> worker.handBack.isEmpty())
				&& this.unfinished.stream().allMatch(Party::isDone);
	}

	/** Hands back what workers still hold and asks every wait still open to end. */
	private void endEverything() {
		while (this.workers.stream().anyMatch((worker) -> !worker.handBack.isEmpty())) {
			this.workers.forEach(Worker::releaseAll);
		}
		this.unfinished = this.unfinished.stream().filter((party) -> !party.isDone()).toList();
		for (Party party : this.unfinished) {
			CompletableFuture<?> wait = party.wait;
			if (wait != null && !wait.isDone()) {
				party.cancelWait();
			}
			else if (!party.acquisition.isDone()) {
				party.acquisition.cancel(false);
			}
		}
	}

	/** Called once the lock is ours: nobody else may hold it. */
	private void enter(Party party, String how) {
		if (!this.condition.isLocked()) {
			this.support.violation(party + " " + how + " completed, but the lock is not held");
		}
		int now = this.holders.incrementAndGet();
		if (now != 1) {
			this.support.violation(now + " holders of the lock after " + how + " of " + party);
		}
		this.enters.increment();
	}

	/** Called just before the lock is given up: by release() or inside await. */
	private void leave() {
		this.holders.decrementAndGet();
		this.leaves.increment();
	}

	private final class Party {

		final Worker owner;

		final boolean producer;

		final int variant;

		final long timeoutNanos;

		final boolean releaseInContinuation;

		final AtomicInteger released = new AtomicInteger();

		volatile CompletableFuture<Void> acquisition;

		volatile CompletableFuture<?> wait;

		volatile boolean waitCancelled;

		volatile boolean waitQueued;

		Party(Worker owner, SplittableRandom random) {
			this.owner = owner;
			this.producer = random.nextInt(3) == 0;
			this.variant = random.nextInt(5);
			this.timeoutNanos = random.nextLong(0, 2_000_001);
			this.releaseInContinuation = random.nextBoolean();
		}

		/** Starts the acquisition; returns {@code false} if a {@code tryAcquire} found the lock taken. */
		boolean start(SplittableRandom random) {
			int how = random.nextInt(10);
			CompletableFuture<Void> future;
			if (how < 2) {
				if (!ConditionStressTests.this.condition.tryAcquire()) {
					return false;
				}
				future = CompletableFuture.completedFuture(null);
			}
			else if (how < 4) {
				future = ConditionStressTests.this.condition.acquire(StressSupport.shortTimeout(random));
			}
			else {
				future = ConditionStressTests.this.condition.acquire();
			}
			this.acquisition = future;
			future.whenComplete((ignored, failure) -> guarded(() -> {
				if (failure != null) {
					checkGaveUp(failure);
				}
				else {
					enter(this, "acquire");
					holding();
				}
			}));
			return true;
		}

		private void holding() {
			AsyncCondition condition = ConditionStressTests.this.condition;
			if (this.producer) {
				ConditionStressTests.this.items++;
				ConditionStressTests.this.produced.increment();
				switch (this.variant) {
					case 0, 1 -> condition.signal();
					case 2 -> condition.signal(2);
					default -> condition.signalAll();
				}
				holdOrRelease();
				return;
			}
			leave(); // await gives the lock up
			CompletableFuture<?> wait = switch (this.variant) {
				case 0, 1 -> condition.awaitUntil(() -> ConditionStressTests.this.items > 0);
				case 2 -> condition.await();
				case 3 -> condition.await(Duration.ofNanos(this.timeoutNanos));
				default -> condition.awaitUntil(() -> ConditionStressTests.this.items > 0)
					.orTimeout(this.timeoutNanos, TimeUnit.NANOSECONDS);
			};
			this.wait = wait;
			this.waitQueued = !wait.isDone();
			wait.whenComplete((result, failure) -> guarded(() -> waited(result, failure)));
		}

		private void waited(Object result, Throwable failure) {
			enter(this, "await");
			if (failure != null) {
				checkGaveUp(failure);
			}
			else if (Boolean.FALSE.equals(result)) {
				ConditionStressTests.this.waitsTimedOut.increment();
			}
			else {
				if (this.waitQueued) {
					ConditionStressTests.this.waitsSignalled.increment();
				}
				boolean until = this.variant != 2 && this.variant != 3;
				if (ConditionStressTests.this.items > 0) {
					ConditionStressTests.this.items--;
					ConditionStressTests.this.consumed.increment();
				}
				else if (until) {
					ConditionStressTests.this.support.violation(this + " awaitUntil completed with no item");
				}
			}
			holdOrRelease();
		}

		private void checkGaveUp(Throwable failure) {
			Throwable cause = StressSupport.unwrap(failure);
			if (!StressSupport.isGiveUp(cause)) {
				ConditionStressTests.this.support.violation(this + " failed unexpectedly", cause);
			}
			if (cause instanceof AcquireTimeoutException && this.wait != null) {
				ConditionStressTests.this.waitsTimedOut.increment();
			}
		}

		void holdOrRelease() {
			if (this.releaseInContinuation) {
				release();
			}
			else {
				this.owner.handBack.add(this);
			}
		}

		void release() {
			if (this.released.incrementAndGet() != 1) {
				ConditionStressTests.this.support.violation(this + " released twice");
			}
			leave();
			try {
				ConditionStressTests.this.condition.release();
			}
			catch (RuntimeException ex) {
				ConditionStressTests.this.support.violation(this + " release failed", ex);
			}
		}

		void cancel(SplittableRandom random) {
			if (this.wait != null) {
				cancelWait();
			}
			else if (this.acquisition.cancel(random.nextBoolean()) && this.wait != null) {
				ConditionStressTests.this.support.violation(this + " waits although its acquisition was cancelled");
			}
		}

		void cancelWait() {
			if (this.wait.cancel(false)) {
				this.waitCancelled = true;
				ConditionStressTests.this.waitsCancelled.increment();
			}
		}

		boolean isDone() {
			CompletableFuture<?> wait = this.wait;
			return this.acquisition.isDone() && (wait == null || wait.isDone());
		}

		private void guarded(Runnable action) {
			try {
				action.run();
			}
			catch (Throwable ex) {
				ConditionStressTests.this.support.violation(this + " continuation failed", ex);
			}
		}

		@Override
		public String toString() {
			return "Party[" + (this.producer ? "producer" : "consumer " + this.variant) + ", acquisition "
					+ this.acquisition + ", wait " + this.wait + ", released " + this.released.get() + "]";
		}

	}

	private final class Worker {

		final SplittableRandom random;

		final List<Party> parties = new ArrayList<>();

		final ConcurrentLinkedQueue<Party> handBack = new ConcurrentLinkedQueue<>();

		private final List<Party> open = new ArrayList<>();

		Worker(SplittableRandom random) {
			this.random = random;
		}

		void run() {
			for (int op = 0; op < OPS_PER_WORKER; op++) {
				StressSupport.pace(op);
				int dice = this.random.nextInt(10);
				if (dice < 5) {
					Party party = new Party(this, this.random);
					if (!party.start(this.random)) {
						continue;
					}
					this.parties.add(party);
					if (!party.isDone()) {
						this.open.add(party);
					}
				}
				else if (dice < 7) {
					Party party = StressSupport.takeRandom(this.open, this.random);
					if (party != null) {
						party.cancel(this.random);
					}
				}
				else {
					Party party = this.handBack.poll();
					if (party != null) {
						party.release();
					}
				}
			}
			releaseAll();
		}

		void releaseAll() {
			for (Party party = this.handBack.poll(); party != null; party = this.handBack.poll()) {
				party.release();
			}
		}

	}

	/**
	 * The condition's own timer and {@code orTimeout} end the same wait at the same moment: it
	 * still completes once, holding the lock, with {@code false} or the timeout.
	 */
	@Test
	void timedWaitWhoseOrTimeoutFiresTooEndsHoldingTheLock() {
		AsyncCondition condition = AsyncCondition.create("stress-two-timeouts");
		AtomicInteger holders = new AtomicInteger();
		AtomicInteger ended = new AtomicInteger();
		int count = 2_000;
		for (int round = 0; round < 3; round++) {
			ended.set(0);
			List<CompletableFuture<Boolean>> waits = StressSupport.raceTwoTimeouts(count, (timeout) -> {
				condition.acquire().join();
				CompletableFuture<Boolean> wait = condition.await(timeout);
				wait.whenComplete((signalled, failure) -> {
					if (!condition.isLocked() || holders.incrementAndGet() != 1) {
						this.support.violation("a wait ended without holding the lock alone: " + wait);
					}
					holders.decrementAndGet();
					condition.release();
					ended.incrementAndGet();
				});
				return wait;
			});
			assertThat(StressSupport.settle(() -> ended.get() == count, () -> {
			})).as("every wait's continuation ran, round %d", round).isTrue();
			this.support.assertNoViolations();
			assertThat(StressSupport.completedNormally(waits)).as("round %d", round)
				.allSatisfy((wait) -> assertThat(wait).isCompletedWithValue(false));
			assertThat(condition.isLocked()).isFalse();
			assertThat(condition.queueLength()).isZero();
		}
	}

}
