package io.github.lockstep;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs an asynchronous action between an acquisition and exactly one release: the shared body of
 * {@code withLock} and {@code withPermit}.
 */
final class Guard {

	private Guard() {
	}

	static <T> CompletableFuture<T> run(CompletableFuture<Void> acquisition, Runnable release,
			Supplier<? extends CompletionStage<T>> action) {
		CompletableFuture<T> result = new Result<>();
		acquisition.whenComplete((granted, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else if (result.isDone()) {
				// ended (cancelled, timed out) while waiting, but the grant won the race: hand it back
				release.run();
			}
			else {
				runHolding(result, release, action);
			}
		});
		// Ending the caller's future in any way (cancel, orTimeout, completeExceptionally) gives
		// up a wait that is still queued.
		result.whenComplete((value, failure) -> {
			if (failure != null) {
				acquisition.cancel(false);
			}
		});
		return result;
	}

	private static <T> void runHolding(CompletableFuture<T> result, Runnable release,
			Supplier<? extends CompletionStage<T>> action) {
		CompletionStage<T> stage;
		try {
			stage = action.get();
			if (stage == null) {
				throw new NullPointerException("the action returned null instead of a CompletionStage");
			}
		}
		catch (Throwable ex) {
			releaseThen(release, () -> result.completeExceptionally(ex), result);
			return;
		}
		stage.whenComplete((value, failure) -> releaseThen(release, () -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(value);
			}
		}, result));
		// Once the action runs, the end of the caller's future reaches the action's own stage; the
		// permit is returned when that stage ends, so no more actions run than there are permits.
		result.whenComplete((value, failure) -> {
			if (failure != null) {
				try {
					stage.toCompletableFuture().cancel(false);
				}
				catch (UnsupportedOperationException ex) {
					// a stage that cannot be cancelled runs to its end
				}
			}
		});
	}

	/** Releases first, so that the result's continuations can acquire again. */
	private static void releaseThen(Runnable release, Runnable complete, CompletableFuture<?> result) {
		try {
			release.run();
		}
		catch (Throwable ex) {
			result.completeExceptionally(ex);
			return;
		}
		complete.run();
	}

	/**
	 * The caller's future (also of {@code acquireHold}); like a queued wait, it refuses to block
	 * inside a continuation that Lockstep is running, where the grant it waits for could be queued
	 * behind the caller.
	 */
	static final class Result<T> extends CompletableFuture<T> {

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new CompletableFuture<>();
		}

		@Override
		public T join() {
			refuseInsideContinuation();
			return super.join();
		}

		@Override
		public T get() throws InterruptedException, ExecutionException {
			refuseInsideContinuation();
			return super.get();
		}

		@Override
		public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
			refuseInsideContinuation();
			return super.get(timeout, unit);
		}

		private void refuseInsideContinuation() {
			if (!isDone() && Trampoline.isRunning()) {
				throw new IllegalStateException("withLock/withPermit/acquireHold: blocking wait inside a continuation that"
						+ " Lockstep is running would wait for a hand-off queued behind itself; compose the"
						+ " future instead (thenCompose)");
			}
		}

	}

}
