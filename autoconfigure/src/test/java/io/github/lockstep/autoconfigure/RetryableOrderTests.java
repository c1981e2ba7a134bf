package io.github.lockstep.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Throttled;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Framework 7's {@code @Retryable} wraps Lockstep's interceptor, so each attempt takes its
 * own permit: a caller queued during the first attempt runs before the retry.
 */
@SpringBootTest(properties = { "lockstep.semaphores.one.permits=1", "lockstep.semaphores.one.bounded=true" })
class RetryableOrderTests {

	@Autowired
	Service service;

	@Autowired
	@Qualifier("one")
	AsyncSemaphore one;

	@Test
	void eachRetryAttemptTakesItsOwnPermit() throws Exception {
		CompletableFuture<Void> retried = CompletableFuture.runAsync(() -> this.service.flaky(this.one));
		// the first attempt is inside, holding the only permit, until a second caller queues
		CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
			this.service.awaitFirstAttempt();
			this.service.other();
		});
		retried.get(10, TimeUnit.SECONDS);
		other.get(10, TimeUnit.SECONDS);
		assertThat(this.service.calls()).containsExactly("flaky 1", "other", "flaky 2");
		assertThat(this.one.availablePermits()).isEqualTo(1);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableResilientMethods
	static class Config {

		@Bean
		Service service() {
			return new Service();
		}

	}

	static class Service {

		private final List<String> calls = new CopyOnWriteArrayList<>();

		private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

		private int attempts;

		@Retryable(maxRetries = 1, delay = 0)
		@Throttled("one")
		public void flaky(AsyncSemaphore semaphore) {
			this.attempts++;
			this.calls.add("flaky " + this.attempts);
			if (this.attempts == 1) {
				this.firstAttempt.complete(null);
				// fail only once the other caller waits for the permit this attempt holds
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
				while (semaphore.queueLength() == 0 && System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				throw new IllegalStateException("first attempt fails");
			}
		}

		@Throttled("one")
		public void other() {
			this.calls.add("other");
		}

		public void awaitFirstAttempt() {
			this.firstAttempt.join();
		}

		public List<String> calls() {
			return this.calls;
		}

	}

}
