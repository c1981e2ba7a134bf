package io.github.lockstep.autoconfigure.interceptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.lockstep.autoconfigure.web.RequestCalls;
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

	private static final VarHandle EXITED;

	static {
		try {
			EXITED = MethodHandles.lookup().findVarHandle(StageCall.class, "exited", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final MethodPlan plan;

	private final MethodInvocation invocation;

	/** {@code null} when every step let the call through at once: {@link #exit()} then gives them back. */
	private final Admission admission;

	private final CompletableFuture<Object> result = new CompletableFuture<>();

	@SuppressWarnings("unused") // accessed through EXITED
	private volatile boolean exited;

	/** Whether the method was called, and its hold (its probe token) not yet reported as ended. */
	private boolean running;

	private long held;

	private StageCall(MethodPlan plan, MethodInvocation invocation, Admission admission) {
		this.plan = plan;
		this.invocation = invocation;
		this.admission = admission;
	}

	/**
	 * Starts a call. A call whose steps are all free when it arrives (the uncontended case) takes
	 * them with {@link Step#tryEnter()} and needs no {@link Admission}: nothing can race its way
	 * in, and {@link #exit()} alone gives them back, once. A call that finds a step taken keeps
	 * the steps before it and waits for the rest through an {@link Admission}.
	 */
	static CompletableFuture<Object> start(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		List<Step> steps = plan.steps();
		int entered = 0;
		try {
			while (entered < steps.size() && steps.get(entered).tryEnter()) {
				entered++;
			}
		}
		catch (RuntimeException | Error ex) {
			Admission.exit(steps, entered);
			return CompletableFuture.failedFuture(ex);
		}
		if (entered == steps.size()) {
			// every step free (the uncontended case): no admission to coordinate, run on the
			// caller's thread, in the caller's context
			StageCall call = new StageCall(plan, invocation, null);
			call.run();
			return call.result;
		}
		StageCall call = new StageCall(plan, invocation, Admission.start(steps, entered));
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

	/** Gives back what the call holds, once; later calls do nothing. */
	private void exit() {
		if (this.running) {
			// the method's stage ends once: one exit after run() started it
			this.running = false;
			this.plan.holdEnded(this.held);
		}
		if (this.admission != null) {
			this.admission.exit();
		}
		else if (EXITED.compareAndSet(this, false, true)) {
			Admission.exit(this.plan.steps(), this.plan.steps().size());
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
		if (this.result.isDone()) {
			// ended (cancelled, timed out) while the grant raced it: give the grant back
			exit();
			return;
		}
		this.held = this.plan.holdStarted();
		this.running = true;
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
