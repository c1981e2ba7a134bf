package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads acquiring, timing out, cancelling and releasing on an instrumented lock and
 * semaphore, checking that the probe's account matches what the futures show: every wait that
 * started ended exactly once with its own token; a wait ended
 * {@code ACQUIRED} exactly when its future completed normally; the waits that were not reported
 * are exactly the acquisitions granted at once; and a lock's holds start and end once per grant
 * and release.
 *
 * <p>Each acquisition is tied to its token: {@code waitStarted} runs on the acquiring thread,
 * inside {@code acquire}, so the probe keeps the last token per thread and the worker reads it
 * when {@code acquire} returns. The one label that may differ from the future is a cancel racing
 * a timeout (both fail the wait; the probe hears the first, the future keeps the first to land):
 * it is allowed only for waits that the worker did cancel, and both labels are failures.
 */
class ProbeStressTests {

	@Test
	void semaphoreWaitsEachEndOnceWithTheOutcomeTheirFutureShows() throws InterruptedException {
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-stress-semaphore", 2);
		new ProbeStress(PermitStress.of(semaphore), (Instrumented) semaphore, 2, false, 4, 8_000).run();
	}

	@Test
	void lockWaitsAndHoldsEachEndOnceAndHoldsPairWithReleases() throws InterruptedException {
		AsyncLock lock = AsyncLock.create("probe-stress-lock");
		new ProbeStress(PermitStress.of(lock), (Instrumented) lock, 1, true, 4, 8_000).run();
	}

	/**
	 * A probe that throws from every third call, on real threads: PermitStress's invariants (never
	 * more holders than permits, every grant released once, every permit back) hold, and the
	 * failure is logged once.
	 */
	@Test
	void lockAndSemaphoreWhoseProbeOftenThrowsLoseNoWaiterAndNoPermit() throws InterruptedException {
		try (ProbeFailureLog log = ProbeFailureLog.open()) {
			AsyncLock lock = AsyncLock.create("probe-stress-flaky-lock");
			FlakyProbe lockProbe = new FlakyProbe();
			((Instrumented) lock).probe(lockProbe);
			new PermitStress(PermitStress.of(lock), 1, 4, 8_000).run();
			AsyncSemaphore semaphore = AsyncSemaphore.create("probe-stress-flaky-semaphore", 2);
			FlakyProbe semaphoreProbe = new FlakyProbe();
			((Instrumented) semaphore).probe(semaphoreProbe);
			new PermitStress(PermitStress.of(semaphore), 2, 4, 8_000).run();
			assertThat(lockProbe.thrown()).isPositive();
			assertThat(semaphoreProbe.thrown()).isPositive();
			assertThat(log.records()).extracting((record) -> record.getMessage().split(":")[0])
				.containsExactlyInAnyOrder("Lock 'probe-stress-flaky-lock'", "Semaphore 'probe-stress-flaky-semaphore'");
		}
	}

	/**
	 * The semaphore's own timer and {@code orTimeout} end the same wait at the same moment on two
	 * threads: the end is reported once, as a timeout, whichever of them reports it. (The one that
	 * does not report may complete the future first: see {@code Waiter.reportEnd}.)
	 */
	@Test
	void waitEndedByTwoRacingTimeoutsIsReportedOnce() {
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-two-timeouts", 0);
		CountingProbe probe = new CountingProbe();
		((Instrumented) semaphore).probe(probe);
		Queue<String> unreported = new ConcurrentLinkedQueue<>();
		int count = 5_000;
		for (int round = 0; round < 3; round++) {
			List<CompletableFuture<Void>> waits = StressSupport.raceTwoTimeouts(count, (timeout) -> {
				long[] last = probe.lastWait.get();
				last[0] = 0;
				CompletableFuture<Void> wait = semaphore.acquire(timeout);
				if (last[0] == 0) {
					unreported.add("a wait that queued was not reported as started");
				}
				return wait;
			});
			assertThat(StressSupport.completedNormally(waits)).isEmpty();
		}
		assertThat(unreported).isEmpty();
		assertThat(probe.wrongEnds).isEmpty();
		assertThat(probe.waitsStarted.sum()).isEqualTo(3L * count);
		// the thread that lost the race to complete a future may still be reporting its end
		StressSupport.settle(() -> probe.outcome(WaitOutcome.TIMEOUT) == 3L * count, () -> {
		});
		assertThat(probe.outcome(WaitOutcome.TIMEOUT)).isEqualTo(3L * count);
		assertThat(semaphore.queueLength()).isZero();
	}

	/** A probe that keeps every token it hands out and how each ended. */
	static final class CountingProbe implements PrimitiveProbe {

		private final AtomicLong tokens = new AtomicLong();

		/** The token of the last wait started on this thread; the worker clears and reads it. */
		final ThreadLocal<long[]> lastWait = ThreadLocal.withInitial(() -> new long[1]);

		final Set<Long> waitStarts = ConcurrentHashMap.newKeySet();

		final Map<Long, WaitOutcome> waitEnds = new ConcurrentHashMap<>();

		final Set<Long> holdStarts = ConcurrentHashMap.newKeySet();

		final Set<Long> holdEnds = ConcurrentHashMap.newKeySet();

		final LongAdder waitsStarted = new LongAdder();

		final LongAdder waitsEnded = new LongAdder();

		final Map<WaitOutcome, LongAdder> outcomes = new EnumMap<>(WaitOutcome.class);

		final LongAdder holdsStarted = new LongAdder();

		final LongAdder holdsEnded = new LongAdder();

		/** Ends with a token that never started, or that had ended already. */
		final ConcurrentLinkedQueue<String> wrongEnds = new ConcurrentLinkedQueue<>();

		CountingProbe() {
			for (WaitOutcome outcome : WaitOutcome.values()) {
				this.outcomes.put(outcome, new LongAdder());
			}
		}

		@Override
		public long waitStarted() {
			long token = this.tokens.incrementAndGet();
			this.waitStarts.add(token);
			this.waitsStarted.increment();
			this.lastWait.get()[0] = token;
			return token;
		}

		@Override
		public void waitEnded(long started, WaitOutcome outcome) {
			this.waitsEnded.increment();
			this.outcomes.get(outcome).increment();
			if (!this.waitStarts.contains(started)) {
				this.wrongEnds.add("wait " + started + " ended (" + outcome + ") but never started");
			}
			WaitOutcome before = this.waitEnds.putIfAbsent(started, outcome);
			if (before != null) {
				this.wrongEnds.add("wait " + started + " ended twice: " + before + ", " + outcome);
			}
		}

		@Override
		public long holdStarted() {
			long token = this.tokens.incrementAndGet();
			this.holdStarts.add(token);
			this.holdsStarted.increment();
			return token;
		}

		@Override
		public void holdEnded(long started) {
			this.holdsEnded.increment();
			if (!this.holdStarts.contains(started)) {
				this.wrongEnds.add("hold " + started + " ended but never started");
			}
			if (!this.holdEnds.add(started)) {
				this.wrongEnds.add("hold " + started + " ended twice");
			}
		}

		long outcome(WaitOutcome outcome) {
			return this.outcomes.get(outcome).sum();
		}

	}

	private static final class ProbeStress {

		private final StressSupport support = new StressSupport();

		private final PermitStress.Target target;

		private final CountingProbe probe = new CountingProbe();

		private final int permits;

		private final boolean reportsHolds;

		private final int threads;

		private final int opsPerWorker;

		private final LongAdder grants = new LongAdder();

		private final LongAdder releases = new LongAdder();

		private final List<Worker> workers = new ArrayList<>();

		ProbeStress(PermitStress.Target target, Instrumented instrumented, int permits, boolean reportsHolds,
				int threads, int opsPerWorker) {
			this.target = target;
			this.permits = permits;
			this.reportsHolds = reportsHolds;
			this.threads = threads;
			this.opsPerWorker = opsPerWorker;
			instrumented.probe(this.probe);
		}

		void run() throws InterruptedException {
			List<Runnable> bodies = new ArrayList<>();
			for (int i = 0; i < this.threads; i++) {
				Worker worker = new Worker(this.support.split());
				this.workers.add(worker);
				bodies.add(worker::run);
			}
			this.support.runWorkers(this.threads, bodies);
			// Grants that landed after a worker finished wait in its hand-back queue: release them here.
			boolean quiet = StressSupport.settle(() -> isQuiet() || this.support.hasViolations(),
					() -> this.workers.forEach(Worker::releaseAll));
			verify(quiet);
		}

		private boolean isQuiet() {
			return this.target.availablePermits() == this.permits && this.target.queueLength() == 0
					&& this.workers.stream().allMatch(Worker::isIdle);
		}

		private void verify(boolean quiet) {
			String context = this.support.context();
			this.support.assertNoViolations();
			assertThat(quiet).as("settled: %s, %s", this.target, context).isTrue();
			assertThat(this.probe.wrongEnds).as("ends without a start or twice, %s", context).isEmpty();

			List<Ticket> tickets = StressSupport.concat(this.workers.stream().map((worker) -> worker.tickets).toList());
			List<Ticket> reported = tickets.stream().filter((ticket) -> ticket.token != 0).toList();
			assertThat(tickets.stream().filter((ticket) -> !ticket.isAccountedFor(this.probe)).limit(5))
				.as("acquisitions whose probe account differs from their future, %s", context)
				.isEmpty();

			long started = this.probe.waitsStarted.sum();
			long ended = this.probe.waitsEnded.sum();
			long byOutcome = this.probe.outcomes.values().stream().mapToLong(LongAdder::sum).sum();
			assertThat(ended).as("waits ended vs started, %s", context).isEqualTo(started);
			assertThat(byOutcome).as("waits by outcome vs started, %s", context).isEqualTo(started);
			assertThat(reported).as("waits started vs acquisitions that reported one, %s", context)
				.hasSize((int) started);
			assertThat(difference(this.probe.waitStarts, this.probe.waitEnds.keySet()))
				.as("wait tokens started, never ended, %s", context)
				.isEmpty();
			long normal = reported.stream().filter((ticket) -> !ticket.future.isCompletedExceptionally()).count();
			assertThat(this.probe.outcome(WaitOutcome.ACQUIRED)).as("ACQUIRED vs reported waits granted, %s", context)
				.isEqualTo(normal);
			assertThat(this.probe.outcome(WaitOutcome.TIMEOUT) + this.probe.outcome(WaitOutcome.CANCELLED))
				.as("TIMEOUT + CANCELLED vs reported waits failed, %s", context)
				.isEqualTo(reported.size() - normal);
			assertThat(this.probe.outcome(WaitOutcome.BROKEN)).as("BROKEN, %s", context).isZero();

			assertThat(this.grants.sum()).as("grants vs releases, %s", context).isEqualTo(this.releases.sum());
			if (this.reportsHolds) {
				assertThat(this.probe.holdsStarted.sum()).as("holds started vs grants, %s", context)
					.isEqualTo(this.grants.sum());
				assertThat(this.probe.holdsEnded.sum()).as("holds ended vs releases, %s", context)
					.isEqualTo(this.releases.sum());
				assertThat(difference(this.probe.holdStarts, this.probe.holdEnds))
					.as("hold tokens started, never ended, %s", context)
					.isEmpty();
			}
			else {
				assertThat(this.probe.holdsStarted.sum() + this.probe.holdsEnded.sum())
					.as("holds reported by bare acquire and release, %s", context)
					.isZero();
			}

			// The run must have exercised every way a wait ends, and the refusals at once.
			long queuedGrants = reported.stream()
				.filter((ticket) -> !ticket.doneAtOnce && !ticket.future.isCompletedExceptionally())
				.count();
			long refused = reported.stream()
				.filter((ticket) -> ticket.doneAtOnce && ticket.future.isCompletedExceptionally())
				.count();
			assertThat(queuedGrants).as("grants after queueing, %s", context).isPositive();
			assertThat(refused).as("zero timeouts refused at once, %s", context).isPositive();
			assertThat(this.probe.outcome(WaitOutcome.TIMEOUT)).as("timeouts, %s", context).isPositive();
			assertThat(this.probe.outcome(WaitOutcome.CANCELLED)).as("cancellations, %s", context).isPositive();
			assertThat(tickets.size() - reported.size()).as("grants at once, %s", context).isPositive();
		}

		/** Up to five elements of {@code all} not in {@code some}. */
		private static List<Long> difference(Set<Long> all, Set<Long> some) {
			return all.stream().filter((token) -> !some.contains(token)).limit(5).toList();
		}

		/** One acquisition: its future, and the token of its wait ({@code 0} if none was reported). */
		private final class Ticket {

			final CompletableFuture<Void> future;

			final long token;

			final boolean doneAtOnce;

			final Worker owner;

			final String how;

			volatile boolean cancelCalled;

			Ticket(Worker owner, CompletableFuture<Void> future, long token, String how, boolean releaseInContinuation) {
				this.owner = owner;
				this.future = future;
				this.token = token;
				this.doneAtOnce = future.isDone();
				this.how = how;
				future.whenComplete((ignored, failure) -> {
					if (failure == null) {
						ProbeStress.this.grants.increment();
						if (releaseInContinuation) {
							release();
						}
						else {
							this.owner.handBack.add(this);
						}
					}
				});
			}

			void release() {
				try {
					ProbeStress.this.target.release();
					ProbeStress.this.releases.increment();
				}
				catch (RuntimeException ex) {
					ProbeStress.this.support.violation(this + " release failed", ex);
				}
			}

			/** Cancels; a cancel that finds the wait ended already cannot race its timeout. */
			void cancel() {
				if (!this.future.isDone()) {
					this.cancelCalled = true;
					this.future.cancel(false);
				}
			}

			/**
			 * No token: granted at once. A token: ended exactly once, {@code ACQUIRED} exactly when
			 * the future completed normally; a failure labelled otherwise than the future shows
			 * only where a cancel raced a timeout.
			 */
			boolean isAccountedFor(CountingProbe probe) {
				if (!this.future.isDone()) {
					return false;
				}
				boolean granted = !this.future.isCompletedExceptionally();
				if (this.token == 0) {
					return this.doneAtOnce && granted;
				}
				WaitOutcome outcome = probe.waitEnds.get(this.token);
				if (outcome == null) {
					return false;
				}
				if (granted) {
					return outcome == WaitOutcome.ACQUIRED;
				}
				WaitOutcome shown = timedOut() ? WaitOutcome.TIMEOUT : WaitOutcome.CANCELLED;
				return outcome == shown || (this.cancelCalled && outcome != WaitOutcome.ACQUIRED
						&& outcome != WaitOutcome.BROKEN);
			}

			private boolean timedOut() {
				Throwable failure = this.future.handle((ignored, ex) -> ex).join();
				return StressSupport.unwrap(failure) instanceof AcquireTimeoutException;
			}

			@Override
			public String toString() {
				return "Ticket[" + this.how + ", token " + this.token + ", at once " + this.doneAtOnce + ", cancel "
						+ this.cancelCalled + ", ended "
						+ ((this.token != 0) ? ProbeStress.this.probe.waitEnds.get(this.token) : "-") + ", "
						+ this.future + "]";
			}

		}

		private final class Worker {

			final SplittableRandom random;

			final ConcurrentLinkedQueue<Ticket> handBack = new ConcurrentLinkedQueue<>();

			final List<Ticket> tickets = new ArrayList<>();

			private final List<Ticket> pending = new ArrayList<>();

			Worker(SplittableRandom random) {
				this.random = random;
			}

			void run() {
				for (int op = 0; op < ProbeStress.this.opsPerWorker; op++) {
					StressSupport.pace(op);
					step();
					int release = this.random.nextInt(10);
					if (release < 3) {
						releaseOne();
					}
					else if (release == 3) {
						releaseAll();
					}
				}
				this.pending.forEach(Ticket::cancel);
				releaseAll();
			}

			private void step() {
				SplittableRandom r = this.random;
				int dice = r.nextInt(100);
				if (dice < 12) {
					if (ProbeStress.this.target.tryAcquire()) {
						ProbeStress.this.grants.increment();
						ProbeStress.this.target.release();
						ProbeStress.this.releases.increment();
					}
				}
				else if (dice < 40) {
					acquire(ProbeStress.this.target::acquire, "acquire()");
				}
				else if (dice < 62) {
					Duration timeout = (r.nextInt(6) == 0) ? Duration.ZERO : StressSupport.shortTimeout(r);
					acquire(() -> ProbeStress.this.target.acquire(timeout), "acquire(" + timeout + ")");
				}
				else if (dice < 75) {
					long nanos = r.nextLong(0, 2_000_001);
					acquire(() -> ProbeStress.this.target.acquire().orTimeout(nanos, TimeUnit.NANOSECONDS),
							"orTimeout(" + nanos + "ns)");
				}
				else {
					Ticket ticket = StressSupport.takeRandom(this.pending, r);
					if (ticket != null) {
						ticket.cancel();
					}
				}
			}

			private void acquire(Supplier<CompletableFuture<Void>> acquisition, String how) {
				long[] last = ProbeStress.this.probe.lastWait.get();
				last[0] = 0;
				CompletableFuture<Void> future = acquisition.get();
				long token = last[0];
				Ticket ticket = new Ticket(this, future, token, how, this.random.nextInt(3) == 0);
				this.tickets.add(ticket);
				if (!ticket.doneAtOnce) {
					if (this.random.nextInt(4) == 0) {
						ticket.cancel();
					}
					else {
						this.pending.add(ticket);
					}
				}
			}

			private void releaseOne() {
				Ticket ticket = this.handBack.poll();
				if (ticket != null) {
					ticket.release();
				}
			}

			void releaseAll() {
				for (Ticket ticket = this.handBack.poll(); ticket != null; ticket = this.handBack.poll()) {
					ticket.release();
				}
			}

			boolean isIdle() {
				return this.handBack.isEmpty() && this.tickets.stream().allMatch((ticket) -> ticket.future.isDone());
			}

		}

	}

}
