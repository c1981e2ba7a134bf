package io.github.lockstep.redis;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.WaitOutcome;

/**
 * The future of one {@link Acquisition}. Only the primitive completes it normally; {@code cancel},
 * {@code completeExceptionally} and {@code orTimeout} withdraw the wait (in Redis too), or, if the
 * grant won the race, leave the future completed normally with the permit the caller's.
 *
 * <p>Blocking {@code join()} and {@code get()} give up the wait when interrupted, and are refused
 * where the reply they wait for could never be read: inside a continuation a Redis primitive runs,
 * or on a Lettuce thread.
 */
final class RedisWaiter extends CompletableFuture<Void> {

	private final Acquisition acquisition;

	RedisWaiter(Acquisition acquisition) {
		this.acquisition = acquisition;
	}

	// --- the primitive's side

	Acquisition acquisition() {
		return this.acquisition;
	}

	void granted() {
		Completions.run(() -> super.complete(null));
	}

	void failed(Throwable failure) {
		Completions.run(() -> super.completeExceptionally(failure));
	}

	/** The timer of a timed acquire ran out. */
	void expire() {
		end(new AcquireTimeoutException(this.acquisition.owner.kind, this.acquisition.owner.name,
				this.acquisition.timeout));
	}

	private boolean end(Throwable failure) {
		if (isDone()) {
			return false;
		}
		WaitOutcome outcome = (failure instanceof AcquireTimeoutException) ? WaitOutcome.TIMEOUT : WaitOutcome.CANCELLED;
		switch (this.acquisition.owner.withdraw(this.acquisition, outcome)) {
			case WITHDRAWN -> {
				// no grant can complete it any more: the wait left the states a grant applies to
				failed(failure);
				return true;
			}
			case GRANTED -> {
				granted();
				return false;
			}
			default -> {
				return false;
			}
		}
	}

	// --- CompletableFuture: cancellation and timeouts withdraw, completion is refused

	/**
	 * Gives up the wait if it is still waiting, here and in Redis. Returns {@code false}, with the
	 * future completed normally, if the grant won the race: the caller then holds the permit.
	 */
	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		RedisPermits owner = this.acquisition.owner;
		return end(new CancellationException(owner.kind + " '" + owner.name + "': wait cancelled"));
	}

	@Override
	public boolean completeExceptionally(Throwable ex) {
		if (ex instanceof TimeoutException) {
			RedisPermits owner = this.acquisition.owner;
			AcquireTimeoutException timeout = new AcquireTimeoutException(owner.kind, owner.name, null);
			timeout.initCause(ex);
			ex = timeout;
		}
		return end(ex);
	}

	@Override
	public boolean complete(Void value) {
		throw refusedCompletion();
	}

	@Override
	public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier) {
		throw refusedCompletion();
	}

	@Override
	public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier, Executor executor) {
		throw refusedCompletion();
	}

	@Override
	public CompletableFuture<Void> completeOnTimeout(Void value, long timeout, TimeUnit unit) {
		throw refusedCompletion();
	}

	@Override
	public void obtrudeValue(Void value) {
		throw refusedCompletion();
	}

	@Override
	public void obtrudeException(Throwable ex) {
		throw refusedCompletion();
	}

	private UnsupportedOperationException refusedCompletion() {
		RedisPermits owner = this.acquisition.owner;
		return new UnsupportedOperationException(owner.kind + " '" + owner.name
				+ "': a wait is completed by the primitive; use cancel() to give it up");
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new CompletableFuture<>();
	}

	// --- blocking bridges

	/**
	 * Waits for the grant; if interrupted, gives up the wait and restores the interrupt flag.
	 * @throws IllegalStateException inside a continuation of a Redis primitive or on a Lettuce thread
	 */
	@Override
	public Void join() {
		if (!isDone()) {
			refuseIfUnsafe();
			try {
				super.get();
			}
			catch (InterruptedException ex) {
				cancel(false);
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | CancellationException ex) {
				// reported by join below
			}
		}
		return super.join();
	}

	@Override
	public Void get() throws InterruptedException, ExecutionException {
		if (!isDone()) {
			refuseIfUnsafe();
			try {
				return super.get();
			}
			catch (InterruptedException ex) {
				if (cancel(false)) {
					throw ex;
				}
				Thread.currentThread().interrupt();
			}
		}
		return super.get();
	}

	@Override
	public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		if (!isDone()) {
			refuseIfUnsafe();
			try {
				return super.get(timeout, unit);
			}
			catch (TimeoutException ex) {
				if (cancel(false)) {
					throw ex;
				}
			}
			catch (InterruptedException ex) {
				if (cancel(false)) {
					throw ex;
				}
				Thread.currentThread().interrupt();
			}
		}
		return super.get();
	}

	private void refuseIfUnsafe() {
		if (!Completions.mayBlock()) {
			RedisPermits owner = this.acquisition.owner;
			throw new IllegalStateException(owner.kind + " '" + owner.name + "': a blocking wait here would hold"
					+ " the thread that reads Redis's replies (a Lockstep continuation or a Lettuce thread); compose"
					+ " the future instead (thenCompose, withLock, withPermit)");
		}
	}

}
