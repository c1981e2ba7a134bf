package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.Objects;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.Instrumented;
import io.github.lockstep.autoconfigure.web.RequestCalls;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What Lockstep does around one annotated method: the steps a call passes, outermost first, the
 * event it sets on success, and how the method's end is observed, which picks the call of its
 * shape ({@link SyncCall}, {@link StageCall}, {@link AsyncTaskCall}, {@link ReactiveCall}).
 */
final class MethodPlan {

	/** How a method's end is observed, from its return type. */
	enum Shape {

		/** The method has ended when it returns; the caller blocks while it waits. */
		SYNC,

		/** {@code CompletionStage} or {@code CompletableFuture}: ended when the stage is. */
		STAGE,

		/**
		 * A Spring {@code @Async} method's {@code CompletableFuture}: ended when the task's future
		 * is. A cancel is not forwarded to that future, which it would end without stopping the
		 * task.
		 */
		ASYNC_TASK,

		/** Reactor {@code Mono}: one call per subscription, ended when the subscription is. */
		MONO,

		/** Reactor {@code Flux}: one call per subscription, ended when the subscription is. */
		FLUX

	}

	private static final Log logger = LogFactory.getLog(MethodPlan.class);

	/** For methods without Lockstep annotations. */
	static final MethodPlan NONE = new MethodPlan("", Shape.SYNC, List.of(), null);

	private final String method;

	private final Shape shape;

	private final List<Step> steps;

	private final AsyncEvent setEvent;

	/** The semaphore whose permit a running call holds, for its meters: {@code @Throttled}'s, if any. */
	private final Instrumented holding;

	/** Whether a failure of {@code holding}'s probe has been logged. */
	private volatile boolean probeFailureLogged;

	MethodPlan(String method, Shape shape, List<Step> steps, AsyncEvent setEvent) {
		this.method = method;
		this.shape = shape;
		this.steps = steps;
		this.setEvent = setEvent;
		this.holding = steps.stream().map(Step::permitHolder).filter(Objects::nonNull).findFirst().orElse(null);
	}

	Object invoke(MethodInvocation invocation, Resumption resumption) throws Throwable {
		if (this == NONE) {
			return invocation.proceed();
		}
		return switch (this.shape) {
			case SYNC -> SyncCall.invoke(this, invocation);
			// bound to the web request handled on this thread, if any: see RequestCalls
			case STAGE -> RequestCalls.bindToCurrent(StageCall.start(this, invocation, resumption));
			case ASYNC_TASK -> RequestCalls.bindToCurrent(AsyncTaskCall.start(this, invocation, resumption));
			case MONO -> ReactiveCall.mono(this, invocation, resumption);
			case FLUX -> ReactiveCall.flux(this, invocation, resumption);
		};
	}

	/** The steps a call passes, outermost first. */
	List<Step> steps() {
		return this.steps;
	}

	/** The semaphore whose permit a running call holds, for its probe: {@code @Throttled}'s, if any. */
	Instrumented holding() {
		return this.holding;
	}

	/**
	 * The probe of {@link #holding()} threw: the call goes on without that report. The first
	 * failure is logged; later ones are not, so that a broken probe cannot flood the log.
	 */
	void probeFailed(String method, Throwable failure) {
		if (!this.probeFailureLogged) {
			this.probeFailureLogged = true;
			String semaphore = (this.holding instanceof AsyncPrimitive primitive) ? primitive.name()
					: String.valueOf(this.holding);
			logger.warn("The probe of the semaphore '" + semaphore + "' threw from " + method
					+ " in a call of " + this.method + "; the call goes on without that report, and later failures"
					+ " of this probe in calls of this method are not logged", failure);
		}
	}

	/** Sets the plan's event, if it has one: the call succeeded. */
	void succeeded() {
		if (this.setEvent != null) {
			this.setEvent.set();
		}
	}

	@Override
	public String toString() {
		return this.method;
	}

}
