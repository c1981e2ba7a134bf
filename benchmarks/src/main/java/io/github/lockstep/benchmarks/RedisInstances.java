package io.github.lockstep.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.lockstep.redis.RedisPrimitives;
import io.github.lockstep.redis.RedisPrimitivesOptions;
import io.lettuce.core.RedisClient;

/**
 * Several instances of a service in one JVM, as several processes would be: each with a
 * {@link RedisClient} and a {@link RedisPrimitives} of its own (so its own command and pub/sub
 * connections and its own instance id), sharing the primitives by name.
 */
final class RedisInstances implements AutoCloseable {

	private final List<RedisClient> clients = new ArrayList<>();

	private final List<RedisPrimitives> primitives = new ArrayList<>();

	RedisInstances(RedisProcess redis, int count) {
		for (int i = 0; i < count; i++) {
			RedisClient client = RedisClient.create(redis.uri());
			this.clients.add(client);
			this.primitives.add(RedisPrimitives.create(client, RedisPrimitivesOptions.defaults().withKeyPrefix("bench")));
		}
	}

	/** The primitives of instance {@code index}, from 0. */
	RedisPrimitives get(int index) {
		return this.primitives.get(index);
	}

	/** Closes the primitives (failing the waits still open), then the clients. */
	@Override
	public void close() {
		this.primitives.forEach(RedisPrimitives::close);
		this.clients.forEach((client) -> client.shutdown(Duration.ZERO, Duration.ofSeconds(1)));
	}

}
