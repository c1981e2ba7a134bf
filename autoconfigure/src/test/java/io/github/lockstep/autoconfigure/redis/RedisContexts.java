package io.github.lockstep.autoconfigure.redis;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.redis.RedisServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Application contexts of the Redis tests: Spring Boot's Redis auto-configuration pointed at the
 * test's {@link RedisServer} on 127.0.0.1, Lockstep's, and a key prefix of the test's own, so
 * that tests never see each other's keys.
 */
final class RedisContexts {

	private static final AtomicInteger prefixes = new AtomicInteger();

	private RedisContexts() {
	}

	/** A key prefix no other test uses. */
	static String newPrefix() {
		return "boot" + prefixes.incrementAndGet();
	}

	/** An application on the server, with a new key prefix. */
	static ApplicationContextRunner runner(RedisServer redis) {
		return runner(redis, newPrefix());
	}

	/** An application on the server and key prefix: two of them share their primitives. */
	static ApplicationContextRunner runner(RedisServer redis, String prefix) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
					LockstepAutoConfiguration.class, LockstepRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
					"spring.data.redis.timeout=2s", "lockstep.redis.key-prefix=" + prefix);
	}

}
