package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.autoconfigure.redis.LockstepRedisAutoConfiguration;
import io.github.lockstep.redis.RedisServer;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Redis backend cannot do yet, or cannot be configured with, fails startup with a
 * failure analysis naming the key and the fix; every kind of primitive, a condition over a shared
 * lock among them, starts on it. Against a real {@code redis-server}, so that the
 * backend exists and the failure is its own rather than a missing connection's. (The missing jar,
 * Redis support and connection are in {@link BackendsTests}.)
 */
class RedisBackendFailureAnalysisTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
					LockstepAutoConfiguration.class, LockstepRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
					"spring.data.redis.timeout=2s", "lockstep.redis.key-prefix=failures");
	}

	@Test
	void eventsBarriersAndConditionsOnRedisStartAndWorkThroughTheRegistry() {
		runner()
			.withPropertyValues("lockstep.events.cache-warm.backend=redis", "lockstep.barriers.nightly-batch.parties=1",
					"lockstep.barriers.nightly-batch.backend=redis", "lockstep.locks.inventory.backend=redis",
					"lockstep.conditions.account.lock=inventory", "lockstep.conditions.account.backend=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LockstepRegistry registry = context.getBean(LockstepRegistry.class);
				AsyncEvent event = registry.event("cache-warm").orElseThrow();
				AsyncBarrier barrier = registry.barrier("nightly-batch").orElseThrow();
				AsyncCondition condition = registry.condition("account").orElseThrow();
				assertThat(List.of(event, barrier, condition))
					.allSatisfy((primitive) -> assertThat(registry.backend(primitive.name())).contains("redis"));
				event.set();
				assertThat(event.await()).succeedsWithin(WAIT);
				assertThat(barrier.await()).succeedsWithin(WAIT).isEqualTo(0);
				AsyncLock inventory = registry.lock("inventory").orElseThrow();
				assertThat(inventory.acquire()).succeedsWithin(WAIT);
				CompletableFuture<Void> waiting = condition.await();
				assertThat(inventory.acquire()).as("the wait released the shared lock").succeedsWithin(WAIT);
				condition.signal();
				inventory.release();
				assertThat(waiting).as("signalled, it takes the lock back").succeedsWithin(WAIT);
				assertThat(inventory.releaseAsync()).succeedsWithin(WAIT);
				assertThat(inventory.tryAcquireAsync()).as("free again").succeedsWithin(WAIT).isEqualTo(true);
				inventory.release();
			});
	}

	@Test
	void aConditionInMemoryOverALockOnRedisFailsStartup() {
		assertFailure(runner().withPropertyValues("lockstep.locks.inventory.backend=redis",
				"lockstep.conditions.account.lock=inventory"),
				"lockstep.conditions.account.lock is 'inventory', a lock on backend 'redis', but the condition is on"
						+ " backend 'memory': a condition can only wait on a lock that lives where it does.",
				"Put both on one backend (set lockstep.locks.inventory.backend and lockstep.conditions.account.backend"
						+ " alike), or remove lockstep.conditions.account.lock to give the condition a lock of its own.");
	}

	@Test
	void anAnnotationOnlyEventUnderLockstepBackendRedisIsOnRedis() {
		runner().withPropertyValues("lockstep.backend=redis").withBean(Warmup.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(LockstepRegistry.class).backend("cache-warm")).contains("redis");
		});
	}

	@Test
	void aKeyPrefixWithBracesFailsStartup() {
		assertFailure(runner().withPropertyValues("lockstep.backend=redis", "lockstep.redis.key-prefix={orders}"),
				"lockstep.redis.key-prefix is '{orders}', which has braces or whitespace or is empty.",
				"Set lockstep.redis.key-prefix to a word without braces or whitespace, such as the service's name.");
	}

	@Test
	void aLeaseShorterThan100msFailsStartup() {
		assertFailure(runner().withPropertyValues("lockstep.backend=redis", "lockstep.redis.lease=50ms"),
				"lockstep.redis.lease is PT0.05S, but the lease must be at least 100ms.",
				"Set lockstep.redis.lease to 100ms or more: how long a silent instance keeps its holds (default 15s).");
	}

	@Test
	void redisClusterFailsStartupUntilLockstepRedisSupportsIt() {
		assertFailure(runner().withPropertyValues("lockstep.backend=redis",
				"spring.data.redis.cluster.nodes=127.0.0.1:" + redis.port()),
				"spring.data.redis.cluster.nodes is set, but lockstep-redis does not support Redis Cluster yet.",
				"Point spring.data.redis.* at a standalone or Sentinel Redis, define a RedisPrimitives bean over a"
						+ " RedisClient of your own, or keep the primitives in memory (lockstep.backend: memory).");
	}

	static class Warmup {

		@AwaitEvent("cache-warm")
		public void serve() {
		}

	}

}
