package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micrometer.context.ContextSnapshot;
import org.aopalliance.intercept.MethodInvocation;

/**
 * A call of a {@code CompletionStage} method, and its {@link Admission}: the caller gets a future
 * at once and no thread waits. The method runs once admitted, and what the call holds is given
 * back when the method's own stage ends, before the caller's future completes (so that its
 * continuations may call again).
 *
 * <p>Ending the returned future early (cancel, {@code orTimeout}, {@code completeExceptionally})
 * withdraws a call that is still waiting; once the method runs, it is forwarded to the method's
 * stage, and the places are given back when that stage ends, so no more calls run than the
 * primitives allow.
 */
class StageCall extends Admission {

	private final MethodInvocation invocation;

	private final CompletableFuture<Object> result = new CompletableFuture<>();

	StageCall(MethodPlan plan, MethodInvocation invocation) {
		super(plan);
		this.invocation = invocation;
	}

	/** Starts a call of a {@code CompletionStage} method: see {@link #start(Resumption)}. */
	static CompletableFuture<Object> start(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return new StageCall(plan, invocation).start(resumption);
	}

	/**
	 * Starts the call. One that is admitted at once (the uncontended case) runs on the caller's
	 * thread, in the caller's context; one that has to wait resumes, with the caller's context
	 * restored, once admitted.
	 * @return the future of the method's result, completed once what the call holds is given back
	 */
	final CompletableFuture<Object> start(Resumption resumption) {
		try {
			admit();
		}
		catch (RuntimeException | Error ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (isAdmitted()) {
			// nobody has the result yet, so nothing can end the call while it starts
			runningAlone();
			proceed();
			return this.result;
		}
		ContextSnapshot context = resumption.capture();
		admitted().whenComplete((through, failure) -> {
			if (failure != null) {
				this.result.completeExceptionally(Admission.unwrap(failure));
			}
			else {
				resume(resumption, context);
			}
		});
		this.result.whenComplete((value, failure) -> {
			if (failure != null) {
				giveUp();
			}
		});
		return this.result;
	}

	/**
	 * Passes an early end of the returned future on to the method's stage, which gives the places
	 * back when it ends.
	 */
	void forwardEnd(CompletionStage<?> stage) {
		try {
			stage.toCompletableFuture().cancel(true);
		}
		catch (UnsupportedOperationException ex) {
			// a stage that cannot be cancelled runs to its end, and holds its places until then
		}
	}

	private void resume(Resumption resumption, ContextSnapshot context) {
		try {
			resumption.resume(context, this::run);
		}
		catch (RuntimeException ex) {
			// the executor refused the task
			exit();
			this.result.completeExceptionally(ex);
		}
	}

	private void run() {
		if (this.result.isDone() || !running()) {
			// ended (cancelled, timed out) while the grant raced it: give the grant back
			exit();
			return;
		}
		proceed();
	}

	/** Calls the method, and ends the call when the method's stage ends. */
	private void proceed() {
		CompletionStage<?> stage;
		try {
			stage = (CompletionStage<?>) this.invocation.proceed();
			if (stage == null) {
				throw new IllegalStateException(this.plan + " returned null instead of a CompletionStage");
			}
		}
		catch (Throwable ex) {
			exit();
			this.result.completeExceptionally(ex);
			return;
		}
		// a plain CompletableFuture only: a subclass (a minimal stage among them) may answer otherwise
		if (stage.getClass() == CompletableFuture.class && ((CompletableFuture<?>) stage).isDone()) {
			// the method ended before it returned (a cache hit, say): end the call now, with
			// nothing to register on either future, and no cancel left to forward
			CompletableFuture<?> done = (CompletableFuture<?>) stage;
			ended(done.isCompletedExceptionally() ? null : done.getNow(null), Admission.failureOf(done));
			return;
		}
		stage.whenComplete((value, failure) -> ended(value, failure));
		this.result.whenComplete((value, failure) -> {
			if (failure != null) {
				forwardEnd(stage);
			}
		});
	}

	/** The method's stage has ended: gives the places back, then completes the caller's future. */
	private void ended(Object value, Throwable failure) {
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
			exit();
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
	}

}
