package io.github.lockstep.redis;

import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncConditionContractTests;
import io.github.lockstep.AsyncLock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core's condition contract, unchanged, against a condition in Redis: each test on a fresh
 * key prefix of an instance of its own.
 */
class RedisConditionContractTests extends AsyncConditionContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	private RedisPrimitives instance;

	private RedisPrimitives instance() {
		if (this.instance == null) {
			this.instance = this.cluster.instance();
		}
		return this.instance;
	}

	@Override
	protected AsyncCondition createCondition(String name) {
		return instance().condition(name);
	}

	@Override
	protected AsyncCondition createCondition(String name, AsyncLock lock) {
		return instance().condition(name, lock);
	}

	@Override
	protected AsyncLock createLock(String name) {
		return instance().lock(name);
	}

}
