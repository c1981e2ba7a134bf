package io.github.lockstep.autoconfigure;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.TargetClassAware;
import org.springframework.aop.support.AopUtils;

/**
 * Runs each call of an annotated method through its {@link MethodPlan}. The plans are looked up
 * lazily, so that creating the advisor early (as auto-proxying does) creates nothing else.
 *
 * <p>A plan depends on the method and the target class. A call remembers its plan under the method
 * alone, with the class it was made for, when that class is the target's own class (no
 * {@link TargetClassAware} target): a later call of the method on a target of exactly that class
 * gets the plan with one lookup and no {@code MethodClassKey}. Calls on any other class, such as a
 * method inherited by two annotated classes, look up {@link MethodPlans} as before.
 */
final class LockstepInterceptor implements MethodInterceptor {

	private final Supplier<MethodPlans> plans;

	private final Supplier<Resumption> resumption;

	private final ConcurrentHashMap<Method, Known> known = new ConcurrentHashMap<>();

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
