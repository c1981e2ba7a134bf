package io.github.lockstep.benchmarks;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import kotlinx.coroutines.Job;

/**
 * Cancels a kotlinx.coroutines wait the way a coroutine is cancelled: through the {@link Job} in
 * its context, one per waiter.
 */
final class KotlinxCancellation {

	private KotlinxCancellation() {
	}

	static boolean cancel(CompletableFuture<?> acquisition) {
		if (!(acquisition instanceof FutureContinuation wait)) {
			return false; // acquired at once
		}
		if (!(wait.getContext() instanceof Job job)) {
			throw new UnsupportedOperationException("Create the peer cancellable: a wait is cancelled through its Job");
		}
		job.cancel((CancellationException) null);
		while (!wait.isDone()) {
			// the grant won and is being resumed on the releasing thread
			Thread.onSpinWait();
		}
		return wait.isCompletedExceptionally();
	}

}
