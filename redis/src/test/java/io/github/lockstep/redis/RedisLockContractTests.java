package io.github.lockstep.redis;

import java.time.Duration;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncLockContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core's lock contract, unchanged, against a lock in Redis: each test on a fresh key prefix
 * of an instance of its own.
 */
class RedisLockContractTests extends AsyncLockContractTests {

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
	protected AsyncLock createLock(String name) {
		return this.cluster.instance(COMMAND_TIMEOUT).lock(name);
	}

	/** Each link of the chain is a round trip to Redis, whose answer arrives on a fresh stack. */
	@Override
	protected int continuationChainLength() {
		return 10_000;
	}

}
