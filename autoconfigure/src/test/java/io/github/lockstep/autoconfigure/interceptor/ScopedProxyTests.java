package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An annotated bean behind a scoped proxy ({@code @RequestScope}, {@code @RefreshScope} and the
 * like): the proxy is not Lockstep's to check, its target is, and calls through it are throttled.
 */
class ScopedProxyTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@Test
	void annotatedBeanBehindAScopedProxyStartsAndIsThrottled() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			Caller caller = context.getBean(Caller.class);
			CompletableFuture<Void> gate = new CompletableFuture<>();
			// a prototype's target is made, and its annotations checked, on the first call
			CompletableFuture<Void> first = caller.scoped().work(gate);
			AsyncSemaphore semaphore = context.getBean(LockstepRegistry.class).semaphore("Scoped.work").orElseThrow();
			CompletableFuture<Void> second = caller.scoped().work(gate);
			assertThat(semaphore.availablePermits()).isZero();
			assertThat(semaphore.queueLength()).isOne();
			gate.complete(null);
			assertThat(first).isDone();
			assertThat(second).isDone();
			assertThat(semaphore.availablePermits()).isOne();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Scope(value = ConfigurableBeanFactory.SCOPE_PROTOTYPE, proxyMode = ScopedProxyMode.TARGET_CLASS)
		Scoped scoped() {
			return new Scoped();
		}

		@Bean
		Caller caller(Scoped scoped) {
			return new Caller(scoped);
		}

	}

	static class Scoped {

		@Throttled(permits = 1)
		public CompletableFuture<Void> work(CompletableFuture<Void> gate) {
			return gate;
		}

	}

	record Caller(Scoped scoped) {
	}

}
