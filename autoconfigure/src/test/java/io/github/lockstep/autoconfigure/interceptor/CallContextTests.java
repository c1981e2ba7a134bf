package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's context in an asynchronous call that had to wait: it runs on the thread that freed
 * its place, with the caller's MDC restored, and that thread gets its own MDC back afterwards.
 */
@SpringBootTest
class CallContextTests {

	private static final String KEY = "request";

	private static ExecutorService releaser;

	@Autowired
	private ContextService service;

	@Autowired
	private LockstepRegistry registry;

	@BeforeAll
	static void startReleaser() {
		releaser = Executors.newSingleThreadExecutor((task) -> new Thread(task, "context-releaser"));
	}

	@AfterAll
	static void stopReleaser() {
		releaser.shutdownNow();
	}

	@BeforeEach
	void clearMdc() {
		MDC.clear();
	}

	@ParameterizedTest(name = "releaser's MDC {0}")
	@NullSource
	@ValueSource(strings = "releaser")
	void waitingStageCallRunsWithTheCallersMdc(String releasersMdc) {
		AsyncSemaphore semaphore = this.registry.semaphore("context-stage").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();

		CompletableFuture<Seen> call = withCallersMdc(this.service::stage);
		assertThat(call).isNotDone();

		assertThat(releaseFromAnotherThread(semaphore, releasersMdc)).succeedsWithin(DEADLINE)
			.as("the releaser's MDC after the call ran on its thread")
			.isEqualTo((releasersMdc != null) ? releasersMdc : "(none)");
		assertThat(call).succeedsWithin(DEADLINE).isEqualTo(new Seen("caller-42", "context-releaser"));
		assertThat(semaphore.availablePermits()).isOne();
	}

	@ParameterizedTest(name = "releaser's MDC {0}")
	@NullSource
	@ValueSource(strings = "releaser")
	void waitingMonoRunsWithTheSubscribersMdc(String releasersMdc) {
		AsyncSemaphore semaphore = this.registry.semaphore("context-mono").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();

		CompletableFuture<Seen> call = withCallersMdc(() -> this.service.mono().toFuture());
		assertThat(call).isNotDone();

		assertThat(releaseFromAnotherThread(semaphore, releasersMdc)).succeedsWithin(DEADLINE)
			.as("the releaser's MDC after the call ran on its thread")
			.isEqualTo((releasersMdc != null) ? releasersMdc : "(none)");
		assertThat(call).succeedsWithin(DEADLINE).isEqualTo(new Seen("caller-42", "context-releaser"));
		assertThat(semaphore.availablePermits()).isOne();
	}

	@Test
	void admittedAtOnceStageCallRunsOnTheCallersThread() {
		CompletableFuture<Seen> call = withCallersMdc(this.service::stage);

		assertThat(call).isCompletedWithValue(new Seen("caller-42", Thread.currentThread().getName()));
	}

	/** Calls (or subscribes) with the caller's MDC set, and clears it again on this thread. */
	private static <T> CompletableFuture<T> withCallersMdc(Supplier<CompletableFuture<T>> call) {
		MDC.put(KEY, "caller-42");
		try {
			return call.get();
		}
		finally {
			MDC.remove(KEY);
		}
	}

	/** Releases on the releaser thread, with its own MDC; completes with that MDC afterwards. */
	private static CompletableFuture<String> releaseFromAnotherThread(AsyncSemaphore semaphore, String releasersMdc) {
		return CompletableFuture.supplyAsync(() -> {
			MDC.clear();
			if (releasersMdc != null) {
				MDC.put(KEY, releasersMdc);
			}
			semaphore.release();
			String after = MDC.get(KEY);
			return (after != null) ? after : "(none)";
		}, releaser);
	}

	/** What a method body saw: the MDC value and its thread. */
	record Seen(String mdc, String thread) {

		static Seen now() {
			return new Seen(MDC.get(KEY), Thread.currentThread().getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Config {

		@Bean
		ContextService contextService() {
			return new ContextService();
		}

	}

	static class ContextService {

		@Throttled(value = "context-stage", permits = 1)
		public CompletableFuture<Seen> stage() {
			return CompletableFuture.completedFuture(Seen.now());
		}

		@Throttled(value = "context-mono", permits = 1)
		public Mono<Seen> mono() {
			return Mono.just(Seen.now());
		}

	}

}
