package io.github.lockstep.autoconfigure.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.redis.RedisServer;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications on one Redis, as two replicas of a service: a {@code @Throttled(permits = 2)}
 * method, called by real threads in both, never runs more than twice at once across them, a
 * {@code @Guarded} one never more than once, and every call runs.
 */
class ClusterWideThrottleTests {

	private static final int THREADS_PER_INSTANCE = 4;

	private static final int CALLS_PER_THREAD = 25;

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	/** Shared by both applications' beans, which live in one JVM. */
	static final AtomicInteger inside = new AtomicInteger();

	static final AtomicInteger mostInside = new AtomicInteger();

	static final AtomicInteger calls = new AtomicInteger();

	static final AtomicInteger guarded = new AtomicInteger();

	static final AtomicInteger mostGuarded = new AtomicInteger();

	static final AtomicInteger posts = new AtomicInteger();

	@RepeatedTest(3)
	void twoInstancesNeverRunMoreThanThePermitsAtOnce() throws Exception {
		inside.set(0);
		mostInside.set(0);
		calls.set(0);
		guarded.set(0);
		mostGuarded.set(0);
		posts.set(0);
		ApplicationContextRunner instance = RedisContexts.runner(redis, RedisContexts.newPrefix())
			.withPropertyValues("lockstep.backend=redis", "lockstep.default-timeout=30s")
			.withBean(Reports.class);
		instance.run((first) -> instance.run((second) -> {
			assertThat(first).hasNotFailed();
			assertThat(second).hasNotFailed();
			ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (Reports reports : List.of(first.getBean(Reports.class), second.getBean(Reports.class))) {
					for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
						done.add(threads.submit(() -> {
							for (int i = 0; i < CALLS_PER_THREAD; i++) {
								reports.render();
								reports.post();
							}
						}));
					}
				}
				for (Future<?> thread : done) {
					thread.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
				}
			}
			finally {
				threads.shutdownNow();
			}
			assertThat(calls).hasValue(2 * THREADS_PER_INSTANCE * CALLS_PER_THREAD);
			assertThat(mostInside.get()).as("most calls running at once across both instances").isBetween(1, 2);
			assertThat(posts).hasValue(2 * THREADS_PER_INSTANCE * CALLS_PER_THREAD);
			assertThat(mostGuarded).as("most guarded calls at once across both instances").hasValue(1);
			// every permit came back: both can be taken, and no third
			AsyncSemaphore semaphore = first.getBean(LockstepRegistry.class).semaphore("reports").orElseThrow();
			assertThat(semaphore.tryAcquireAsync()).succeedsWithin(DEADLINE).isEqualTo(true);
			assertThat(semaphore.tryAcquireAsync()).succeedsWithin(DEADLINE).isEqualTo(true);
			assertThat(semaphore.tryAcquireAsync()).succeedsWithin(DEADLINE).isEqualTo(false);
			assertThat(semaphore.releaseAsync()).succeedsWithin(DEADLINE);
			assertThat(semaphore.releaseAsync()).succeedsWithin(DEADLINE);
		}));
	}

	/** Public: proxied by class. */
	public static class Reports {

		@Throttled(value = "reports", permits = 2)
		public void render() {
			int now = inside.incrementAndGet();
			mostInside.accumulateAndGet(now, Math::max);
			// a little work while inside, so that calls overlap if the limit let them
			for (int spin = 0; spin < 1_000; spin++) {
				Thread.onSpinWait();
			}
			inside.decrementAndGet();
			calls.incrementAndGet();
		}

		@Guarded("ledger")
		public void post() {
			mostGuarded.accumulateAndGet(guarded.incrementAndGet(), Math::max);
			for (int spin = 0; spin < 1_000; spin++) {
				Thread.onSpinWait();
			}
			guarded.decrementAndGet();
			posts.incrementAndGet();
		}

	}

}
