package io.github.lockstep.autoconfigure;

import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.autoconfigure.redis.LockstepRedisAutoConfiguration;
import io.github.lockstep.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests.assertFailure;

/**
 * What the Redis backend cannot do yet, or cannot be configured with, fails startup with a
 * failure analysis naming the key and the fix. Against a real {@code redis-server}, so that the
 * backend exists and the failure is its own rather than a missing connection's. (The missing jar,
 * Redis support and connection are in {@link BackendsTests}.)
 */
class RedisBackendFailureAnalysisTests {

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
	void anEventOnRedisFailsStartupUntilRedisHasEvents() {
		assertFailure(runner().withPropertyValues("lockstep.events.cache-warm.backend=redis"),
				"lockstep.events.cache-warm.backend is 'redis', but events are not implemented on Redis yet:"
						+ " lockstep-redis has locks and semaphores only.",
				"Set lockstep.events.cache-warm.backend to memory to keep the event 'cache-warm' in this process.");
	}

	@Test
	void aBarrierUnderLockstepBackendRedisFailsStartupNamingThatKey() {
		assertFailure(runner().withPropertyValues("lockstep.backend=redis", "lockstep.barriers.nightly-batch.parties=3"),
				"lockstep.backend is 'redis', but barriers are not implemented on Redis yet: lockstep-redis has locks"
						+ " and semaphores only.",
				"Set lockstep.barriers.nightly-batch.backend to memory to keep the barrier 'nightly-batch' in this"
						+ " process, or set lockstep.backend to memory.");
	}

	@Test
	void aConditionOnRedisFailsStartupEvenOverALockOnRedis() {
		assertFailure(runner().withPropertyValues("lockstep.locks.inventory.backend=redis",
				"lockstep.conditions.account.lock=inventory", "lockstep.conditions.account.backend=redis"),
				"lockstep.conditions.account.backend is 'redis', but conditions are not implemented on Redis yet:"
						+ " lockstep-redis has locks and semaphores only.",
				"Set lockstep.conditions.account.backend to memory to keep the condition 'account' in this process.");
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
	void anAnnotationOnlyEventUnderLockstepBackendRedisFailsStartup() {
		assertFailure(runner().withPropertyValues("lockstep.backend=redis").withBean(Warmup.class),
				"lockstep.backend is 'redis', but events are not implemented on Redis yet: lockstep-redis has locks and"
						+ " semaphores only.",
				"Set lockstep.events.cache-warm.backend to memory to keep the event 'cache-warm' in this process, or set"
						+ " lockstep.backend to memory.");
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
