package io.github.lockstep.autoconfigure.interceptor;

import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.PriorityOrdered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bean made before the post-processors exist (here, a dependency of a {@code PriorityOrdered}
 * post-processor) is not proxied, so its annotations could not work: startup says so instead of
 * letting them do nothing.
 */
class EarlyBeanTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class));

	@Test
	void annotatedBeanMadeBeforeTheProxiesFailsStartup() {
		this.runner.withUserConfiguration(EarlyConfig.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.isInstanceOf(LockstepConfigurationException.class)
				.hasMessageContaining("Bean 'early' (" + Early.class.getName() + ") has Lockstep annotations")
				.hasMessageContaining("not eligible for getting processed by all BeanPostProcessors");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class EarlyConfig {

		@Bean
		static Early early() {
			return new Early();
		}

		@Bean
		static UsesEarly usesEarly(Early early) {
			return new UsesEarly(early);
		}

	}

	static class Early {

		@Throttled(permits = 1)
		public void work() {
		}

	}

	/** A post-processor that needs the annotated bean, so that it is made first. */
	record UsesEarly(Early early) implements BeanPostProcessor, PriorityOrdered {

		@Override
		public int getOrder() {
			return 0;
		}

	}

}
