package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * {@link AsyncCondition} as a queue of waiters not yet signalled, over any {@link AsyncLock}.
 *
 * <p>Implementation notes. A waiter is in {@code queue} until it is signalled, cancelled or timed
 * out; whichever comes first takes it out (under {@code guard}) and starts the re-acquisition of
 * the lock. The future completes only from {@link Wait#lockHeld}, so always holding the lock.
 * Requests to end the wait ({@code cancel}, {@code completeExceptionally}) that come later only
 * record the failure to complete with. A waiter that leaves with a failure after being signalled
 * signals the next one (gh-112202); one that was never signalled does not (3.13 would, which is a
 * spurious wake-up).
 *
 * <p>The probe hears of the waits for a signal. A condition's own lock reports its acquisitions
 * and holds to the condition's probe too; a shared lock reports to its own.
 */
final class InMemoryCondition implements AsyncCondition, Waiter.Owner, Instrumented {

	private final String name;

	private final AsyncLock lock;

	private final ReentrantLock guard = new ReentrantLock();

	private final WaitQueue queue = new WaitQueue();

	/** Whether {@code lock} was made for this condition alone. */
	private final boolean ownsLock;

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	InMemoryCondition(String name, AsyncLock lock, boolean ownsLock) {
		this.name = name;
		this.lock = lock;
		this.ownsLock = ownsLock;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public PrimitiveKind kind() {
		return PrimitiveKind.CONDITION;
	}

	@Override
	public PrimitiveProbe probe() {
		return this.probe;
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.probe = Objects.requireNonNull(probe, "probe");
		if (this.ownsLock && this.lock instanceof Instrumented instrumented) {
			instrumented.probe(probe);
		}
	}

	@Override
	public AsyncLock lock() {
		return this.lock;
	}

	@Override
	public CompletableFuture<Void> acquire() {
		return this.lock.acquire();
	}

	@Override
	public CompletableFuture<Void> acquire(Duration timeout) {
		return this.lock.acquire(timeout);
	}

	@Override
	public boolean tryAcquire() {
		return this.lock.tryAcquire();
	}

	@Override
	public void release() {
		this.lock.release();
	}

	@Override
	public boolean isLocked() {
		return this.lock.isLocked();
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
		if (!this.lock.isLocked()) {
			throw new IllegalStateException("Condition '" + this.name + "': cannot wait on un-acquired lock");
		}
		this.guard.lock();
		try {
			wait.queued();
			this.queue.add(wait);
		}
		finally {
			this.guard.unlock();
		}
		try {
			this.lock.release();
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
		if (!this.lock.isLocked()) {
			throw new IllegalStateException("Condition '" + this.name + "': cannot notify on un-acquired lock");
		}
		wake(n);
	}

	@Override
	public void signalAll() {
		signal(Integer.MAX_VALUE);
	}

	private void wake(int n) {
		List<Wait<?>> woken = new ArrayList<>();
		this.guard.lock();
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
			this.guard.unlock();
		}
		RuntimeException failure = null;
		for (Wait<?> wait : woken) {
			try {
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

	@Override
	public boolean withdraw(Waiter<?> waiter) {
		this.guard.lock();
		try {
			return this.queue.remove(waiter);
		}
		finally {
			this.guard.unlock();
		}
	}

	@Override
	public int queueLength() {
		this.guard.lock();
		try {
			return this.queue.size();
		}
		finally {
			this.guard.unlock();
		}
	}

	/** Two reads, the lock's and the queue's: they may be of two moments. */
	@Override
	public PrimitiveState state() {
		return PrimitiveState.condition(this.name, isLocked(), queueLength());
	}

	@Override
	public String toString() {
		return "Condition '" + this.name + "' [" + (isLocked() ? "locked" : "unlocked") + ", waiters:"
				+ queueLength() + "]";
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

		// guarded by condition.guard
		boolean signalled;

		private boolean timedOut;

		private Throwable requested;

		private boolean decided;

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

		/** Records the request; the future fails with it once the lock is held again. */
		@Override
		boolean end(Throwable failure) {
			boolean queued;
			this.condition.guard.lock();
			try {
				if (this.decided) {
					return false;
				}
				if (this.requested == null) {
					this.requested = failure;
				}
				queued = this.condition.queue.remove(this);
			}
			finally {
				this.condition.guard.unlock();
			}
			if (queued) {
				Trampoline.run(this::reacquire);
			}
			return true;
		}

		@Override
		void expire(Duration timeout) {
			boolean queued;
			this.condition.guard.lock();
			try {
				queued = this.condition.queue.remove(this);
				this.timedOut = queued;
			}
			finally {
				this.condition.guard.unlock();
			}
			if (queued) {
				reacquire();
			}
		}

		void reacquire() {
			CompletableFuture<Void> acquisition;
			try {
				acquisition = this.condition.lock.acquire();
			}
			catch (RuntimeException ex) {
				failWithoutLock(ex);
				throw ex;
			}
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
			decide();
			fail(failure);
		}

		private void decide() {
			this.condition.guard.lock();
			try {
				this.decided = true;
			}
			finally {
				this.condition.guard.unlock();
			}
		}

		private void lockHeld() {
			if (this.predicate != null && !predicateHolds()) {
				return;
			}
			Throwable failure;
			boolean passSignalOn;
			this.condition.guard.lock();
			try {
				this.decided = true;
				failure = this.requested;
				passSignalOn = failure != null && this.signalled;
			}
			finally {
				this.condition.guard.unlock();
			}
			if (passSignalOn) {
				this.condition.wake(1);
			}
			if (failure != null) {
				fail(failure);
			}
			else {
				finish(this.timedOut ? this.timedOutValue : this.signalledValue);
			}
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
				decide();
				if (this.signalled) {
					this.condition.wake(1);
				}
				fail(ex);
				return false;
			}
			if (holds) {
				return true;
			}
			this.condition.guard.lock();
			try {
				if (this.requested != null) {
					return true;
				}
				this.signalled = false;
				this.condition.queue.add(this);
			}
			finally {
				this.condition.guard.unlock();
			}
			try {
				this.condition.lock.release();
			}
			catch (RuntimeException ex) {
				// a foreign lock refused: end the wait with that, holding the lock as before
				if (this.condition.withdraw(this)) {
					decide();
					fail(ex);
				}
				else {
					end(ex);
				}
			}
			return false;
		}

	}

}
