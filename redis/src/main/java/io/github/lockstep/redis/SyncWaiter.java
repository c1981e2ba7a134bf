package io.github.lockstep.redis;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.github.lockstep.AcquireTimeoutException;

/**
 * The future of an event wait or a barrier arrival. Only the primitive completes it normally, or
 * breaks it; {@code cancel}, {@code completeExceptionally} and {@code orTimeout} give the wait up
 * (by the {@code leave} the primitive gave), and are refused once the primitive has decided it.
 *
 * <p>Blocking {@code join()} and {@code get()} give up the wait when interrupted, and are refused
 * where the reply they wait for could never be read: inside a continuation a Redis primitive runs,
 * or on a Lettuce thread.
 */
final class SyncWaiter<T> extends CompletableFuture<T> {

	private final String owner;

	private final String kind;

	private final String name;

	/** Gives the wait up if it is still waiting; returns whether it did. */
	private volatile Predicate<Throwable> leave = (failure) -> false;

	SyncWaiter(String kind, String name) {
		this.kind = kind;
		this.name = name;
		this.owner = kind + " '" + name + "'";
	}

	void leaveBy(Predicate<Throwable> leave) {
		this.leave = leave;
	}

	// --- the primitive's side

	void succeed(T value) {
		Completions.run(() -> super.complete(value));
	}

	void fail(Throwable failure) {
		Completions.run(() -> super.completeExceptionally(failure));
	}

	/** Ends the wait with {@code failure} if the primitive agrees that it is still waiting. */
	boolean end(Throwable failure) {
		if (isDone() || !this.leave.test(failure)) {
			return false;
		}
		fail(failure);
		return true;
	}

	AcquireTimeoutException timeout(java.time.Duration after) {
		return new AcquireTimeoutException(this.kind, this.name, after);
	}

	// --- CompletableFuture: giving up is allowed, completing is not

	/** Gives up the wait if it is still waiting; returns {@code false} if it has ended. */
	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		return end(new CancellationException(this.owner + ": wait cancelled"));
	}

	@Override
	public boolean completeExceptionally(Throwable ex) {
		if (ex instanceof TimeoutException) {
			AcquireTimeoutException timeout = timeout(null);
			timeout.initCause(ex);
			return end(timeout);
		}
		return end(ex);
	}

	@Override
	public boolean complete(T value) {
		throw refused();
	}

	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
		throw refused();
	}

	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
		throw refused();
	}

	@Override
	public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
		throw refused();
	}

	@Override
	public void obtrudeValue(T value) {
		throw refused();
	}

	@Override
	public void obtrudeException(Throwable ex) {
		throw refused();
	}

	private UnsupportedOperationException refused() {
		return new UnsupportedOperationException(this.owner + ": a wait is completed by the primitive; use cancel()"
				+ " to give it up");
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new CompletableFuture<>();
	}

	// --- blocking bridges: an interrupt gives the wait up

	@Override
	public T join() {
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
				// join reports it below, in its own types
			}
		}
		return super.join();
	}

	@Override
	public T get() throws InterruptedException, ExecutionException {
		if (!isDone()) {
			refuseIfUnsafe();
			try {
				return super.get();
			}
			catch (InterruptedException ex) {
				giveUpOr(ex);
			}
		}
		return super.get();
	}

	@Override
	public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		if (!isDone()) {
			refuseIfUnsafe();
			try {
				return super.get(timeout, unit);
			}
			catch (InterruptedException ex) {
				giveUpOr(ex);
			}
			catch (TimeoutException ex) {
				if (cancel(false)) {
					throw ex;
				}
			}
		}
		return super.get();
	}

	/** Rethrows the interrupt if the wait could be given up; otherwise keeps the flag for the caller. */
	private void giveUpOr(InterruptedException ex) throws InterruptedException {
		if (cancel(false)) {
			throw ex;
		}
		Thread.currentThread().interrupt();
	}

	private void refuseIfUnsafe() {
		if (!Completions.mayBlock()) {
			throw new IllegalStateException(this.owner + ": a blocking wait here would hold the thread that reads"
					+ " Redis's replies (a Lockstep continuation or a Lettuce thread); compose the future instead");
		}
	}

}
