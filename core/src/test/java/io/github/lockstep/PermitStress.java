package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads hammering a lock or a semaphore with every way to acquire (try, wait, timed wait,
 * {@code orTimeout}, {@code withLock}/{@code withPermit}), random cancellations, and releases both
 * from the acquiring thread and from inside continuations, checking as it goes that no more than
 * {@code permits} parties hold at once, and at the end that every grant was released exactly once
 * and every permit came back.
 */
final class PermitStress {

	/** The operations a lock and a semaphore share. */
	interface Target {

		CompletableFuture<Void> acquire();

		CompletableFuture<Void> acquire(Duration timeout);

		boolean tryAcquire();

		void release();

		<T> CompletableFuture<T> guarded(Supplier<? extends CompletionStage<T>> action);

		int availablePermits();

		int queueLength();

		boolean isLocked();

	}

	static Target of(AsyncSemaphore semaphore) {
		return new Target() {

			@Override
			public CompletableFuture<Void> acquire() {
				return semaphore.acquire();
			}

			@Override
			public CompletableFuture<Void> acquire(Duration timeout) {
				return semaphore.acquire(timeout);
			}

			@Override
			public boolean tryAcquire() {
				return semaphore.tryAcquire();
			}

			@Override
			public void release() {
				semaphore.release();
			}

			@Override
			public <T> CompletableFuture<T> guarded(Supplier<? extends CompletionStage<T>> action) {
				return semaphore.withPermit(action);
			}

			@Override
			public int availablePermits() {
				return semaphore.availablePermits();
			}

			@Override
			public int queueLength() {
				return semaphore.queueLength();
			}

			@Override
			public boolean isLocked() {
				return semaphore.isLocked();
			}

			@Override
			public String toString() {
				return semaphore.toString();
			}

		};
	}

	static Target of(AsyncLock lock) {
		return new Target() {

			@Override
			public CompletableFuture<Void> acquire() {
				return lock.acquire();
			}

			@Override
			public CompletableFuture<Void> acquire(Duration timeout) {
				return lock.acquire(timeout);
			}

			@Override
			public boolean tryAcquire() {
				return lock.tryAcquire();
			}

			@Override
			public void release() {
				lock.release();
			}

			@Override
			public <T> CompletableFuture<T> guarded(Supplier<? extends CompletionStage<T>> action) {
				return lock.withLock(action);
			}

			@Override
			public int availablePermits() {
				return lock.isLocked() ? 0 : 1;
			}

			@Override
			public int queueLength() {
				return lock.queueLength();
			}

			@Override
			public boolean isLocked() {
				return lock.isLocked();
			}

			@Override
			public String toString() {
				return lock.toString();
			}

		};
	}

	private final StressSupport support = new StressSupport();

	private final Target target;

	private final int permits;

	private final int threads;

	private final int opsPerWorker;

	private final AtomicInteger holders = new AtomicInteger();

	private final AtomicInteger maxHolders = new AtomicInteger();

	private final LongAdder grants = new LongAdder();

	private final LongAdder releases = new LongAdder();

	private final LongAdder queuedGrants = new LongAdder();

	private final LongAdder cancelledWhileQueued = new LongAdder();

	private final LongAdder timeouts = new LongAdder();

	private final LongAdder guardedRuns = new LongAdder();

	/** Changed only while holding the lock ({@code permits == 1}): a lost update shows a race. */
	private long exclusiveCount;

	private final List<Worker> workers = new ArrayList<>();

	PermitStress(Target target, int permits, int threads, int opsPerWorker) {
		this.target = target;
		this.permits = permits;
		this.threads = threads;
		this.opsPerWorker = opsPerWorker;
	}

	void run() throws InterruptedException {
		List<Runnable> bodies = new ArrayList<>();
		for (int i = 0; i < this.threads; i++) {
			Worker worker = new Worker(this.support.split());
			this.workers.add(worker);
			bodies.add(worker::run);
		}
		this.support.runWorkers(this.threads, bodies);
		// Late grants may still land in a worker's hand-back queue: release them from here.
		boolean quiet = StressSupport.settle(() -> isQuiet() || this.support.hasViolations(), () -> {
			while (this.workers.stream().anyMatch((worker) -> !worker.handBack.isEmpty())) {
				this.workers.forEach(Worker::releaseAll);
			}
		});
		verify(quiet);
	}

	private boolean isQuiet() {
		return this.target.availablePermits() == this.permits && this.target.queueLength() == 0
				&& this.holders.get() == 0 && this.workers.stream().allMatch(Worker::isIdle);
	}

	private void verify(boolean quiet) {
		String context = this.support.context();
		this.support.assertNoViolations();
		assertThat(quiet).as("settled: %s, holders %d, %s", this.target, this.holders.get(), context).isTrue();
		List<Hold> holds = StressSupport.concat(this.workers.stream().map((worker) -> worker.holds).toList());
		List<Hold> wrong = holds.stream().filter((hold) -> !isSettledRight(hold)).limit(5).toList();
		assertThat(wrong).as("holds not released exactly once, or waits not settled, %s", context).isEmpty();
		assertThat(StressSupport.concat(this.workers.stream().map((worker) -> worker.guardedResults).toList())
			.stream()
			.filter((result) -> !result.isDone())
			.limit(5)).as("withLock/withPermit results not done, %s", context).isEmpty();
		assertThat(this.grants.sum()).as("grants vs releases, %s", context).isEqualTo(this.releases.sum());
		assertThat(this.maxHolders.get()).as("most holders at once, %s", context).isBetween(1, this.permits);
		assertThat(this.target.availablePermits()).as("permits at the end, %s", context).isEqualTo(this.permits);
		assertThat(this.target.queueLength()).as("queue at the end, %s", context).isZero();
		assertThat(this.target.isLocked()).as("locked at the end, %s", context).isEqualTo(this.permits == 0);
		if (this.permits == 1) {
			assertThat(this.exclusiveCount).as("critical sections, %s", context).isEqualTo(this.grants.sum());
		}
		// The run must have exercised the races it is about.
		assertThat(this.queuedGrants.sum()).as("grants after waiting, %s", context).isPositive();
		assertThat(this.cancelledWhileQueued.sum()).as("cancellations of queued waits, %s", context).isPositive();
		assertThat(this.timeouts.sum()).as("timeouts, %s", context).isPositive();
		assertThat(this.guardedRuns.sum()).as("withLock/withPermit actions, %s", context).isPositive();
	}

	/**
	 * Released exactly once if granted, never otherwise; a wait is done, granted exactly when it
	 * completed normally, and never both granted and cancelled by a {@code cancel()} that
	 * returned {@code true}.
	 */
	private static boolean isSettledRight(Hold hold) {
		boolean granted = hold.granted.get();
		if (hold.released.get() != (granted ? 1 : 0)) {
			return false;
		}
		if (hold instanceof Ticket ticket) {
			return ticket.future.isDone() && ticket.future.isCompletedExceptionally() != granted
					&& !(ticket.cancelledTrue && granted);
		}
		return true;
	}

	/** Something held that must be given back exactly once. */
	private class Hold {

		final AtomicBoolean granted = new AtomicBoolean();

		final AtomicInteger released = new AtomicInteger();

		final Worker owner;

		final boolean releaseInContinuation;

		Hold(Worker owner, boolean releaseInContinuation) {
			this.owner = owner;
			this.releaseInContinuation = releaseInContinuation;
		}

		/** Called once the permit is the holder's: the invariants of mutual exclusion. */
		void enter() {
			if (!this.granted.compareAndSet(false, true)) {
				PermitStress.this.support.violation(this + " granted twice");
			}
			int now = PermitStress.this.holders.incrementAndGet();
			PermitStress.this.maxHolders.accumulateAndGet(now, Math::max);
			if (now > PermitStress.this.permits) {
				PermitStress.this.support.violation(now + " holders of " + PermitStress.this.permits + " permits");
			}
			if (PermitStress.this.target.availablePermits() >= PermitStress.this.permits) {
				PermitStress.this.support.violation("a permit is held but all are free: " + PermitStress.this.target);
			}
			if (PermitStress.this.permits == 1) {
				PermitStress.this.exclusiveCount++;
			}
			PermitStress.this.grants.increment();
		}

		/** Gives the permit back: right here (inside a continuation) or from the owner's thread. */
		void holdOrRelease() {
			if (this.releaseInContinuation) {
				leave();
			}
			else {
				this.owner.handBack.add(this);
			}
		}

		void leave() {
			if (this.released.incrementAndGet() != 1) {
				PermitStress.this.support.violation(this + " released twice");
			}
			PermitStress.this.holders.decrementAndGet();
			PermitStress.this.releases.increment();
			try {
				giveBack();
			}
			catch (RuntimeException ex) {
				PermitStress.this.support.violation(this + " release failed", ex);
			}
		}

		void giveBack() {
			PermitStress.this.target.release();
		}

	}

	/** A waiting acquisition. */
	private final class Ticket extends Hold {

		final CompletableFuture<Void> future;

		final boolean queued;

		final String how;

		volatile boolean cancelledTrue;

		Ticket(Worker owner, boolean releaseInContinuation, CompletableFuture<Void> future, String how) {
			super(owner, releaseInContinuation);
			this.future = future;
			this.queued = !future.isDone();
			this.how = how;
			future.whenComplete((ignored, failure) -> {
				try {
					if (failure == null) {
						granted();
					}
					else {
						gaveUp(StressSupport.unwrap(failure));
					}
				}
				catch (Throwable ex) {
					PermitStress.this.support.violation(this + " continuation failed", ex);
				}
			});
		}

		private void granted() {
			if (this.cancelledTrue) {
				PermitStress.this.support.violation(this + " granted after cancel() returned true");
			}
			enter();
			if (this.queued) {
				PermitStress.this.queuedGrants.increment();
			}
			holdOrRelease();
		}

		private void gaveUp(Throwable failure) {
			if (!StressSupport.isGiveUp(failure)) {
				PermitStress.this.support.violation(this + " failed unexpectedly", failure);
			}
			if (failure instanceof AcquireTimeoutException) {
				PermitStress.this.timeouts.increment();
			}
			if (this.granted.get()) {
				PermitStress.this.support.violation(this + " failed after it was granted");
			}
		}

		void cancel(boolean mayInterrupt) {
			if (this.future.cancel(mayInterrupt)) {
				this.cancelledTrue = true;
				PermitStress.this.cancelledWhileQueued.increment();
				if (!this.future.isCancelled() || this.granted.get()) {
					PermitStress.this.support.violation(this + " cancel() returned true, but " + this.future);
				}
			}
			else if (!this.future.isDone()) {
				PermitStress.this.support.violation(this + " cancel() returned false, but not done");
			}
		}

		@Override
		public String toString() {
			return "Ticket[" + this.how + ", queued " + this.queued + ", granted " + this.granted.get()
					+ ", released " + this.released.get() + ", cancelled " + this.cancelledTrue + ", "
					+ this.future + "]";
		}

	}

	/** A {@code withLock}/{@code withPermit} action: holding ends when its stage completes. */
	private final class GuardedHold extends Hold {

		final CompletableFuture<Void> stage = new CompletableFuture<>();

		GuardedHold(Worker owner, boolean releaseInContinuation) {
			super(owner, releaseInContinuation);
		}

		CompletionStage<Void> run() {
			enter();
			PermitStress.this.guardedRuns.increment();
			holdOrRelease();
			// Guard may cancel what it gets; only completing our own stage may end the hold.
			return this.stage.minimalCompletionStage();
		}

		@Override
		void giveBack() {
			this.stage.complete(null);
		}

		@Override
		public String toString() {
			return "GuardedHold[granted " + this.granted.get() + ", released " + this.released.get() + "]";
		}

	}

	private final class Worker {

		final SplittableRandom random;

		final ConcurrentLinkedQueue<Hold> handBack = new ConcurrentLinkedQueue<>();

		final List<Hold> holds = new ArrayList<>();

		final List<CompletableFuture<Void>> guardedResults = new ArrayList<>();

		private final List<Ticket> pending = new ArrayList<>();

		private final List<CompletableFuture<Void>> pendingResults = new ArrayList<>();

		Worker(SplittableRandom random) {
			this.random = random;
		}

		void run() {
			for (int op = 0; op < PermitStress.this.opsPerWorker; op++) {
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
			for (Ticket ticket : this.pending) {
				if (this.random.nextBoolean()) {
					ticket.cancel(false);
				}
			}
			releaseAll();
		}

		private void step() {
			SplittableRandom r = this.random;
			int dice = r.nextInt(100);
			if (dice < 12) {
				if (PermitStress.this.target.tryAcquire()) {
					Hold hold = new Hold(this, false);
					this.holds.add(hold);
					hold.enter();
					hold.holdOrRelease();
				}
			}
			else if (dice < 37) {
				waitFor(PermitStress.this.target.acquire(), "acquire()");
			}
			else if (dice < 52) {
				Duration timeout = StressSupport.shortTimeout(r);
				waitFor(PermitStress.this.target.acquire(timeout), "acquire(" + timeout + ")");
			}
			else if (dice < 67) {
				long nanos = r.nextLong(0, 2_000_001);
				CompletableFuture<Void> future = PermitStress.this.target.acquire();
				waitFor(future.orTimeout(nanos, TimeUnit.NANOSECONDS), "orTimeout(" + nanos + "ns)");
			}
			else if (dice < 77) {
				GuardedHold hold = new GuardedHold(this, r.nextBoolean());
				this.holds.add(hold);
				CompletableFuture<Void> result = PermitStress.this.target.guarded(hold::run);
				this.guardedResults.add(result);
				if (!result.isDone()) {
					this.pendingResults.add(result);
				}
			}
			else if (dice < 90) {
				Ticket ticket = StressSupport.takeRandom(this.pending, r);
				if (ticket != null) {
					ticket.cancel(r.nextBoolean());
				}
			}
			else {
				CompletableFuture<Void> result = StressSupport.takeRandom(this.pendingResults, r);
				if (result != null) {
					result.cancel(false);
				}
			}
		}

		private void waitFor(CompletableFuture<Void> future, String how) {
			Ticket ticket = new Ticket(this, this.random.nextBoolean(), future, how);
			this.holds.add(ticket);
			if (ticket.queued) {
				if (this.random.nextInt(4) == 0) {
					ticket.cancel(false);
				}
				else {
					this.pending.add(ticket);
				}
			}
		}

		private void releaseOne() {
			Hold hold = this.handBack.poll();
			if (hold != null) {
				hold.leave();
			}
		}

		void releaseAll() {
			for (Hold hold = this.handBack.poll(); hold != null; hold = this.handBack.poll()) {
				hold.leave();
			}
		}

		boolean isIdle() {
			return this.handBack.isEmpty() && this.holds.stream()
				.allMatch((hold) -> !(hold instanceof Ticket ticket) || ticket.future.isDone())
					&& this.guardedResults.stream().allMatch(CompletableFuture::isDone);
		}

	}

}
