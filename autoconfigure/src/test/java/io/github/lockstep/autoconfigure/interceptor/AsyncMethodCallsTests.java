package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.autoconfigure.Gates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static io.github.lockstep.autoconfigure.Gates.failureOf;
import static io.github.lockstep.autoconfigure.Gates.issueFromOneThread;
import static io.github.lockstep.autoconfigure.Gates.resultsOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring {@code @Async} methods returning {@code CompletableFuture}: Lockstep's advisor runs outside
 * Spring's, so a call waits for its place before any task is submitted, and the executor never
 * holds more tasks than the primitive allows.
 */
@SpringBootTest
class AsyncMethodCallsTests extends GatedCallsTests {

	@Autowired
	private AsyncService service;

	@Autowired
	private CountingExecutor executor;

	@BeforeEach
	void resetExecutor() {
		this.executor.reset();
	}

	@Test
	void throttledAsyncCallsSubmitATaskOnlyOnceAdmitted() {
		AsyncSemaphore semaphore = this.registry.semaphore("AsyncService.throttled").orElseThrow();

		List<CompletableFuture<Integer>> calls = issueFromOneThread(CALLS, this.service::throttled);

		assertThat(this.executor.pending()).as("tasks submitted, not finished").isEqualTo(5);
		assertThat(semaphore.queueLength()).as("still waiting, no task submitted").isEqualTo(CALLS - 5);
		assertThat(calls).noneMatch(CompletableFuture::isDone);
		this.gates.openAll(CALLS);
		assertThat(resultsOf(calls)).containsExactlyElementsOf(IntStream.range(0, CALLS).boxed().toList());
		assertThat(this.gates.mostInside()).isEqualTo(5);
		assertThat(this.executor.mostPending()).isEqualTo(5);
		assertThat(this.executor.submitted()).isEqualTo(CALLS);
		assertThat(this.executor.pending()).isZero();
		assertThat(semaphore.availablePermits()).isEqualTo(5);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void guardedAsyncCallsSubmitOneTaskAtATime() {
		AsyncLock lock = this.registry.lock("AsyncService.guarded").orElseThrow();

		List<CompletableFuture<Integer>> calls = issueFromOneThread(CALLS, this.service::guarded);

		assertThat(this.executor.pending()).as("tasks submitted, not finished").isOne();
		assertThat(lock.queueLength()).as("still waiting, no task submitted").isEqualTo(CALLS - 1);
		assertThat(calls).noneMatch(CompletableFuture::isDone);
		this.gates.openAll(CALLS);
		assertThat(resultsOf(calls)).containsExactlyElementsOf(IntStream.range(0, CALLS).boxed().toList());
		assertThat(this.gates.mostInside()).isOne();
		assertThat(this.executor.mostPending()).isOne();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void asyncTaskThatThrowsGivesBackItsPermit() {
		AsyncSemaphore semaphore = this.registry.semaphore("async-failing").orElseThrow();
		for (int i = 0; i < 3; i++) {
			assertThat(failureOf(this.service.failing())).isInstanceOf(IllegalStateException.class).hasMessage("boom");
			assertThat(semaphore.availablePermits()).as("permits after failed task %d", i).isEqualTo(2);
		}
		assertThat(this.gates.entered()).isEqualTo(3);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void cancelOfWaitingAsyncCallSubmitsNoTask() {
		AsyncSemaphore semaphore = this.registry.semaphore("async-cancel").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<String> call = this.service.cancelled();
		assertThat(semaphore.queueLength()).isOne();

		assertThat(call.cancel(true)).isTrue();

		assertThat(semaphore.queueLength()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(this.executor.submitted()).isZero();
		assertThat(this.gates.entered()).isZero();
	}

	@Test
	void cancelledAsyncCallHoldsItsPermitUntilItsTaskEnds() {
		AsyncSemaphore semaphore = this.registry.semaphore("async-running").orElseThrow();
		CompletableFuture<Integer> first = this.service.running(1);
		CompletableFuture<Void> firstGate = this.gates.next();

		assertThat(first.cancel(true)).isTrue();
		CompletableFuture<Integer> second = this.service.running(2);

		assertThat(semaphore.queueLength()).as("waits: the cancelled call's task still runs").isOne();
		assertThat(this.executor.pending()).isOne();
		firstGate.complete(null);
		this.gates.next().complete(null);
		assertThat(second).succeedsWithin(DEADLINE).isEqualTo(2);
		assertThat(this.gates.mostInside()).isOne();
		assertThat(this.executor.mostPending()).isOne();
		assertThat(semaphore.availablePermits()).isOne();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ Gates.class, AsyncService.class })
	@EnableAsync
	static class Config {

		@Bean
		ThreadPoolTaskExecutor asyncPool() {
			ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
			pool.setCorePoolSize(8);
			pool.setMaxPoolSize(8);
			pool.setThreadNamePrefix("async-pool-");
			return pool;
		}

		@Bean
		CountingExecutor countingExecutor(ThreadPoolTaskExecutor asyncPool) {
			return new CountingExecutor(asyncPool);
		}

	}

	static class AsyncService extends GatedService {

		AsyncService(Gates gates) {
			super(gates);
		}

		@Async("countingExecutor")
		@Throttled(permits = 5)
		public CompletableFuture<Integer> throttled(int call) {
			return CompletableFuture.completedFuture(this.gates.hold(call).join());
		}

		@Async("countingExecutor")
		@Guarded
		public CompletableFuture<Integer> guarded(int call) {
			return CompletableFuture.completedFuture(this.gates.hold(call).join());
		}

		@Async("countingExecutor")
		@Throttled(value = "async-failing", permits = 2)
		public CompletableFuture<String> failing() {
			this.gates.pass();
			throw new IllegalStateException("boom");
		}

		@Async("countingExecutor")
		@Throttled(value = "async-running", permits = 1)
		public CompletableFuture<Integer> running(int call) {
			return CompletableFuture.completedFuture(this.gates.hold(call).join());
		}

		@Async("countingExecutor")
		@Throttled(value = "async-cancel", permits = 1)
		public CompletableFuture<String> cancelled() {
			this.gates.pass();
			return CompletableFuture.completedFuture("ran");
		}

	}

	/**
	 * Counts the tasks {@code @Async} submits and has not finished; a task counts as finished once
	 * its work returns, before the future Spring hands to the caller completes.
	 */
	static final class CountingExecutor implements AsyncTaskExecutor {

		private final AsyncTaskExecutor delegate;

		private final AtomicInteger submitted = new AtomicInteger();

		private final AtomicInteger pending = new AtomicInteger();

		private final AtomicInteger mostPending = new AtomicInteger();

		CountingExecutor(AsyncTaskExecutor delegate) {
			this.delegate = delegate;
		}

		@Override
		public void execute(Runnable task) {
			submitCompletable(() -> {
				task.run();
				return null;
			});
		}

		@Override
		public <T> CompletableFuture<T> submitCompletable(Callable<T> task) {
			this.submitted.incrementAndGet();
			this.mostPending.accumulateAndGet(this.pending.incrementAndGet(), Math::max);
			CompletableFuture<T> result = new CompletableFuture<>();
			this.delegate.execute(() -> {
				T value = null;
				Throwable failure = null;
				try {
					value = task.call();
				}
				catch (Throwable ex) {
					failure = ex;
				}
				this.pending.decrementAndGet();
				if (failure != null) {
					result.completeExceptionally(failure);
				}
				else {
					result.complete(value);
				}
			});
			return result;
		}

		int submitted() {
			return this.submitted.get();
		}

		int pending() {
			return this.pending.get();
		}

		int mostPending() {
			return this.mostPending.get();
		}

		void reset() {
			this.submitted.set(0);
			this.pending.set(0);
			this.mostPending.set(0);
		}

	}

}
