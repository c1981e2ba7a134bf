package io.github.lockstep.autoconfigure;

import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.autoconfigure.interceptor.LockstepInterceptorConfiguration;
import io.github.lockstep.spring.LockstepRegistry;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
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
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

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
@Import({ LockstepAutoConfiguration.PrimitiveBeans.class, LockstepInterceptorConfiguration.class })
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
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	Backends lockstepBackends(LockstepProperties properties, ObjectProvider<PrimitiveFactory> factories) {
		return new Backends(factories.orderedStream().toList(), properties.getBackend());
	}

	@Bean
	ConfiguredPrimitives lockstepConfiguredPrimitives(LockstepProperties properties, LockstepRegistry registry,
			Backends backends) {
		return new ConfiguredPrimitives(properties, registry, backends);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	AnnotatedPrimitives lockstepAnnotatedPrimitives(LockstepProperties properties, LockstepRegistry registry,
			ConfiguredPrimitives configured, Backends backends) {
		return new AnnotatedPrimitives(registry, configured, backends, properties.isStrict(),
				properties.getDefaultTimeout());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static AnnotatedPrimitiveBeans lockstepAnnotatedPrimitiveBeans(Environment environment) {
		return new AnnotatedPrimitiveBeans(environment);
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
			for (Kind kind : Kind.values()) {
				for (String name : kind.entries(properties).keySet()) {
					PrimitiveBeanDefinitions.register(registry, kind.primitiveKind(), name, "lockstepConfiguredPrimitives",
							"primitive", name);
				}
			}
		}

	}

}
