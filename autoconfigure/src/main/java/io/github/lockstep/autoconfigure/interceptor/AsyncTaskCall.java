package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A call of a Spring {@code @Async} method, whose {@code CompletableFuture} is the task's: a
 * {@link StageCall}, except that an early end of the returned future is not forwarded to that
 * future, which it would end while the task runs on. The task keeps its places until it returns.
 */
final class AsyncTaskCall extends StageCall {

	private AsyncTaskCall(MethodPlan plan, MethodInvocation invocation) {
		super(plan, invocation);
	}

	/** Starts a call of an {@code @Async} method. */
	static CompletableFuture<Object> start(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return new AsyncTaskCall(plan, invocation).start(resumption);
	}

	@Override
	void forwardEnd(CompletionStage<?> stage) {
		// the task runs on, and holds its places, until it returns
	}

}
