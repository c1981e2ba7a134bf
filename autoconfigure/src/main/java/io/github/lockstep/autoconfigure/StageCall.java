package io.github.lockstep.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micrometer.context.ContextSnapshot;
import org.aopalliance.intercept.MethodInvocation;

/**
 * A call of a {@code CompletionStage} method: the caller gets a future at once and no thread waits.
 * The method runs once admitted, and what the call holds is given back when the method's own
 * stage ends.
 *
 * <p>Ending the returned future early (cancel, {@code orTimeout}, {@code completeExceptionally})
 * withdraws a call that is still waiting; once the method runs, it is forwarded to the method's
 * stage (not to an {@code @Async} task's future, which a cancel would end while the task runs on),
 * and the places are given back when that stage ends, so no more calls run than the primitives
 * allow.
 */
final class StageCall {

	private final MethodPlan plan;

	private final MethodInvocation invocation;

	private final Admission admission;

	private final CompletableFuture<Object> result = new CompletableFuture<>();

	private StageCall(MethodPlan plan, MethodInvocation invocation) {
		this.plan = plan;
		this.invocation = invocation;
		this.admission = Admission.start(plan.steps());
	}

	static CompletableFuture<Object> start(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		StageCall call = new StageCall(plan, invocation);
		CompletableFuture<Void> admitted = call.admission.admitted();
		if (admitted.isDone() && !admitted.isCompletedExceptionally()) {
			// admitted at once: run on the caller's thread, in the caller's context
			call.run();
			return call.result;
		}
		ContextSnapshot context = resumption.capture();
		admitted.whenComplete((through, failure) -> {
			if (failure != null) {
				call.result.completeExceptionally(Admission.unwrap(failure));
			}
			else {
				call.resume(resumption, context);
			}
		});
		call.result.whenComplete((value, failure) -> {
			if (failure != null) {
				call.admission.giveUp();
			}
		});
		return call.result;
	}

	private void resume(Resumption resumption, ContextSnapshot context) {
		try {
			resumption.resume(context, this::run);
		}
		catch (RuntimeException ex) {
			// the executor refused the task
			this.admission.exit();
			this.result.completeExceptionally(ex);
		}
	}

	private void run() {
		if (this.result.isDone()) {
			// ended (cancelled, timed out) while the grant raced it: give the grant back
			this.admission.exit();
			return;
		}
		CompletionStage<?> stage;
		try {
			stage = (CompletionStage<?>) this.invocation.proceed();
			if (stage == null) {
				throw new IllegalStateException(this.plan + " returned null instead of a CompletionStage");
			}
		}
		catch (Throwable ex) {
			this.admission.exit();
			this.result.completeExceptionally(ex);
			return;
		}
		stage.whenComplete((value, failure) -> {
			Throwable end = (failure != null) ? Admission.unwrap(failure) : null;
			try {
				if (end == null) {
					this.plan.succeeded();
				}
			}
			catch (RuntimeException ex) {
				end = ex;
			}
			try {
				// given back before the caller's continuations run, so they can enter again
				this.admission.exit();
			}
			catch (RuntimeException ex) {
				end = (end != null) ? end : ex;
			}
			if (end != null) {
				this.result.completeExceptionally(end);
			}
			else {
				this.result.complete(value);
			}
		});
		this.result.whenComplete((value, failure) -> {
			if (failure != null && this.plan.forwardsCancel()) {
				cancel(stage);
			}
		});
	}

	private static void cancel(CompletionStage<?> stage) {
		try {
			stage.toCompletableFuture().cancel(true);
		}
		catch (UnsupportedOperationException ex) {
			// a stage that cannot be cancelled runs to its end, and holds its places until then
		}
	}

}
