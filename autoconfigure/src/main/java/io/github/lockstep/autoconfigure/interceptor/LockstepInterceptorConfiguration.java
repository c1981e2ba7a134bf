package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.Executor;

import io.github.lockstep.spring.LockstepConfigurationException;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;

/**
 * The interceptor behind Lockstep's annotations, its advisor and the post-processor that checks
 * the annotated beans, over the application's {@link PrimitiveSource}; imported by Lockstep's
 * auto-configuration, which supplies that source.
 *
 * <p>It reads {@code lockstep.interceptor-order} and {@code lockstep.async-executor} from the
 * environment, bound as the properties bean binds them, because the advisor must exist before
 * that bean does.
 *
 * <pre>{@code
 * @Configuration
 * @Import(LockstepInterceptorConfiguration.class)
 * class Annotations {
 *     @Bean
 *     PrimitiveSource primitiveSource(LockstepRegistry registry) {
 *         return PrimitiveSource.of(registry);
 *     }
 * }
 * }</pre>
 */
@Configuration(proxyBeanMethods = false)
public final class LockstepInterceptorConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	MethodPlans lockstepMethodPlans(PrimitiveSource primitives, ConfigurableBeanFactory beanFactory) {
		return new MethodPlans(primitives, beanFactory::resolveEmbeddedValue);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	Resumption lockstepResumption(Environment environment, BeanFactory beanFactory) {
		String executor = Binder.get(environment).bind("lockstep.async-executor", String.class).orElse(null);
		return new Resumption(Resumption.callerContext(), asyncExecutor(executor, beanFactory));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockstepAdvisor lockstepAdvisor(ObjectProvider<MethodPlans> plans, ObjectProvider<Resumption> resumption,
			Environment environment) {
		// bound like the other keys (relaxed names, environment variables), before the properties bean exists
		int order = Binder.get(environment).bind("lockstep.interceptor-order", Integer.class)
			.orElse(LockstepAdvisor.DEFAULT_ORDER);
		return new LockstepAdvisor(new LockstepInterceptor(SingletonSupplier.of(plans::getObject),
				SingletonSupplier.of(resumption::getObject)), order);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockstepBeanPostProcessor lockstepBeanPostProcessor(ObjectProvider<MethodPlans> plans) {
		return new LockstepBeanPostProcessor(SingletonSupplier.of(plans::getObject));
	}

	private static Executor asyncExecutor(String name, BeanFactory beanFactory) {
		if (name == null || name.isBlank()) {
			return null;
		}
		try {
			return beanFactory.getBean(name, Executor.class);
		}
		catch (BeansException ex) {
			throw new LockstepConfigurationException("lockstep.async-executor is '" + name
					+ "', but there is no Executor bean of that name (" + ex.getMessage() + ").",
					"Name an Executor bean, such as applicationTaskExecutor, or remove lockstep.async-executor to run"
							+ " admitted calls on the thread that admits them.");
		}
	}

}
