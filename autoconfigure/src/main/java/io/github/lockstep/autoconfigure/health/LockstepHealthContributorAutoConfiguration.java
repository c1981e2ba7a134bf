package io.github.lockstep.autoconfigure.health;

import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.autoconfigure.LockstepProperties;
import io.github.lockstep.spring.LockstepRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the health contributor {@code lockstep}, on unless
 * {@code management.health.lockstep.enabled=false}.
 */
@AutoConfiguration(after = LockstepAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LockstepRegistry.class)
@ConditionalOnEnabledHealthIndicator("lockstep")
@EnableConfigurationProperties(LockstepProperties.class)
public final class LockstepHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "lockstepHealthIndicator")
	LockstepHealthIndicator lockstepHealthIndicator(LockstepRegistry registry, LockstepProperties properties) {
		return new LockstepHealthIndicator(registry, properties.getHealth().isDownOnBrokenBarrier());
	}

}
