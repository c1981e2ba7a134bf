package io.github.lockstep.redis;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncBarrierContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core's barrier contract, unchanged, against a barrier in Redis: each test on a fresh key prefix
 * of an instance of its own.
 */
class RedisBarrierContractTests extends AsyncBarrierContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	@Override
	protected AsyncBarrier createBarrier(String name, int parties) {
		return this.cluster.instance().barrier(name, parties);
	}

}
