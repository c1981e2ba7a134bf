package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;

import kotlin.Result;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;

/**
 * Calls a kotlinx.coroutines suspending function from Java: the continuation is itself the future
 * the caller gets, so the bridge costs one object, as the caller's own state machine would in
 * Kotlin. With no dispatcher in the context, the coroutine machinery resumes it on the thread that
 * releases or cancels.
 */
final class FutureContinuation extends CompletableFuture<Void> implements Continuation<Unit> {

	private final CoroutineContext context;

	FutureContinuation(CoroutineContext context) {
		this.context = context;
	}

	/**
	 * Completes this future if {@code returned}, what the suspending function returned, says that
	 * it did not suspend.
	 * @param returned the suspending function's return value
	 * @return this future
	 */
	FutureContinuation started(Object returned) {
		if (returned != IntrinsicsKt.getCOROUTINE_SUSPENDED()) {
			complete(null);
		}
		return this;
	}

	@Override
	public CoroutineContext getContext() {
		return this.context;
	}

	@Override
	public void resumeWith(Object result) {
		if (result instanceof Result.Failure failure) {
			completeExceptionally(failure.exception);
		}
		else {
			complete(null);
		}
	}

}
