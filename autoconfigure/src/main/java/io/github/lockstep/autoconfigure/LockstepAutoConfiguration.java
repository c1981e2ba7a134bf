package io.github.lockstep.autoconfigure;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Executor;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.github.lockstep.spring.LockstepRegistry;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.BeansException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for Lockstep: a {@link LockstepRegistry}, a bean for every primitive of
 * {@code lockstep.*} (injectable as {@code @Qualifier("payment-api") AsyncSemaphore}), and the
 * interceptor behind {@code @Guarded}, {@code @Throttled}, {@code @AwaitEvent},
 * {@code @SetEvent} and {@code @AwaitBarrier}.
 *
 * <p>The primitive beans are named {@code lockstep.<kind>.<name>} so that they never clash with an
 * application's own bean names, and are injected only where a qualifier asks for them, so that
 * they never make a plain {@code AsyncSemaphore} injection point ambiguous.
 */
@AutoConfiguration(after = AopAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "lockstep.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LockstepProperties.class)
@Import(LockstepAutoConfiguration.PrimitiveBeans.class)
@ImportRuntimeHints(LockstepRuntimeHints.class)
public final class LockstepAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LockstepRegistry lockstepRegistry() {
		return new LockstepRegistry();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static EmptyEntries lockstepEmptyEntries() {
		return new EmptyEntries();
	}

	@Bean
	ConfiguredPrimitives lockstepConfiguredPrimitives(LockstepProperties properties, LockstepRegistry registry) {
		return new ConfiguredPrimitives(properties, registry);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	AnnotatedPrimitives lockstepAnnotatedPrimitives(LockstepProperties properties, LockstepRegistry registry,
			ConfiguredPrimitives configured) {
		return new AnnotatedPrimitives(registry, configured, properties.isStrict(), properties.getDefaultTimeout());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	MethodPlans lockstepMethodPlans(AnnotatedPrimitives primitives, ConfigurableBeanFactory beanFactory) {
		return new MethodPlans(primitives, beanFactory::resolveEmbeddedValue);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	PrimitiveFacts lockstepPrimitiveFacts(AnnotatedPrimitives primitives) {
		return new PrimitiveFacts() {
			@Override
			public OptionalInt permits(String name) {
				return primitives.permits(name);
			}

			@Override
			public OptionalLong contended(AsyncPrimitive primitive) {
				return PrimitiveFacts.contendedCount(primitive);
			}
		};
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	Resumption lockstepResumption(LockstepProperties properties, BeanFactory beanFactory) {
		return new Resumption(Resumption.callerContext(), asyncExecutor(properties.getAsyncExecutor(), beanFactory));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockstepAdvisor lockstepAdvisor(ObjectProvider<MethodPlans> plans, ObjectProvider<Resumption> resumption,
			Environment environment) {
		// bound like the other keys (relaxed names, environment variables), before the properties bean exists
		int order = Binder.get(environment).bind("lockstep.interceptor-order", Integer.class)
			.orElse(Ordered.LOWEST_PRECEDENCE - 100);
		return new LockstepAdvisor(new LockstepInterceptor(SingletonSupplier.of(plans::getObject),
				SingletonSupplier.of(resumption::getObject)), order);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static AnnotatedPrimitiveBeans lockstepAnnotatedPrimitiveBeans(Environment environment) {
		return new AnnotatedPrimitiveBeans(environment);
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

	/**
	 * Registers a bean for every configured primitive, and the auto-proxy creator that applies
	 * Lockstep's advisor (as {@code @EnableTransactionManagement} does).
	 */
	static final class PrimitiveBeans implements ImportBeanDefinitionRegistrar, EnvironmentAware {

		private Environment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			LockstepProperties properties = Binder.get(this.environment)
				.bind("lockstep", Bindable.of(LockstepProperties.class), new EmptyEntries.Defaults(BindHandler.DEFAULT))
				.orElseGet(LockstepProperties::new);
			properties.getLocks().keySet().forEach((name) -> register(registry, Kind.LOCK, name));
			properties.getSemaphores().keySet().forEach((name) -> register(registry, Kind.SEMAPHORE, name));
			properties.getEvents().keySet().forEach((name) -> register(registry, Kind.EVENT, name));
			properties.getConditions().keySet().forEach((name) -> register(registry, Kind.CONDITION, name));
			properties.getBarriers().keySet().forEach((name) -> register(registry, Kind.BARRIER, name));
		}

		private static void register(BeanDefinitionRegistry registry, Kind kind, String name) {
			PrimitiveBeanDefinitions.register(registry, kind, name, "lockstepConfiguredPrimitives", "primitive", name);
		}

	}

}
