package io.github.lockstep;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
		CompletableFuture<T> result = new CompletableFuture<>();
		acquisition.whenComplete((granted, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else if (result.isDone()) {
				// cancelled while waiting, but the grant won the race: hand it straight back
				release.run();
			}
			else {
				runHolding(result, release, action);
			}
		});
		// Cancelling the caller's future gives up a wait that is still queued.
		result.whenComplete((value, failure) -> {
			if (result.isCancelled()) {
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
		// Once the action runs, cancellation reaches the action's own stage; the permit is
		// returned when that stage ends, so no more actions run than there are permits.
		result.whenComplete((value, failure) -> {
			if (result.isCancelled()) {
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
		catch (RuntimeException ex) {
			result.completeExceptionally(ex);
			return;
		}
		complete.run();
	}

}
