package io.github.lockstep.autoconfigure.interceptor;

import io.micrometer.context.ContextSnapshot;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * A call of a Reactor {@code Mono} or {@code Flux} method, and its {@link Admission}, one per
 * subscription: its wait starts on subscribe and holds no thread, the method is called once
 * admitted, and what the call holds is given back, exactly once, when the subscription ends: on
 * completion and on error before the signal goes downstream (so a subscriber that has its result may call again at once); on cancel
 * (a dispose) at once if the method has not been called, else once the cancel has reached the
 * method's publisher (so a call admitted in its place cannot start before the cancelled one is
 * told to stop). Loaded only when Reactor is present.
 */
final class ReactiveCall extends Admission {

	private final MethodInvocation invocation;

	private final Resumption resumption;

	/** The caller's context, for a call that had to wait; {@code null} for one admitted at once. */
	private final ContextSnapshot context;

	private ReactiveCall(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		super(plan);
		this.invocation = invocation;
		this.resumption = resumption;
		admit();
		this.context = isAdmitted() ? null : resumption.capture();
	}

	static Mono<Object> mono(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return Mono.defer(() -> {
			ReactiveCall call = new ReactiveCall(plan, invocation, resumption);
			return call.whenAdmitted()
				.then(Mono.defer(() -> Mono.from(call.invoke()).doFinally((signal) -> call.exit())))
				.doOnSuccess((value) -> call.succeeded())
				.doOnError((failure) -> call.exit())
				.doFinally(call::ended);
		});
	}

	static Flux<Object> flux(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return Flux.defer(() -> {
			ReactiveCall call = new ReactiveCall(plan, invocation, resumption);
			return call.whenAdmitted()
				.thenMany(Flux.defer(() -> Flux.from(call.invoke()).doFinally((signal) -> call.exit())))
				.doOnComplete(call::succeeded)
				.doOnError((failure) -> call.exit())
				.doFinally(call::ended);
		});
	}

	/** Completes once admitted; a cancel does not reach the wait here but in {@link #ended}. */
	private Mono<Void> whenAdmitted() {
		Mono<Void> admitted = Mono.fromFuture(admitted(), true);
		if (this.context != null && this.resumption.executor() != null) {
			admitted = admitted.publishOn(Schedulers.fromExecutor(this.resumption.executor()));
		}
		return admitted;
	}

	/**
	 * Calls the method, in the caller's context if the call had to wait; not if the call was given
	 * up meanwhile. The publisher it returns runs in whatever context Reactor gives it (see
	 * {@code Hooks.enableAutomaticContextPropagation()}).
	 */
	@SuppressWarnings({ "unchecked", "try" })
	private Publisher<Object> invoke() {
		if (!running()) {
			// given up by a cancel, which ends the subscription: never complete, so that no late
			// completion can look like a success (and set the plan's event)
			return Flux.never();
		}
		// one call per subscription, each through the interceptors inside Lockstep's
		MethodInvocation call = (this.invocation instanceof ProxyMethodInvocation proxied)
				? proxied.invocableClone() : this.invocation;
		Publisher<Object> publisher;
		try (ContextSnapshot.Scope scope = (this.context != null) ? this.context.setThreadLocals() : null) {
			publisher = (Publisher<Object>) call.proceed();
		}
		catch (Throwable ex) {
			return Flux.error(ex);
		}
		if (publisher == null) {
			return Flux.error(new IllegalStateException(this.plan + " returned null instead of a publisher"));
		}
		return publisher;
	}

	private void succeeded() {
		try {
			this.plan.succeeded();
		}
		finally {
			exit();
		}
	}

	/**
	 * On a cancel, gives up a call whose method has not been called; else the end of the
	 * method's publisher gives back what it holds. Runs after the cancel has reached upstream:
	 * giving up cancels the admission future, which a still-subscribed {@code fromFuture} would
	 * report as an error dropped after the cancel.
	 */
	private void ended(SignalType signal) {
		if (signal == SignalType.CANCEL) {
			giveUp();
		}
	}

}
