package io.github.lockstep.autoconfigure.redis;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;

/** A connection factory that is not Lettuce's, as Jedis's is: Lockstep cannot take its client. */
final class NotLettuceConnectionFactory implements RedisConnectionFactory {

	@Override
	public boolean getConvertPipelineAndTxResults() {
		return false;
	}

	@Override
	public RedisConnection getConnection() {
		throw new UnsupportedOperationException("not for Lockstep");
	}

	@Override
	public RedisClusterConnection getClusterConnection() {
		throw new UnsupportedOperationException("not for Lockstep");
	}

	@Override
	public RedisSentinelConnection getSentinelConnection() {
		throw new UnsupportedOperationException("not for Lockstep");
	}

	@Override
	public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
		return null;
	}

}
