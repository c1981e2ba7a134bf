package io.github.lockstep.autoconfigure.interceptor;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.lockstep.spring.LockstepConfigurationException;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;

/**
 * Checks each bean's Lockstep annotations once the proxies are made, so that no annotation
 * silently does nothing, and places Lockstep's advisor outside Spring's {@code @Async} interceptor,
 * so that a call waits for its place before a task is submitted.
 *
 * <p>Deliberately not {@code Ordered}: Spring runs it after every ordered post-processor, the
 * auto-proxy creator and {@code AsyncAnnotationBeanPostProcessor} among them.
 */
final class LockstepBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	private final Supplier<MethodPlans> plans;

	private final Map<Class<?>, List<Method>> annotatedMethods = new ConcurrentHashMap<>();

	/** Beans this post-processor has seen; the others were made before it existed. */
	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private BeanFactory beanFactory;

	LockstepBeanPostProcessor(Supplier<MethodPlans> plans) {
		this.plans = plans;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Checks the singletons made before this post-processor was registered (dependencies of
	 * other post-processors), which Spring did not pass through it.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (this.beanFactory instanceof ConfigurableListableBeanFactory factory) {
			for (String name : factory.getSingletonNames()) {
				Object bean = factory.getSingleton(name);
				if (bean != null && !this.seen.contains(name)) {
					postProcessAfterInitialization(bean, name);
				}
			}
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		this.seen.add(beanName);
		if (bean instanceof AopInfrastructureBean) {
			// a scoped proxy: its target is a bean of its own, checked when it is created
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		List<Method> annotated = this.annotatedMethods.computeIfAbsent(targetClass, MethodPlans::annotatedMethods);
		if (annotated.isEmpty()) {
			return bean;
		}
		this.plans.get().check(targetClass, annotated);
		Advisor[] advisors = (bean instanceof Advised advised) ? advised.getAdvisors() : new Advisor[0];
		int lockstep = indexOf(advisors, LockstepAdvisor.class);
		if (lockstep < 0) {
			throw new LockstepConfigurationException("Bean '" + beanName + "' (" + targetClass.getName()
					+ ") has Lockstep annotations, but calls to it do not pass through Lockstep's interceptor: it was"
					+ " not proxied, or proxied before Lockstep's advisor existed.",
					"Check the log for 'is not eligible for getting processed by all BeanPostProcessors' about this bean"
							+ " (a BeanPostProcessor or an early dependency of one creates it too soon), and that nothing"
							+ " excludes it from auto-proxying.");
		}
		int async = indexOf(advisors, AsyncAnnotationAdvisor.class);
		if (async >= 0 && async < lockstep) {
			// move @Async's advisor in, to just inside Lockstep's, rather than Lockstep's out to
			// @Async's place: advisors that Spring put outside both (@Retryable) stay outside
			Advised advised = (Advised) bean;
			advised.removeAdvisor(async);
			advised.addAdvisor(lockstep, advisors[async]);
		}
		return bean;
	}

	private static int indexOf(Advisor[] advisors, Class<? extends Advisor> type) {
		for (int i = 0; i < advisors.length; i++) {
			if (type.isInstance(advisors[i])) {
				return i;
			}
		}
		return -1;
	}

}
