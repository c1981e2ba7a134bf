package io.github.lockstep.autoconfigure.interceptor;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * Puts a {@link LockstepInterceptor} on the methods that carry a Lockstep annotation
 * ({@code @Guarded}, {@code @Throttled}, {@code @AwaitEvent}, {@code @SetEvent},
 * {@code @AwaitBarrier}), themselves or through their class. The auto-configuration gives it the
 * order of {@code lockstep.interceptor-order}.
 *
 * <pre>{@code
 * ProxyFactory proxyFactory = new ProxyFactory(new PaymentClient());
 * proxyFactory.addAdvisor(new LockstepAdvisor(new LockstepInterceptor(registry)));
 * PaymentClient client = (PaymentClient) proxyFactory.getProxy();
 * }</pre>
 */
public final class LockstepAdvisor extends AbstractPointcutAdvisor {

	/**
	 * The order of the auto-configuration's advisor unless {@code lockstep.interceptor-order} sets
	 * one: outside {@code @Transactional} and {@code @Cacheable}, inside {@code @Retryable}.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private static final long serialVersionUID = 1L;

	private final transient LockstepInterceptor interceptor;

	private final transient Pointcut pointcut = new StaticMethodMatcherPointcut() {
		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return MethodPlans.isAnnotated(method, targetClass);
		}
	};

	/**
	 * Creates an advisor of the {@linkplain #DEFAULT_ORDER default order}.
	 * @param interceptor the interceptor
	 */
	public LockstepAdvisor(LockstepInterceptor interceptor) {
		this(interceptor, DEFAULT_ORDER);
	}

	/**
	 * Creates an advisor.
	 * @param interceptor the interceptor
	 * @param order its order among other advisors: a lower value runs further outside
	 */
	public LockstepAdvisor(LockstepInterceptor interceptor, int order) {
		this.interceptor = interceptor;
		setOrder(order);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
