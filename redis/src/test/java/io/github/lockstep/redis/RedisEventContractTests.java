package io.github.lockstep.redis;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncEventContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core's event contract, unchanged, against a event in Redis: each test on a fresh key prefix
 * of an instance of its own.
 */
class RedisEventContractTests extends AsyncEventContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	@Override
	protected AsyncEvent createEvent(String name) {
		return this.cluster.instance().event(name);
	}

}
