package io.github.lockstep.autoconfigure.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.lockstep.autoconfigure.health.LockstepHealthContributorAutoConfiguration;
import io.github.lockstep.autoconfigure.health.LockstepHealthIndicator;
import io.github.lockstep.redis.RedisServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health contributor of an application whose only Redis primitive is an event, a barrier or
 * a condition (with a lock of its own): DOWN, saying Redis is unreachable, while Redis is gone,
 * and UP again once it is back.
 */
class RedisSyncHealthTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "lockstep.events.go.initially-set=false", "lockstep.barriers.trio.parties=3",
			"lockstep.conditions.restock.timeout=5s" })
	void healthIsDownWhileRedisIsGoneAndUpOnceItIsBack(String primitive) {
		RedisContexts.runner(redis)
			.withConfiguration(AutoConfigurations.of(LockstepHealthContributorAutoConfiguration.class))
			.withPropertyValues("lockstep.backend=redis", primitive)
			.run((context) -> {
				LockstepHealthIndicator health = context.getBean(LockstepHealthIndicator.class);
				Map<String, Object> reachable = Map.of("redis", Map.of("primitives", 1, "reachable", true));
				await(() -> health.health().getStatus().equals(Status.UP), "UP while Redis is there");
				assertThat(health.health().getDetails()).containsEntry("primitives", 1).containsEntry("backends", reachable);
				redis.kill();
				try {
					await(() -> health.health().getStatus().equals(Status.DOWN), "DOWN once Redis is gone");
					Health down = health.health();
					assertThat(down.getDetails()).containsEntry("backends",
							Map.of("redis", Map.of("primitives", 1, "reachable", false)));
				}
				finally {
					redis.restart();
				}
				await(() -> health.health().getStatus().equals(Status.UP), "UP again once Redis is back");
				assertThat(health.health().getDetails()).containsEntry("backends", reachable);
			});
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as(what + " within " + DEADLINE).isNegative();
			LockSupport.parkNanos(10_000_000);
		}
	}

}
