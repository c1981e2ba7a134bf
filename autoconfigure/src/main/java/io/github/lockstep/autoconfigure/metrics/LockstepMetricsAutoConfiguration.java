package io.github.lockstep.autoconfigure.metrics;

import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.autoconfigure.LockstepProperties;
import io.github.lockstep.spring.LockstepRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of the {@code lockstep.*} meters ({@link LockstepMetrics}): every primitive
 * of the {@link LockstepRegistry}, including those registered later, gets its meters in the
 * application's {@link MeterRegistry}, and loses them when it is removed. With
 * {@code lockstep.metrics.enabled=false} nothing is bound, and the primitives keep their empty
 * probe.
 */
@AutoConfiguration(after = LockstepAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, LockstepRegistry.class })
@ConditionalOnBooleanProperty(name = "lockstep.metrics.enabled", matchIfMissing = true)
public final class LockstepMetricsAutoConfiguration {

	// infrastructure: Boot keeps such beans eager under spring.main.lazy-initialization, and nothing
	// else would ask for this one. Bound here, so that the meters exist as soon as the bean does,
	// also where no MeterRegistryPostProcessor binds MeterBinder beans; its later binding to the
	// same registry does nothing.
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	LockstepMetrics lockstepMetrics(MeterRegistry meterRegistry, LockstepRegistry registry,
			LockstepProperties properties) {
		LockstepMetrics metrics = new LockstepMetrics(registry, properties.getMetrics().isHistogram());
		metrics.bindTo(meterRegistry);
		return metrics;
	}

}
