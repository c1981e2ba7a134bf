package io.github.lockstep;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A queued wait, and at the same time the future its caller holds: the queue links live in the
 * future, so a waiter costs one object.
 *
 * <p>Implementation notes. A wait ends in exactly one of two ways, decided under the owning
 * primitive's lock: the primitive takes the waiter out of its queue to grant or break it, recording
 * the {@code outcome} ({@link #grant}/{@link #breakWith}) and completing the future afterwards,
 * outside its lock ({@link #settle}); or a cancel, timeout or {@code completeExceptionally}
 * {@linkplain QueuedSync#withdraw withdraws} it first. Whoever loses the race finds the waiter out of
 * the queue: a late canceller settles the future with the recorded outcome itself (so the caller
 * holds what was granted, and {@code isDone()} is true when {@code cancel} returns), a late grant
 * finds the future done and does nothing. A second withdrawal (a cancel racing a timeout) finds no
 * outcome recorded and fails the future too: the first failure to land wins. Nothing is ever both
 * granted and withdrawn.
 *
 * <p>{@code complete}, {@code completeAsync}, {@code completeOnTimeout} and {@code obtrude…} are
 * refused: only the primitive decides that a wait was granted, otherwise the caller would think it
 * holds a permit that is still queued.
 */
class Waiter<T> extends CompletableFuture<T> {

	private final QueuedSync owner;

	/** Queue links, guarded by the owner's lock; {@code next == null} when not queued. */
	Waiter<?> prev;

	Waiter<?> next;

	/** Marks an outcome not yet recorded: the waiter is queued, or was withdrawn. */
	private static final Object PENDING = new Object();

	/** How the wait ends once taken out of the queue by the owner; guarded by the owner's lock. */
	private Object outcome = PENDING;

	private volatile Future<?> timer;

	/**
	 * The probe's token from when the wait was queued, written under the owner's lock; then
	 * {@link #REPORTED}, set by the first completion, which reports the end before it completes
	 * the future.
	 */
	@SuppressWarnings("unused") // accessed through STARTED
	private volatile long started;

	/** Marks a reported end; a token a probe may not return (see {@link PrimitiveProbe}). */
	private static final long REPORTED = Long.MIN_VALUE;

	private static final VarHandle STARTED;

	static {
		try {
			STARTED = MethodHandles.lookup().findVarHandle(Waiter.class, "started", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	Waiter(QueuedSync owner) {
		this.owner = owner;
	}

	// --- the owner's side: decide under the lock, settle outside it

	/**
	 * Reports the wait as started; called holding the owner's lock, right after queueing it (and so
	 * before anyone can take it out again).
	 */
	final void queued() {
		STARTED.setOpaque(this, this.owner.waitStarted());
	}

	/** Records a grant; called holding the owner's lock, right after taking the waiter out. */
	final void grant(Object value) {
		this.outcome = value;
	}

	/** Records a failure; called holding the owner's lock, right after taking the waiter out. */
	final void breakWith(Throwable failure) {
		this.outcome = new Failure(failure);
	}

	/** Completes the future as recorded. Never called holding an internal lock. */
	@SuppressWarnings("unchecked")
	void settle() {
		if (this.outcome instanceof Failure failure) {
			fail(failure.cause);
		}
		else {
			finish((T) this.outcome);
		}
	}

	/** Completes the future normally; the only way a value gets in. */
	final boolean finish(T value) {
		if (!isDone()) {
			reportEnd(outcome(value));
		}
		boolean completed = super.complete(value);
		stopTimer();
		return completed;
	}

	/** How a wait that completed normally with {@code value} ended. */
	WaitOutcome outcome(T value) {
		return WaitOutcome.ACQUIRED;
	}

	/** Completes the future exceptionally, bypassing the withdrawal in {@link #completeExceptionally}. */
	final boolean fail(Throwable failure) {
		if (!isDone()) {
			reportEnd(WaitOutcome.of(failure));
		}
		boolean completed = super.completeExceptionally(failure);
		stopTimer();
		return completed;
	}

	/**
	 * Reports the wait's end once, whoever completes it, before completing it. When two completions
	 * race (a cancel and a grant or a timeout, two timeouts), the one that does not report may
	 * complete the future while the other is still in the probe, so the count can land a moment
	 * after the caller's continuations start; and for a cancel racing a timeout, which both fail
	 * the future, the outcome reported may be the failure that does not land. Waiting for the
	 * report instead would make a completion spin on another thread's probe call.
	 */
	private void reportEnd(WaitOutcome outcome) {
		long started = (long) STARTED.getAndSet(this, REPORTED);
		if (started != REPORTED) {
			this.owner.waitEnded(started, outcome);
		}
	}

	/** Ends the wait with a timeout after {@code nanos}, unless it ends before. */
	final void startTimer(Duration timeout, long nanos) {
		Future<?> task = this.owner.scheduler()
			.schedule(() -> Trampoline.run(() -> expire(timeout)), nanos, TimeUnit.NANOSECONDS);
		this.timer = task;
		if (isDone()) {
			task.cancel(false);
		}
	}

	/** Called on the scheduler's thread when the time is up. */
	void expire(Duration timeout) {
		if (this.owner.withdraw(this)) {
			fail(new AcquireTimeoutException(this.owner.kind().displayName(), this.owner.name(), timeout));
		}
	}

	/**
	 * Ends the wait early with {@code failure} if it is still queued; otherwise makes sure the
	 * recorded outcome is in the future.
	 * @return whether this call ended the wait
	 */
	boolean end(Throwable failure) {
		if (isDone()) {
			return false;
		}
		if (this.owner.withdraw(this) || this.outcome == PENDING) {
			// withdrawn now, or by a racing cancel or timeout that is failing it: never granted
			return fail(failure);
		}
		settle();
		return false;
	}

	private void stopTimer() {
		Future<?> task = this.timer;
		if (task != null) {
			task.cancel(false);
		}
	}

	// --- CompletableFuture: cancellation and timeouts withdraw, completion is refused

	/**
	 * Gives up the wait if it is still queued. Returns {@code false}, with the future completed
	 * normally, if the grant won the race: the caller then holds what was granted.
	 */
	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		return end(new WaitCancelledException(this.owner.kind().displayName(), this.owner.name()));
	}

	/**
	 * Gives up the wait with {@code ex} if it is still queued; a {@link TimeoutException} (from
	 * {@code orTimeout}) becomes an {@link AcquireTimeoutException}.
	 */
	@Override
	public boolean completeExceptionally(Throwable ex) {
		if (ex instanceof TimeoutException) {
			AcquireTimeoutException timeout = new AcquireTimeoutException(this.owner.kind().displayName(), this.owner.name(), null);
			timeout.initCause(ex);
			ex = timeout;
		}
		return end(ex);
	}

	@Override
	public boolean complete(T value) {
		throw refusedCompletion();
	}

	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
		throw refusedCompletion();
	}

	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
		throw refusedCompletion();
	}

	@Override
	public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
		throw refusedCompletion();
	}

	private UnsupportedOperationException refusedCompletion() {
		return new UnsupportedOperationException(this.owner.kind().displayName() + " '" + this.owner.name()
				+ "': a wait is completed by the primitive; use cancel() to give it up");
	}

	@Override
	public void obtrudeValue(T value) {
		throw new UnsupportedOperationException("A Lockstep wait cannot be overwritten");
	}

	@Override
	public void obtrudeException(Throwable ex) {
		throw new UnsupportedOperationException("A Lockstep wait cannot be overwritten");
	}

	// --- blocking bridges: interrupt or timeout gives up the place in the queue

	/**
	 * Waits for the grant. If interrupted while queued, gives up the wait (the future then fails
	 * with {@link CancellationException}) and restores the interrupt flag; if the grant won, the
	 * value is returned with the flag set.
	 * @throws IllegalStateException if called inside a continuation that Lockstep is running
	 */
	@Override
	public T join() {
		if (!isDone()) {
			awaitInterruptibly();
		}
		return super.join();
	}

	/**
	 * Waits for the grant. If interrupted while queued, gives up the wait and throws
	 * {@link InterruptedException}; if the grant won, returns the value with the interrupt flag
	 * set.
	 * @throws IllegalStateException if called inside a continuation that Lockstep is running
	 */
	@Override
	public T get() throws InterruptedException, ExecutionException {
		if (!isDone() && awaitInterruptibly()) {
			Thread.interrupted();
			throw new InterruptedException(this.owner.kind().displayName() + " '" + this.owner.name() + "': wait interrupted");
		}
		return super.get();
	}

	/**
	 * Waits for the grant for at most the given time. If the time runs out, or the thread is
	 * interrupted, while queued, gives up the wait and throws; if the grant won, returns the value.
	 * A condition wait that gives up still re-acquires the lock first, which may take longer.
	 * @throws IllegalStateException if called inside a continuation that Lockstep is running
	 */
	@Override
	public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		if (isDone()) {
			return super.get();
		}
		refuseInsideContinuation();
		try {
			return super.get(timeout, unit);
		}
		catch (TimeoutException ex) {
			boolean gaveUp = cancel(false);
			joinUninterruptibly();
			if (gaveUp) {
				throw ex;
			}
			return super.get();
		}
		catch (InterruptedException ex) {
			boolean gaveUp = cancel(false);
			joinUninterruptibly();
			if (gaveUp) {
				throw ex;
			}
			Thread.currentThread().interrupt();
			return super.get();
		}
	}

	/** Blocks until done; returns whether an interrupt ended the wait (flag then set). */
	private boolean awaitInterruptibly() {
		refuseInsideContinuation();
		try {
			super.get();
			return false;
		}
		catch (InterruptedException ex) {
			boolean gaveUp = cancel(false);
			joinUninterruptibly();
			Thread.currentThread().interrupt();
			return gaveUp;
		}
		catch (ExecutionException | CancellationException ex) {
			return false;
		}
	}

	/** Waits for the end of a wait that has been asked to end (a condition re-acquires first). */
	private void joinUninterruptibly() {
		try {
			super.join();
		}
		catch (RuntimeException ex) {
			// the outcome is read again by the caller
		}
	}

	private void refuseInsideContinuation() {
		if (Trampoline.isRunning()) {
			throw new IllegalStateException(this.owner.kind().displayName() + " '" + this.owner.name()
					+ "': blocking wait inside a continuation that Lockstep is running would wait for a"
					+ " hand-off queued behind itself; compose the future instead (thenCompose, withLock,"
					+ " withPermit)");
		}
	}

	/** A recorded failure, told apart from a granted value. */
	private record Failure(Throwable cause) {
	}

}
