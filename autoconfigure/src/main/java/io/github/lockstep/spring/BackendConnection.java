package io.github.lockstep.spring;

import java.util.function.BooleanSupplier;

/**
 * The connection of this process to a backend whose primitives live elsewhere, as the Actuator
 * endpoint and the health contributor {@code lockstep} show it. The Redis auto-configuration
 * defines one for {@code redis}; in-memory primitives need none.
 *
 * <pre>{@code
 * @Bean
 * BackendConnection redisConnection(RedisPrimitives redis) {
 *     return BackendConnection.of(redis.backend(), redis::isConnected);
 * }
 * }</pre>
 */
public interface BackendConnection {

	/**
	 * Returns the backend's id, as {@code PrimitiveFactory.backend()} and {@code lockstep.backend}
	 * name it.
	 * @return for example {@code "redis"}
	 */
	String backend();

	/**
	 * Returns whether this process reaches the backend now. Called by health checks and the
	 * endpoint: it must answer at once, from the state of the connection, without a round trip.
	 * @return whether reachable
	 */
	boolean isReachable();

	/**
	 * Returns a connection of the given backend whose state is read from {@code reachable}.
	 * @param backend the backend's id
	 * @param reachable whether the backend is reachable now
	 * @return the connection
	 */
	static BackendConnection of(String backend, BooleanSupplier reachable) {
		return new BackendConnection() {

			@Override
			public String backend() {
				return backend;
			}

			@Override
			public boolean isReachable() {
				return reachable.getAsBoolean();
			}

			@Override
			public String toString() {
				return "BackendConnection [" + backend + "]";
			}

		};
	}

}
