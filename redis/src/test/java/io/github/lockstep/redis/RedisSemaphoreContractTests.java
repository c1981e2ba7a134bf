package io.github.lockstep.redis;

import java.time.Duration;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.AsyncSemaphoreContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core's semaphore contract, unchanged, against plain and bounded semaphores in Redis: each
 * test on a fresh key prefix of an instance of its own.
 */
class RedisSemaphoreContractTests extends AsyncSemaphoreContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	/**
	 * Some tests queue 100,000 waits at once: Redis takes seconds to answer the last of them, and
	 * a renewal sent behind them as long, so both the command timeout and the lease are long.
	 */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	final Cluster cluster = new Cluster(redis, COMMAND_TIMEOUT);

	@Override
	protected AsyncSemaphore createSemaphore(String name, int permits) {
		return this.cluster.instance(COMMAND_TIMEOUT).semaphore(name, permits);
	}

	@Override
	protected AsyncSemaphore createBounded(String name, int permits) {
		return this.cluster.instance(COMMAND_TIMEOUT).bounded(name, permits);
	}

}
