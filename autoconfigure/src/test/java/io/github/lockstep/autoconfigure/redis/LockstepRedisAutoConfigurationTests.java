package io.github.lockstep.autoconfigure.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.redis.RedisPrimitives;
import io.github.lockstep.redis.RedisServer;
import io.github.lockstep.spring.BackendConnection;
import io.github.lockstep.spring.LockstepRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LockstepRedisAutoConfiguration} against a real {@code redis-server}: when it makes the
 * Redis backend, over which client, with which settings, and that closing the context hands its
 * holds on at once.
 */
class LockstepRedisAutoConfigurationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@Test
	void withEveryPrimitiveInMemoryThereIsNoRedisBackend() {
		RedisContexts.runner(redis).withPropertyValues("lockstep.semaphores.payment-api.permits=2").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RedisPrimitives.class)
				.doesNotHaveBean(BackendConnection.class);
			assertThat(context.getBean(LockstepRegistry.class).backend("payment-api")).contains("memory");
		});
	}

	@Test
	void oneSemaphoreOnRedisWhileTheOtherPrimitivesStayInMemory() {
		String prefix = RedisContexts.newPrefix();
		RedisContexts.runner(redis, prefix)
			.withPropertyValues("lockstep.semaphores.payment-api.permits=2",
					"lockstep.semaphores.payment-api.backend=redis", "lockstep.locks.inventory.timeout=1s",
					"lockstep.events.cache-warm.initially-set=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RedisPrimitives.class);
				LockstepRegistry registry = context.getBean(LockstepRegistry.class);
				assertThat(registry.backend("payment-api")).contains("redis");
				assertThat(registry.backend("inventory")).contains("memory");
				assertThat(registry.backend("cache-warm")).contains("memory");
				AsyncSemaphore paymentApi = context.getBean("lockstep.semaphore.payment-api", AsyncSemaphore.class);
				assertThat(paymentApi.acquire()).succeedsWithin(DEADLINE);
				assertThat(redis.admin().keys("{" + prefix + ":payment-api}*")).isNotEmpty();
				assertThat(redis.admin().keys("{" + prefix + ":inventory}*")).isEmpty();
				assertThat(paymentApi.releaseAsync()).succeedsWithin(DEADLINE);
			});
	}

	@Test
	void theBackendReusesTheClientOfSpringBootsLettuceConnectionFactory() {
		RedisContexts.runner(redis).withPropertyValues("lockstep.backend=redis").run((context) -> {
			assertThat(context).hasNotFailed();
			RedisClientSource source = context.getBean(RedisClientSource.class);
			assertThat(source.isOwned()).isFalse();
			assertThat(source.client()).isSameAs(
					((LettuceConnectionFactory) context.getBean(RedisConnectionFactory.class)).getRequiredNativeClient());
		});
	}

	@Test
	void withAnotherConnectionFactoryTheBackendConnectsWithSpringBootsConnectionDetails() {
		String prefix = RedisContexts.newPrefix();
		RedisContexts.runner(redis, prefix)
			.withBean(RedisConnectionFactory.class, NotLettuceConnectionFactory::new)
			.withPropertyValues("lockstep.locks.inventory.backend=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisClientSource source = context.getBean(RedisClientSource.class);
				assertThat(source.isOwned()).isTrue();
				AsyncLock inventory = context.getBean("lockstep.lock.inventory", AsyncLock.class);
				assertThat(inventory.acquire()).succeedsWithin(DEADLINE);
				assertThat(redis.admin().keys("{" + prefix + ":inventory}*")).isNotEmpty();
				assertThat(inventory.releaseAsync()).succeedsWithin(DEADLINE);
			});
	}

	@Test
	void keyPrefixAndLeaseComeFromLockstepRedis() {
		String prefix = RedisContexts.newPrefix();
		RedisContexts.runner(redis, prefix)
			.withPropertyValues("lockstep.redis.lease=2s", "lockstep.locks.inventory.backend=redis")
			.run((context) -> {
				AsyncLock inventory = context.getBean("lockstep.lock.inventory", AsyncLock.class);
				assertThat(inventory.acquire()).succeedsWithin(DEADLINE);
				String instance = context.getBean(RedisPrimitives.class).instanceId();
				// the lease of this instance runs out 2 s after Redis last heard from it
				Double deadline = redis.admin().zscore("{" + prefix + ":inventory}:l", instance);
				long now = Long.parseLong(redis.admin().time().get(0)) * 1000;
				assertThat(deadline.longValue() - now).isBetween(0L, 2_000L + 1_000L);
				assertThat(inventory.releaseAsync()).succeedsWithin(DEADLINE);
			});
	}

	@Test
	void anApplicationsRedisPrimitivesBeanReplacesLockstepsOwn() {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
		try {
			RedisPrimitives own = RedisPrimitives.create(client);
			RedisContexts.runner(redis)
				.withBean(RedisPrimitives.class, () -> own)
				.withPropertyValues("lockstep.backend=redis", "lockstep.locks.inventory.timeout=1s")
				.run((context) -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(RedisClientSource.class);
					assertThat(context.getBean(PrimitiveFactory.class)).isSameAs(own);
				});
			assertThat(own.isConnected()).as("closed with the context").isFalse();
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void closingTheContextHandsItsHoldsOnAtOnceRatherThanAfterTheLease() {
		String prefix = RedisContexts.newPrefix();
		ApplicationContextRunner runner = RedisContexts.runner(redis, prefix)
			.withPropertyValues("lockstep.redis.lease=60s", "lockstep.locks.inventory.backend=redis");
		runner.run((other) -> {
			AsyncLock waiting = other.getBean("lockstep.lock.inventory", AsyncLock.class);
			AtomicReference<CompletableFuture<Void>> queued = new AtomicReference<>();
			runner.run((holding) -> {
				AsyncLock held = holding.getBean("lockstep.lock.inventory", AsyncLock.class);
				assertThat(held.acquire()).succeedsWithin(DEADLINE);
				queued.set(waiting.acquire());
				RedisPrimitives backend = other.getBean(RedisPrimitives.class);
				assertThat(backend.isConnected()).isTrue();
				assertThat(queued.get()).isNotDone();
			});
			// the holding context is closed: well within the lease of 60 s, the waiter has the lock
			assertThat(queued.get()).succeedsWithin(DEADLINE);
			assertThat(waiting.releaseAsync()).succeedsWithin(DEADLINE);
		});
	}

}
