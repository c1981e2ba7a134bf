package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.context.ContextSnapshot;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * Calls of Reactor {@code Mono} and {@code Flux} methods. Each subscription is one call: its wait
 * starts on subscribe and holds no thread, the method is called once admitted, and what the call
 * holds is given back, exactly once, when the subscription ends: on completion and on error
 * before the signal goes downstream (so a subscriber that has its result may call again at once);
 * on cancel (a dispose) at once if the method has not been called, else once the cancel has
 * reached the method's publisher (so a call admitted in its place cannot start before the
 * cancelled one is told to stop). Loaded only when Reactor is present.
 */
final class ReactiveCalls {

	private ReactiveCalls() {
	}

	static Mono<Object> mono(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return Mono.defer(() -> {
			Call call = new Call(plan, invocation, resumption);
			return call.admitted()
				.then(Mono.defer(() -> Mono.from(call.invoke()).doFinally((signal) -> call.exit())))
				.doOnSuccess((value) -> call.succeeded())
				.doOnError((failure) -> call.exit())
				.doFinally(call::ended);
		});
	}

	static Flux<Object> flux(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
		return Flux.defer(() -> {
			Call call = new Call(plan, invocation, resumption);
			return call.admitted()
				.thenMany(Flux.defer(() -> Flux.from(call.invoke()).doFinally((signal) -> call.exit())))
				.doOnComplete(call::succeeded)
				.doOnError((failure) -> call.exit())
				.doFinally(call::ended);
		});
	}

	/** One subscription's call. */
	private static final class Call {

		private static final int WAITING = 0;

		private static final int CALLED = 1;

		private static final int CANCELLED = 2;

		/** Called, and then ended: its hold is reported. */
		private static final int EXITED = 3;

		private final MethodPlan plan;

		private final MethodInvocation invocation;

		private final Resumption resumption;

		private final Admission admission;

		private final ContextSnapshot context;

		/** Decides between a cancel and the method's call, which may race on two threads. */
		private final AtomicInteger state = new AtomicInteger(WAITING);

		/** The hold token of a called method; written once {@code state} is CALLED. */
		private long held;

		Call(MethodPlan plan, MethodInvocation invocation, Resumption resumption) {
			this.plan = plan;
			this.invocation = invocation;
			this.resumption = resumption;
			this.admission = Admission.start(plan.steps());
			this.context = this.admission.admitted().isDone() ? null : resumption.capture();
		}

		/** Completes once admitted; a cancel does not reach the wait here but in {@link #ended}. */
		Mono<Void> admitted() {
			Mono<Void> admitted = Mono.fromFuture(this.admission.admitted(), true);
			if (this.context != null && this.resumption.executor() != null) {
				admitted = admitted.publishOn(Schedulers.fromExecutor(this.resumption.executor()));
			}
			return admitted;
		}

		/**
		 * Calls the method, in the caller's context if the call had to wait. The publisher it
		 * returns runs in whatever context Reactor gives it (see
		 * {@code Hooks.enableAutomaticContextPropagation()}).
		 */
		@SuppressWarnings({ "unchecked", "try" })
		Publisher<Object> invoke() {
			if (!this.state.compareAndSet(WAITING, CALLED)) {
				return Flux.empty();
			}
			// read by exit(), which the method's publisher, called below, must end first
			this.held = this.plan.holdStarted();
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

		void succeeded() {
			try {
				this.plan.succeeded();
			}
			finally {
				exit();
			}
		}

		/** Gives back what the call holds, reporting the end of a called method's hold once. */
		void exit() {
			if (this.state.compareAndSet(CALLED, EXITED)) {
				this.plan.holdEnded(this.held);
			}
			this.admission.exit();
		}

		/**
		 * On a cancel, gives up a call whose method has not been called; else the end of the
		 * method's publisher gives back what it holds. Runs after the cancel has reached upstream:
		 * giving up cancels the admission future, which a still-subscribed {@code fromFuture}
		 * would report as an error dropped after the cancel.
		 */
		void ended(SignalType signal) {
			if (signal == SignalType.CANCEL && this.state.compareAndSet(WAITING, CANCELLED)) {
				this.admission.exit();
			}
		}

	}

}
