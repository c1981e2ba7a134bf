package io.github.lockstep.autoconfigure;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;

/**
 * Runs each call of an annotated method through its {@link MethodPlan}. The plans are looked up
 * lazily, so that creating the advisor early (as auto-proxying does) creates nothing else.
 */
final class LockstepInterceptor implements MethodInterceptor {

	private final Supplier<MethodPlans> plans;

	private final Supplier<Resumption> resumption;

	LockstepInterceptor(Supplier<MethodPlans> plans, Supplier<Resumption> resumption) {
		this.plans = plans;
		this.resumption = resumption;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target)
				: invocation.getMethod().getDeclaringClass();
		return this.plans.get().get(invocation.getMethod(), targetClass).invoke(invocation, this.resumption.get());
	}

}
