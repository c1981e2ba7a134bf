package io.github.lockstep;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads waiting on one {@link AsyncEvent} with plain, timed and {@code orTimeout} waits and
 * random cancellations while one thread sets and clears it. A queued wait completes normally only
 * after a {@code set()} started, nobody stays queued once {@code set()} returns, and the last
 * {@code set()} ends every wait that did not give up.
 */
class EventStressTests {

	private static final int WAITER_THREADS = 5;

	private static final int OPS_PER_WAITER = 40_000;

	private static final int MAX_TOGGLES = 200_000;

	private final StressSupport support = new StressSupport();

	private final AsyncEvent event = AsyncEvent.create("stress-event");

	/** Odd from just before a {@code set()} until just after the {@code clear()} that follows. */
	private final AtomicLong phase = new AtomicLong();

	private final AtomicInteger waitersRunning = new AtomicInteger(WAITER_THREADS);

	private final LongAdder queuedAndSet = new LongAdder();

	private final LongAdder cancelled = new LongAdder();

	private final List<List<Waiting>> perWorker = new ArrayList<>();

	@Test
	void queuedWaitsCompleteOnlyBySetAndTheLastSetEndsEveryWait() throws InterruptedException {
		run();
	}

	/** The same with a probe that throws from every third call. */
	@Test
	void queuedWaitsCompleteOnlyBySetAndTheLastSetEndsEveryWaitWhenTheProbeOftenThrows()
			throws InterruptedException {
		FlakyProbe probe = new FlakyProbe();
		((Instrumented) this.event).probe(probe);
		try (ProbeFailureLog log = ProbeFailureLog.open()) {
			run();
			assertThat(probe.thrown()).isPositive();
			assertThat(log.records()).hasSize(1);
		}
	}

	private void run() throws InterruptedException {
		List<Runnable> bodies = new ArrayList<>();
		SplittableRandom setterRandom = this.support.split();
		bodies.add(() -> toggle(setterRandom));
		for (int i = 0; i < WAITER_THREADS; i++) {
			SplittableRandom random = this.support.split();
			List<Waiting> waits = new ArrayList<>();
			this.perWorker.add(waits);
			bodies.add(() -> {
				try {
					waitMany(random, waits);
				}
				finally {
					this.waitersRunning.decrementAndGet();
				}
			});
		}
		this.support.runWorkers(WAITER_THREADS + 1, bodies);

		String context = this.support.context();
		this.phase.incrementAndGet();
		this.event.set();
		assertThat(this.event.queueLength()).as("queued after the last set(), %s", context).isZero();
		List<Waiting> all = StressSupport.concat(this.perWorker);
		boolean quiet = StressSupport.settle(() -> all.stream().allMatch((waiting) -> waiting.future.isDone()),
				() -> {
				});
		this.support.assertNoViolations();
		assertThat(quiet).as("every wait ended, %s", context).isTrue();
		// a wait ends normally or gives up; one whose cancel() returned true did not end normally
		assertThat(all.stream().filter((waiting) -> {
			CompletableFuture<Void> future = waiting.future;
			if (future.isCompletedExceptionally()) {
				return !StressSupport.isGiveUp(StressSupport.unwrap(future.handle((ok, ex) -> ex).join()));
			}
			return waiting.cancelledTrue;
		}).limit(5)).as("waits ended wrongly, %s", context).isEmpty();
		assertThat(this.queuedAndSet.sum()).as("queued waits ended by set(), %s", context).isPositive();
		assertThat(this.cancelled.sum()).as("cancelled waits, %s", context).isPositive();
	}

	private void toggle(SplittableRandom random) {
		for (int toggles = 0; toggles < MAX_TOGGLES && this.waitersRunning.get() > 0; toggles++) {
			this.phase.incrementAndGet();
			this.event.set();
			// only this thread clears: nobody can queue while the flag stays set
			int queued = this.event.queueLength();
			if (queued != 0 || !this.event.isSet()) {
				this.support.violation(queued + " still queued right after set()");
			}
			for (int spin = random.nextInt(50); spin > 0; spin--) {
				Thread.onSpinWait();
			}
			this.event.clear();
			this.phase.incrementAndGet();
			for (int spin = random.nextInt(200); spin > 0; spin--) {
				Thread.onSpinWait();
			}
			if (random.nextInt(4) == 0) {
				Thread.yield(); // let waiters queue while the event is clear
			}
		}
	}

	private void waitMany(SplittableRandom random, List<Waiting> waits) {
		List<Waiting> open = new ArrayList<>();
		for (int op = 0; op < OPS_PER_WAITER; op++) {
			StressSupport.pace(op);
			int dice = random.nextInt(10);
			if (dice < 6) {
				Waiting waiting = startWait(random);
				waits.add(waiting);
				if (!waiting.future.isDone()) {
					open.add(waiting);
				}
			}
			else {
				Waiting waiting = StressSupport.takeRandom(open, random);
				if (waiting != null) {
					waiting.cancel();
				}
			}
		}
	}

	private Waiting startWait(SplittableRandom random) {
		long phaseBefore = this.phase.get();
		int how = random.nextInt(3);
		CompletableFuture<Void> future = (how == 1) ? this.event.await(StressSupport.shortTimeout(random))
				: this.event.await();
		if (how == 2) {
			future.orTimeout(random.nextLong(0, 2_000_001), TimeUnit.NANOSECONDS);
		}
		return new Waiting(phaseBefore, future);
	}

	private final class Waiting {

		final long phaseBefore;

		final boolean queued;

		final CompletableFuture<Void> future;

		volatile boolean cancelledTrue;

		Waiting(long phaseBefore, CompletableFuture<Void> future) {
			this.phaseBefore = phaseBefore;
			this.future = future;
			this.queued = !future.isDone();
			future.whenComplete((ok, failure) -> {
				if (failure != null) {
					Throwable cause = StressSupport.unwrap(failure);
					if (!StressSupport.isGiveUp(cause)) {
						EventStressTests.this.support.violation(this + " failed unexpectedly", cause);
					}
					return;
				}
				if (this.cancelledTrue) {
					EventStressTests.this.support.violation(this + " completed after cancel() returned true");
				}
				if (this.queued) {
					EventStressTests.this.queuedAndSet.increment();
					long phaseNow = EventStressTests.this.phase.get();
					// a set() that can complete this wait started after it was read, or was under way
					if (phaseNow == this.phaseBefore && (this.phaseBefore & 1) == 0) {
						EventStressTests.this.support.violation(this + " completed with no set() since it queued");
					}
				}
			});
		}

		void cancel() {
			if (this.future.cancel(false)) {
				this.cancelledTrue = true;
				EventStressTests.this.cancelled.increment();
			}
			else if (!this.future.isDone()) {
				EventStressTests.this.support.violation(this + " cancel() returned false, but not done");
			}
		}

		@Override
		public String toString() {
			return "Waiting[phase " + this.phaseBefore + ", queued " + this.queued + ", " + this.future + "]";
		}

	}

	/**
	 * The event's own timer and {@code orTimeout} both try to withdraw the same wait at the same
	 * moment: the one that loses must not mistake the withdrawn wait for a granted one.
	 */
	@Test
	void timedWaitWhoseOrTimeoutFiresTooNeverCompletesWithoutASet() {
		AsyncEvent event = AsyncEvent.create("stress-two-timeouts");
		for (int round = 0; round < 3; round++) {
			List<CompletableFuture<Void>> waits = StressSupport.raceTwoTimeouts(5_000, event::await);
			assertThat(StressSupport.completedNormally(waits)).as("completed by an event never set, round %d", round)
				.isEmpty();
			assertThat(event.queueLength()).isZero();
		}
	}
}
