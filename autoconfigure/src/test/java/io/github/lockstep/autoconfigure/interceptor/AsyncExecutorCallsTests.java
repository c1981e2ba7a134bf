package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lockstep.async-executor}: an asynchronous call that had to wait runs, once admitted, on the
 * named executor rather than on the thread that freed its place; one admitted at once still runs
 * on the caller's thread.
 */
@SpringBootTest(properties = "lockstep.async-executor=lockstepResumer")
class AsyncExecutorCallsTests {

	@Autowired
	private ResumingService service;

	@Autowired
	private LockstepRegistry registry;

	@BeforeEach
	void clearMdc() {
		MDC.clear();
	}

	@Test
	void waitingStageCallRunsOnTheAsyncExecutor() {
		AsyncSemaphore semaphore = this.registry.semaphore("executor-stage").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();
		MDC.put("request", "caller-7");
		CompletableFuture<Ran> call = this.service.stage();
		MDC.clear();
		assertThat(call).isNotDone();

		semaphore.release();

		assertThat(call).succeedsWithin(DEADLINE).satisfies((ran) -> {
			assertThat(ran.thread()).startsWith("lockstep-resumer-");
			assertThat(ran.mdc()).as("the caller's MDC").isEqualTo("caller-7");
		});
		assertThat(semaphore.availablePermits()).isOne();
	}

	@Test
	void waitingMonoRunsOnTheAsyncExecutor() {
		AsyncSemaphore semaphore = this.registry.semaphore("executor-mono").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<Ran> call = this.service.mono().toFuture();
		assertThat(call).isNotDone();

		semaphore.release();

		assertThat(call).succeedsWithin(DEADLINE).extracting(Ran::thread).asString().startsWith("lockstep-resumer-");
		assertThat(semaphore.availablePermits()).isOne();
	}

	@Test
	void admittedAtOnceStageCallRunsOnTheCallersThread() {
		CompletableFuture<Ran> call = this.service.stage();

		assertThat(call).isCompletedWithValue(new Ran(Thread.currentThread().getName(), null));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Config {

		@Bean
		ThreadPoolTaskExecutor lockstepResumer() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(2);
			executor.setThreadNamePrefix("lockstep-resumer-");
			return executor;
		}

		@Bean
		ResumingService resumingService() {
			return new ResumingService();
		}

	}

	/** Where a method body ran, and the MDC value it saw. */
	record Ran(String thread, String mdc) {

		static Ran here() {
			return new Ran(Thread.currentThread().getName(), MDC.get("request"));
		}

	}

	static class ResumingService {

		@Throttled(value = "executor-stage", permits = 1)
		public CompletableFuture<Ran> stage() {
			return CompletableFuture.completedFuture(Ran.here());
		}

		@Throttled(value = "executor-mono", permits = 1)
		public Mono<Ran> mono() {
			return Mono.just(Ran.here());
		}

	}

}
