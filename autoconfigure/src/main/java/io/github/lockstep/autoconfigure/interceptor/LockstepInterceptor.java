package io.github.lockstep.autoconfigure.interceptor;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.lockstep.spring.LockstepRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.TargetClassAware;
import org.springframework.aop.support.AopUtils;

/**
 * The interceptor behind Lockstep's annotations: runs each call of an annotated method through
 * the primitives its annotations name, waiting as the method's return type allows (the caller's
 * thread for a plain value; no thread for a {@code CompletionStage}, {@code Mono} or
 * {@code Flux}), and gives back what the call holds exactly once, when the call has ended.
 *
 * <p>It needs no Spring context: give it the primitives, put it on a proxy with a
 * {@link LockstepAdvisor}, and the proxy's annotated methods are guarded.
 * <pre>{@code
 * LockstepRegistry registry = new LockstepRegistry();
 * registry.register(AsyncSemaphore.create("payment-api", 5));
 * ProxyFactory proxyFactory = new ProxyFactory(new PaymentClient());   // @Throttled("payment-api") charge()
 * proxyFactory.addAdvisor(new LockstepAdvisor(new LockstepInterceptor(registry)));
 * PaymentClient client = (PaymentClient) proxyFactory.getProxy();
 * }</pre>
 * Without the auto-configuration, an annotation's {@code ${…}} placeholders are not resolved and
 * nothing checks the annotations before the first call of a method: its first call fails if they
 * are wrong. Admitted asynchronous calls resume on the thread that admits them.
 *
 * <p>Each method's plan (its primitives, in order, and how its end is observed) is made at its
 * first call, and looked up lazily, so that creating the advisor early (as auto-proxying does)
 * creates nothing else.
 *
 * <p>A plan depends on the method and the target class. A call remembers its plan under the method
 * alone, with the class it was made for, when that class is the target's own class (no
 * {@link TargetClassAware} target): a later call of the method on a target of exactly that class
 * gets the plan with one lookup and no {@code MethodClassKey}. Calls on any other class, such as a
 * method inherited by two annotated classes, look up {@link MethodPlans} as before.
 */
public final class LockstepInterceptor implements MethodInterceptor {

	private final Supplier<MethodPlans> plans;

	private final Supplier<Resumption> resumption;

	private final ConcurrentHashMap<Method, Known> known = new ConcurrentHashMap<>();

	/**
	 * Creates an interceptor whose annotations name primitives of a registry (see
	 * {@link PrimitiveSource#of(LockstepRegistry)}).
	 * @param registry the registry
	 */
	public LockstepInterceptor(LockstepRegistry registry) {
		this(PrimitiveSource.of(registry));
	}

	/**
	 * Creates an interceptor whose annotations name primitives of a source.
	 * @param primitives the source
	 */
	public LockstepInterceptor(PrimitiveSource primitives) {
		this(new MethodPlans(primitives, (text) -> text), new Resumption(Resumption.callerContext(), null));
	}

	private LockstepInterceptor(MethodPlans plans, Resumption resumption) {
		this(() -> plans, () -> resumption);
	}

	LockstepInterceptor(Supplier<MethodPlans> plans, Supplier<Resumption> resumption) {
		this.plans = plans;
		this.resumption = resumption;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Known known = this.known.get(method);
		MethodPlan plan = (known != null && target != null && target.getClass() == known.targetClass()) ? known.plan()
				: lookUp(method, target);
		return plan.invoke(invocation, this.resumption.get());
	}

	private MethodPlan lookUp(Method method, Object target) {
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		MethodPlan plan = this.plans.get().get(method, targetClass);
		if (target != null && !(target instanceof TargetClassAware) && targetClass == target.getClass()) {
			// every target of this class has this target class: AopUtils would find it again
			this.known.putIfAbsent(method, new Known(targetClass, plan));
		}
		return plan;
	}

	/** The plan of a method for targets of exactly one class. */
	private record Known(Class<?> targetClass, MethodPlan plan) {
	}

}
