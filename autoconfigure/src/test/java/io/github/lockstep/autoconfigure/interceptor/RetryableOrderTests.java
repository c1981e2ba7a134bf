package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * own permit: a call queued during the first attempt runs before the retry (with Lockstep
 * outside, the retry would keep the permit and run first).
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
		ExecutorService caller = Executors.newSingleThreadExecutor();
		try {
			Future<?> retried = caller.submit(this.service::flaky);
			// the first attempt holds the only permit until told to fail
			this.service.awaitFirstAttempt();
			CompletableFuture<Void> other = this.service.other();
			assertThat(other).isNotDone();
			assertThat(this.one.queueLength()).isEqualTo(1);
			this.service.failFirstAttempt();
			retried.get(10, TimeUnit.SECONDS);
			assertThat(other).succeedsWithin(Duration.ofSeconds(10));
		}
		finally {
			caller.shutdownNow();
		}
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

		private final CompletableFuture<Void> failFirst = new CompletableFuture<>();

		private int attempts;

		@Retryable(maxRetries = 1, delay = 0)
		@Throttled("one")
		public void flaky() {
			this.attempts++;
			this.calls.add("flaky " + this.attempts);
			if (this.attempts == 1) {
				this.firstAttempt.complete(null);
				this.failFirst.orTimeout(10, TimeUnit.SECONDS).join();
				throw new IllegalStateException("first attempt fails");
			}
		}

		@Throttled("one")
		public CompletableFuture<Void> other() {
			this.calls.add("other");
			return CompletableFuture.completedFuture(null);
		}

		public void awaitFirstAttempt() {
			this.firstAttempt.orTimeout(10, TimeUnit.SECONDS).join();
		}

		public void failFirstAttempt() {
			this.failFirst.complete(null);
		}

		public List<String> calls() {
			return this.calls;
		}

	}

}
