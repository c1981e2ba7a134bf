package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * {@link AsyncCondition} as a queue of waiters not yet signalled, over any {@link AsyncLock}.
 *
 * <p>Implementation notes. A waiter is in {@code queue} until it is signalled, cancelled or timed
 * out; whichever comes first takes it out (under the queue's lock) and starts the re-acquisition of
 * the lock. A timeout, and a cancel made outside a continuation, call the lock's {@code acquire}
 * still holding the queue's lock, so that a signal given after the wait left cannot put another
 * wait ahead of it on the lock (Lincheck found that it could). A signal calls it after releasing
 * that lock; inside a continuation, a signal or cancel calls it only once the continuation
 * returns, which leaves the wait woken but not yet re-acquiring, as asyncio's is until its task
 * runs (gh-112202's cancelled wake-up). Lock order: the queue's lock, then the lock's own.
 *
 * <p>How the wait ends is decided in {@link Wait#lockHeld}, so always holding the lock;
 * the future is completed right after, by that thread or, if it comes in between, by a request to
 * end the wait, which then completes it as decided (so that {@code isDone()} holds once
 * {@code cancel} returns {@code false}, as Lincheck found it did not). Requests to end the wait
 * ({@code cancel}, {@code completeExceptionally}) that come before the decision only record the
 * failure to complete with. A waiter that leaves with a failure after being signalled signals
 * the next one (gh-112202), before the decision, so before anyone can complete it; one that was
 * never signalled does not (3.13 would, which is a spurious wake-up).
 *
 * <p>The probe hears of the waits for a signal. A condition's own lock reports its acquisitions
 * and holds to the condition's probe too; a shared lock reports to its own.
 */
final class InMemoryCondition extends QueuedSync implements AsyncCondition, Instrumented {

	/** The lock that waits release and re-acquire ({@link QueuedSync#lock} guards the queue). */
	private final AsyncLock asyncLock;

	/** Whether {@code asyncLock} was made for this condition alone. */
	private final boolean ownsLock;

	InMemoryCondition(String name, AsyncLock lock, boolean ownsLock) {
		this(name, lock, ownsLock, TimeoutScheduler.shared());
	}

	/** A condition with its own lock, whose timed waits run out on {@code scheduler}. */
	InMemoryCondition(String name, TimeoutScheduler scheduler) {
		this(name, new InMemoryLock(name, scheduler), true, scheduler);
	}

	InMemoryCondition(String name, AsyncLock lock, boolean ownsLock, TimeoutScheduler scheduler) {
		super(PrimitiveKind.CONDITION, name, scheduler);
		this.asyncLock = lock;
		this.ownsLock = ownsLock;
		if (ownsLock && lock instanceof PermitPrimitive own) {
			// its holds are this condition's: a probe that fails in both is logged once
			own.sync.reportProbeFailuresAs(this);
		}
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		super.probe(probe);
		if (this.ownsLock && this.asyncLock instanceof Instrumented instrumented) {
			instrumented.probe(probe);
		}
	}

	@Override
	public AsyncLock lock() {
		return this.asyncLock;
	}

	@Override
	public CompletableFuture<Void> acquire() {
		return this.asyncLock.acquire();
	}

	@Override
	public CompletableFuture<Void> acquire(Duration timeout) {
		return this.asyncLock.acquire(timeout);
	}

	@Override
	public boolean tryAcquire() {
		return this.asyncLock.tryAcquire();
	}

	@Override
	public void release() {
		this.asyncLock.release();
	}

	@Override
	public boolean isLocked() {
		return this.asyncLock.isLocked();
	}

	@Override
	public CompletableFuture<Void> await() {
		return park(new Wait<>(this, null, null, null));
	}

	@Override
	public CompletableFuture<Boolean> await(Duration timeout) {
		long nanos = Timeouts.toNanos(timeout);
		Wait<Boolean> wait = park(new Wait<>(this, null, Boolean.TRUE, Boolean.FALSE));
		if (nanos > 0) {
			wait.startTimer(timeout, nanos);
		}
		else {
			Trampoline.run(() -> wait.expire(timeout));
		}
		return wait;
	}

	@Override
	public CompletableFuture<Void> awaitUntil(BooleanSupplier predicate) {
		if (predicate.getAsBoolean()) {
			return Settled.ACQUIRED;
		}
		return park(new Wait<>(this, predicate, null, null));
	}

	private <T> Wait<T> park(Wait<T> wait) {
		if (!this.asyncLock.isLocked()) {
			throw new IllegalStateException("Condition '" + name() + "': cannot wait on un-acquired lock");
		}
		this.lock.lock();
		try {
			add(wait);
		}
		finally {
			this.lock.unlock();
		}
		try {
			this.asyncLock.release();
		}
		catch (RuntimeException ex) {
			if (withdraw(wait)) {
				// never waited, but reported as started: end it, as a wait refused at once
				wait.fail(ex);
				throw ex;
			}
			// a signal took the wait already: it ends with the failure, once it holds the lock
			wait.end(ex);
		}
		return wait;
	}

	@Override
	public void signal() {
		signal(1);
	}

	@Override
	public void signal(int n) {
		if (!this.asyncLock.isLocked()) {
			throw new IllegalStateException("Condition '" + name() + "': cannot notify on un-acquired lock");
		}
		wake(n);
	}

	@Override
	public void signalAll() {
		signal(Integer.MAX_VALUE);
	}

	private void wake(int n) {
		List<Wait<?>> woken = new ArrayList<>();
		this.lock.lock();
		try {
			while (woken.size() < n) {
				Wait<?> wait = (Wait<?>) this.queue.poll();
				if (wait == null) {
					break;
				}
				wait.signalled = true;
				woken.add(wait);
			}
		}
		finally {
			this.lock.unlock();
		}
		RuntimeException failure = null;
		for (Wait<?> wait : woken) {
			try {
				// later, inside a continuation: a signalled wait is woken, not yet re-acquiring (asyncio)
				Trampoline.run(wait::reacquire);
			}
			catch (RuntimeException ex) {
				// every signalled wait must start re-acquiring, whatever one of them ran into
				failure = (failure != null) ? failure : ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/** Two reads, the lock's and the queue's: they may be of two moments. */
	@Override
	public PrimitiveState state() {
		return PrimitiveState.condition(name(), isLocked(), queueLength());
	}

	@Override
	public String toString() {
		return "Condition '" + name() + "' [" + (isLocked() ? "locked" : "unlocked") + ", waiters:"
				+ queueLength() + "]";
	}

	/**
	 * A wait taken out of the queue and its call to the lock's {@code acquire}, made holding the
	 * queue's lock; {@link #start} follows it up outside that lock.
	 */
	private record Reacquisition(Wait<?> waiter, CompletableFuture<Void> acquisition, RuntimeException failure) {

		/** Ends the wait once it holds the lock; throws what {@code acquire} threw, once the wait ended with it. */
		void start() {
			if (this.failure != null) {
				this.waiter.failWithoutLock(this.failure);
				throw this.failure;
			}
			this.waiter.awaitLock(this.acquisition);
		}

	}

	/**
	 * One wait on the condition: queued until signalled, then re-acquiring, then complete.
	 * @param <T> {@code Void}, or {@code Boolean} for timed waits
	 */
	private static final class Wait<T> extends Waiter<T> {

		private final InMemoryCondition condition;

		private final BooleanSupplier predicate;

		private final T signalledValue;

		private final T timedOutValue;

		// guarded by condition.lock
		boolean signalled;

		private boolean timedOut;

		private Throwable requested;

		/** Set once it is known how the wait ends: normally, or with {@code decidedFailure}. */
		private boolean decided;

		private Throwable decidedFailure;

		/** Whether the signal of a wait asked to end has been passed on; set before the decision. */
		private boolean signalPassedOn;

		Wait(InMemoryCondition condition, BooleanSupplier predicate, T signalledValue, T timedOutValue) {
			super(condition);
			this.condition = condition;
			this.predicate = predicate;
			this.signalledValue = signalledValue;
			this.timedOutValue = timedOutValue;
		}

		@Override
		WaitOutcome outcome(T value) {
			return this.timedOut ? WaitOutcome.TIMEOUT : WaitOutcome.ACQUIRED;
		}

		/**
		 * Records the request; the future fails with it once the lock is held again. A request
		 * that comes after the decision completes the future as decided, if the thread that
		 * decided has not yet: so, as for any wait, {@code isDone()} holds once {@code cancel}
		 * returns {@code false}.
		 */
		@Override
		boolean end(Throwable failure) {
			boolean decided;
			boolean queued = false;
			Reacquisition reacquisition = null;
			this.condition.lock.lock();
			try {
				decided = this.decided;
				if (!decided) {
					if (this.requested == null) {
						this.requested = failure;
					}
					queued = this.condition.queue.remove(this);
					if (queued && !Trampoline.isRunning()) {
						reacquisition = requestLock();
					}
				}
			}
			finally {
				this.condition.lock.unlock();
			}
			if (decided) {
				completeAsDecided();
				return false;
			}
			if (reacquisition != null) {
				Trampoline.run(reacquisition::start);
			}
			else if (queued) {
				// inside a continuation: re-acquire once it returns, as a signalled wait does
				Trampoline.run(this::reacquire);
			}
			return true;
		}

		@Override
		void expire(Duration timeout) {
			Reacquisition reacquisition = null;
			this.condition.lock.lock();
			try {
				if (this.condition.queue.remove(this)) {
					this.timedOut = true;
					reacquisition = requestLock();
				}
			}
			finally {
				this.condition.lock.unlock();
			}
			if (reacquisition != null) {
				reacquisition.start();
			}
		}

		/** Re-acquires the lock after a signal. */
		void reacquire() {
			requestLock().start();
		}

		/**
		 * Calls the lock's {@code acquire}. A timeout, and a cancel outside a continuation, call it
		 * holding {@code condition.lock}, right after taking the wait out of the queue: the wait
		 * leaves the condition and queues for the lock in one step, so that no wait signalled after
		 * it left can get the lock before it. What the acquisition completes runs later, outside
		 * that lock.
		 */
		Reacquisition requestLock() {
			try {
				return new Reacquisition(this, this.condition.asyncLock.acquire(), null);
			}
			catch (RuntimeException ex) {
				return new Reacquisition(this, null, ex);
			}
		}

		/** Holding the lock again, or refused it (a foreign lock), the wait ends. */
		void awaitLock(CompletableFuture<Void> acquisition) {
			acquisition.whenComplete((held, failure) -> {
				if (failure != null) {
					failWithoutLock(failure);
				}
				else {
					lockHeld();
				}
			});
		}

		/** Only a foreign lock gets here: it failed to re-acquire, so nothing is held. */
		private void failWithoutLock(Throwable failure) {
			decide(failure);
			completeAsDecided();
		}

		private void decide(Throwable failure) {
			this.condition.lock.lock();
			try {
				this.decided = true;
				this.decidedFailure = failure;
			}
			finally {
				this.condition.lock.unlock();
			}
		}

		/** Completes the future as decided; by the thread that decided, or by a later request. */
		private void completeAsDecided() {
			if (this.decidedFailure != null) {
				fail(this.decidedFailure);
			}
			else {
				finish(this.timedOut ? this.timedOutValue : this.signalledValue);
			}
		}

		/** Passes the signal on to the next wait; a failure to do so is that wait's, not this one's. */
		private void passSignalOn() {
			try {
				this.condition.wake(1);
			}
			catch (RuntimeException ex) {
				// the next wait's lock refused its re-acquisition: that wait has ended with it
			}
		}

		private void lockHeld() {
			if (this.predicate != null && !predicateHolds()) {
				return;
			}
			for (;;) {
				boolean passSignalOn;
				this.condition.lock.lock();
				try {
					passSignalOn = this.requested != null && this.signalled && !this.signalPassedOn;
					if (passSignalOn) {
						this.signalPassedOn = true;
					}
					else {
						this.decided = true;
						this.decidedFailure = this.requested;
					}
				}
				finally {
					this.condition.lock.unlock();
				}
				if (!passSignalOn) {
					break;
				}
				// before the decision: whoever completes the wait, the signal has been passed on
				passSignalOn();
			}
			completeAsDecided();
		}

		/**
		 * Checks the predicate holding the lock; if false (and no end was requested), queues the
		 * wait again and releases the lock.
		 */
		private boolean predicateHolds() {
			boolean holds;
			try {
				holds = this.requested != null || this.predicate.getAsBoolean();
			}
			catch (Throwable ex) {
				// leaving by an exception after a signal passes the signal on, as asyncio 3.13 does
				if (this.signalled) {
					passSignalOn();
				}
				decide(ex);
				completeAsDecided();
				return false;
			}
			if (holds) {
				return true;
			}
			this.condition.lock.lock();
			try {
				if (this.requested != null) {
					return true;
				}
				this.signalled = false;
				this.condition.queue.add(this);
			}
			finally {
				this.condition.lock.unlock();
			}
			try {
				this.condition.asyncLock.release();
			}
			catch (RuntimeException ex) {
				// a foreign lock refused: end the wait with that, holding the lock as before
				if (this.condition.withdraw(this)) {
					decide(ex);
					completeAsDecided();
				}
				else {
					end(ex);
				}
			}
			return false;
		}

	}

}
