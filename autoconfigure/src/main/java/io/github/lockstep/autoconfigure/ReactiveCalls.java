package io.github.lockstep.autoconfigure;

import io.micrometer.context.ContextSnapshot;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * Calls of Reactor {@code Mono} and {@code Flux} methods. Each subscription is one call: its wait
 * starts on subscribe and holds no thread, the method is called once admitted, and what the call
 * holds is given back, exactly once, when the subscription ends: on completion and on error
 * before the signal goes downstream, and on cancel (a dispose). Loaded only when Reactor is
 * present.
 */
final class ReactiveCalls {

	private ReactiveCalls() {
	}

	static Mono<Object> mono(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return Mono.defer(() -> {
			Admission admission = Admission.start(plan.steps());
			ContextSnapshot context = resumption.capture();
			return admitted(admission, resumption)
				.then(Mono.defer(() -> Mono.from(call(plan, invocation, context))))
				.doOnSuccess((value) -> succeeded(plan, admission))
				.doOnError((failure) -> admission.exit())
				.doFinally((signal) -> cancelled(signal, admission));
		});
	}

	static Flux<Object> flux(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return Flux.defer(() -> {
			Admission admission = Admission.start(plan.steps());
			ContextSnapshot context = resumption.capture();
			return admitted(admission, resumption)
				.thenMany(Flux.defer(() -> call(plan, invocation, context)))
				.doOnComplete(() -> succeeded(plan, admission))
				.doOnError((failure) -> admission.exit())
				.doFinally((signal) -> cancelled(signal, admission));
		});
	}

	/** Completes once admitted; a cancel is left to {@link #cancelled}, which gives up the wait. */
	private static Mono<Void> admitted(Admission admission, Resumption resumption) {
		Mono<Void> admitted = Mono.fromFuture(admission.admitted(), true);
		if (resumption.executor() != null && !admission.admitted().isDone()) {
			Scheduler scheduler = Schedulers.fromExecutor(resumption.executor());
			admitted = admitted.publishOn(scheduler);
		}
		return admitted;
	}

	/**
	 * Calls the method in the caller's context. The publisher it returns runs in whatever context
	 * Reactor gives it (see {@code Hooks.enableAutomaticContextPropagation()}).
	 */
	@SuppressWarnings({ "unchecked", "try" })
	private static Publisher<Object> call(MethodPlan plan, MethodInvocation invocation, ContextSnapshot context) {
		// one call per subscription, each through the interceptors inside Lockstep's
		MethodInvocation call = (invocation instanceof ProxyMethodInvocation proxied) ? proxied.invocableClone()
				: invocation;
		Publisher<Object> publisher;
		try (ContextSnapshot.Scope scope = context.setThreadLocals()) {
			publisher = (Publisher<Object>) call.proceed();
		}
		catch (Throwable ex) {
			return Flux.error(ex);
		}
		if (publisher == null) {
			return Flux.error(new IllegalStateException(plan + " returned null instead of a publisher"));
		}
		return publisher;
	}

	/**
	 * Gives back what a cancelled subscription holds. Runs once the cancel has reached upstream:
	 * giving up a wait cancels the admission future, which a still-subscribed {@code fromFuture}
	 * would report as an error dropped after the cancel.
	 */
	private static void cancelled(SignalType signal, Admission admission) {
		if (signal == SignalType.CANCEL) {
			admission.exit();
		}
	}

	private static void succeeded(MethodPlan plan, Admission admission) {
		try {
			plan.succeeded();
		}
		finally {
			admission.exit();
		}
	}

}
