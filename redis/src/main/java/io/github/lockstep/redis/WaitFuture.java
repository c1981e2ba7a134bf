package io.github.lockstep.redis;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.github.lockstep.AcquireTimeoutException;

/**
 * The future of one wait on a Redis primitive. Only the primitive completes it ({@link #succeed},
 * {@link #fail}); {@code cancel}, {@code completeExceptionally} and {@code orTimeout} ask it to
 * give the wait up ({@link #end}), which the primitive may refuse once it has decided the wait;
 * the other ways to complete it are refused.
 *
 * <p>Blocking {@code join()} and {@code get()} give up the wait when interrupted, and are refused
 * where the reply they wait for could never be read: inside a continuation a Redis primitive runs,
 * or on a Lettuce thread.
 */
abstract class WaitFuture<T> extends CompletableFuture<T> {

	final String kind;

	final String name;

	WaitFuture(String kind, String name) {
		this.kind = kind;
		this.name = name;
	}

	// --- the primitive's side

	final void succeed(T value) {
		Completions.run(() -> super.complete(value));
	}

	final void fail(Throwable failure) {
		Completions.run(() -> super.completeExceptionally(failure));
	}

	/**
	 * Gives the wait up with {@code failure} if the primitive agrees that it is still waiting.
	 * @return whether it did: {@code false} if the wait had ended, or the grant won the race
	 */
	abstract boolean end(Throwable failure);

	final String owner() {
		return this.kind + " '" + this.name + "'";
	}

	// --- CompletableFuture: giving up is allowed, completing is not

	/** Gives up the wait if it is still waiting; returns {@code false} if it has ended. */
	@Override
	public final boolean cancel(boolean mayInterruptIfRunning) {
		return end(new CancellationException(owner() + ": wait cancelled"));
	}

	@Override
	public final boolean completeExceptionally(Throwable ex) {
		if (ex instanceof TimeoutException) {
			AcquireTimeoutException timeout = new AcquireTimeoutException(this.kind, this.name, null);
			timeout.initCause(ex);
			return end(timeout);
		}
		return end(ex);
	}

	@Override
	public final boolean complete(T value) {
		throw refused();
	}

	@Override
	public final CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
		throw refused();
	}

	@Override
	public final CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
		throw refused();
	}

	@Override
	public final CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
		throw refused();
	}

	@Override
	public final void obtrudeValue(T value) {
		throw refused();
	}

	@Override
	public final void obtrudeException(Throwable ex) {
		throw refused();
	}

	private UnsupportedOperationException refused() {
		return new UnsupportedOperationException(
				owner() + ": a wait is completed by the primitive; use cancel() to give it up");
	}

	@Override
	public final <U> CompletableFuture<U> newIncompleteFuture() {
		return new CompletableFuture<>();
	}

	// --- blocking bridges: an interrupt gives the wait up

	@Override
	public final T join() {
		if (!isDone()) {
			Completions.refuseBlocking(owner());
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
	public final T get() throws InterruptedException, ExecutionException {
		if (!isDone()) {
			Completions.refuseBlocking(owner());
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
	public final T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		if (!isDone()) {
			Completions.refuseBlocking(owner());
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

}
