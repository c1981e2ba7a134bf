package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.Instrumented;
import io.github.lockstep.autoconfigure.web.RequestCalls;
import org.aopalliance.intercept.MethodInvocation;

/**
 * What Lockstep does around one annotated method: the steps a call passes, outermost first, the
 * event it sets on success, and how the method's end is observed.
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

	/** For methods without Lockstep annotations. */
	static final MethodPlan NONE = new MethodPlan("", Shape.SYNC, List.of(), null);

	private final String method;

	private final Shape shape;

	private final List<Step> steps;

	private final AsyncEvent setEvent;

	/** The semaphore whose permit a running call holds, for its meters: {@code @Throttled}'s, if any. */
	private final Instrumented holding;

	MethodPlan(String method, Shape shape, List<Step> steps, AsyncEvent setEvent) {
		this.method = method;
		this.shape = shape;
		this.steps = steps;
		this.setEvent = setEvent;
		this.holding = steps.stream().map(Step::permitHolder).filter(Objects::nonNull).findFirst().orElse(null);
	}

	/**
	 * Reports that an admitted call starts running, holding its {@code @Throttled} permit.
	 * @return the token for {@link #holdEnded}
	 */
	long holdStarted() {
		return (this.holding != null) ? this.holding.probe().holdStarted() : 0;
	}

	/** Reports that a call started by {@link #holdStarted} has ended. */
	void holdEnded(long started) {
		if (this.holding != null) {
			this.holding.probe().holdEnded(started);
		}
	}

	Object invoke(MethodInvocation invocation, Resumption resumption) throws Throwable {
		if (this == NONE) {
			return invocation.proceed();
		}
		return switch (this.shape) {
			case SYNC -> invokeBlocking(invocation);
			// bound to the web request handled on this thread, if any: see RequestCalls
			case STAGE, ASYNC_TASK -> RequestCalls.bindToCurrent(StageCall.start(this, invocation, resumption));
			case MONO -> ReactiveCalls.mono(this, invocation, resumption);
			case FLUX -> ReactiveCalls.flux(this, invocation, resumption);
		};
	}

	/** The sync path: waits on the calling thread (interruptibly, giving up its place). */
	private Object invokeBlocking(MethodInvocation invocation) throws Throwable {
		enterAll();
		long held = 0;
		try {
			held = holdStarted();
			Object result = invocation.proceed();
			succeeded();
			return result;
		}
		finally {
			holdEnded(held);
			Admission.exit(this.steps, this.steps.size());
		}
	}

	/** Enters every step in turn; if one fails, gives back those entered before and throws. */
	private void enterAll() throws Throwable {
		int entered = 0;
		try {
			for (Step step : this.steps) {
				enter(step);
				entered++;
			}
		}
		catch (Throwable ex) {
			try {
				Admission.exit(this.steps, entered);
			}
			catch (RuntimeException exitFailure) {
				ex.addSuppressed(exitFailure);
			}
			throw ex;
		}
	}

	/**
	 * Waits for one step. A wait that ends in a throw (the refusal to block inside a Lockstep
	 * continuation among them, which leaves the wait queued) is withdrawn, and a grant that won
	 * the race is given back, so that nothing is left holding or queued for a call that failed.
	 */
	private static void enter(Step step) throws Throwable {
		CompletableFuture<?> wait = step.enter();
		try {
			join(wait);
		}
		catch (Throwable ex) {
			if (!wait.cancel(false) && wait.isDone() && !wait.isCompletedExceptionally()) {
				step.exit();
			}
			throw ex;
		}
	}

	private static void join(CompletableFuture<?> wait) throws Throwable {
		if (wait.isDone() && !wait.isCompletedExceptionally()) {
			return;
		}
		try {
			// a Lockstep wait's join gives up its place on interrupt, and refuses to block inside
			// a continuation that Lockstep runs
			wait.join();
		}
		catch (CompletionException ex) {
			throw Admission.unwrap(ex);
		}
	}

	/**
	 * Whether ending the returned future early is forwarded to the method's own stage: not for an
	 * {@code @Async} task, which keeps running, and so keeps its places, until it returns.
	 */
	boolean forwardsCancel() {
		return this.shape != Shape.ASYNC_TASK;
	}

	List<Step> steps() {
		return this.steps;
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
