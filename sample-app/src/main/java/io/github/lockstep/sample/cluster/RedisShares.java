package io.github.lockstep.sample.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.autoconfigure.LockstepProperties;
import io.github.lockstep.spring.LockstepRegistry;

import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Only in the {@code cluster} profile: how the holds and queue places of each primitive on Redis
 * are shared out between instances, read from Redis in one script per primitive, so that the
 * shares of one primitive are of one moment and add up to its cluster-wide figures. (Each
 * instance's own count, read a moment apart from the others', could add up to more than the
 * permits while they pass from one instance to another.)
 *
 * <p>This looks inside lockstep-redis: a primitive's keys are {@code {<key-prefix>:<name>}:…},
 * its holders the sorted set {@code …:h} and its waiters {@code …:q}, each member an id
 * {@code <instance id>:<n>} of the instance that made the call
 * ({@link io.github.lockstep.redis.RedisPrimitives#instanceId()}). A sample may peek; an
 * application should read the endpoint and the meters.
 */
@Component
@Profile("cluster")
class RedisShares {

	// one reply for both sets of one primitive: "h <wid>" per holder, then "q <wid>" per waiter
	private static final RedisScript<List<?>> HOLDERS_AND_WAITERS = RedisScript.of("""
			local out = {}
			for _, wid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do out[#out + 1] = 'h ' .. wid end
			for _, wid in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do out[#out + 1] = 'q ' .. wid end
			return out
			""", listType());

	private final StringRedisTemplate redis;

	private final LockstepRegistry registry;

	private final String keyPrefix;

	RedisShares(StringRedisTemplate redis, LockstepRegistry registry, LockstepProperties properties) {
		this.redis = redis;
		this.registry = registry;
		this.keyPrefix = properties.getRedis().getKeyPrefix();
	}

	/**
	 * Reads the shares of every primitive on Redis.
	 * @return by primitive, then by instance id: its holders and waiters there
	 */
	Map<String, Map<String, LocalUse.Use>> read() {
		Map<String, Map<String, LocalUse.Use>> shares = new TreeMap<>();
		for (AsyncPrimitive primitive : this.registry.all()) {
			if (!"redis".equals(this.registry.backend(primitive.name()).orElse(null))) {
				continue;
			}
			String tag = "{" + this.keyPrefix + ":" + primitive.name() + "}:";
			List<?> members = this.redis.execute(HOLDERS_AND_WAITERS, List.of(tag + "h", tag + "q"));
			Map<String, int[]> counts = new TreeMap<>();
			for (Object member : (members != null) ? members : List.of()) {
				String entry = String.valueOf(member);
				String wid = entry.substring(2);
				int[] count = counts.computeIfAbsent(wid.substring(0, Math.max(0, wid.lastIndexOf(':'))),
						(instance) -> new int[2]);
				count[entry.startsWith("h ") ? 0 : 1]++;
			}
			Map<String, LocalUse.Use> byInstance = new TreeMap<>();
			counts.forEach((instance, count) -> byInstance.put(instance, new LocalUse.Use(count[0], count[1])));
			shares.put(primitive.name(), byInstance);
		}
		return shares;
	}

	@SuppressWarnings("unchecked")
	private static Class<List<?>> listType() {
		return (Class<List<?>>) (Class<?>) List.class;
	}

}
