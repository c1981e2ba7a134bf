package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One method, inherited by two classes that each carry {@code @Throttled}, is one
 * {@link java.lang.reflect.Method} with two plans: each call must pass its own class's semaphore,
 * however the calls of the two classes interleave.
 */
class InheritedMethodPlanTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LockstepAutoConfiguration.class))
		.withUserConfiguration(Services.class);

	@Test
	void inheritedMethodPassesTheSemaphoreOfTheCalledBeansClass() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			AsyncSemaphore first = registry.semaphore("FirstWorker").orElseThrow();
			AsyncSemaphore second = registry.semaphore("SecondWorker").orElseThrow();
			Worker firstWorker = context.getBean(FirstWorker.class);
			Worker secondWorker = context.getBean(SecondWorker.class);
			// each class's plan is looked up, in both orders, before the first semaphore is taken
			assertThat(firstWorker.work()).isCompletedWithValue("FirstWorker");
			assertThat(secondWorker.work()).isCompletedWithValue("SecondWorker");
			assertThat(first.tryAcquire()).isTrue();

			for (int i = 0; i < 3; i++) {
				assertThat(secondWorker.work()).isCompletedWithValue("SecondWorker");
			}
			CompletableFuture<String> waiting = firstWorker.work();
			assertThat(secondWorker.work()).isCompletedWithValue("SecondWorker");

			assertThat(waiting).isNotDone();
			assertThat(second.availablePermits()).isOne();
			first.release();
			assertThat(waiting).isCompletedWithValue("FirstWorker");
			assertThat(first.availablePermits()).isOne();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		FirstWorker firstWorker() {
			return new FirstWorker();
		}

		@Bean
		SecondWorker secondWorker() {
			return new SecondWorker();
		}

	}

	abstract static class Worker {

		public CompletableFuture<String> work() {
			return CompletableFuture.completedFuture(getClass().getSimpleName());
		}

	}

	@Throttled(permits = 1)
	static class FirstWorker extends Worker {

	}

	@Throttled(permits = 1)
	static class SecondWorker extends Worker {

	}

}
