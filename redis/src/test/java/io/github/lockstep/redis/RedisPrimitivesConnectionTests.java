package io.github.lockstep.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisPrimitives#isConnected()}, which health checks read: the state of the instance's
 * connections, as Redis goes away and comes back.
 */
class RedisPrimitivesConnectionTests {

	private static final Duration RECOVERY = Duration.ofSeconds(5);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	@Test
	void isConnectedFollowsRedisGoingAwayAndComingBackAndEndsWithClose() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		assertThat(instance.isConnected()).isTrue();
		redis.kill();
		Cluster.await(() -> !instance.isConnected(), RECOVERY, () -> "disconnected once Redis is killed");
		redis.restart();
		Cluster.await(instance::isConnected, RECOVERY, () -> "connected again once Redis is back");
		instance.close();
		assertThat(instance.isConnected()).isFalse();
	}

}
