package io.github.lockstep.autoconfigure.redis;

import java.time.Duration;

import io.github.lockstep.spring.LockstepConfigurationException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Lettuce {@link RedisClient} of Lockstep's Redis backend: the one of the application's
 * {@link LettuceConnectionFactory} (its URI, SSL, Sentinel, client options and resources), else
 * one built from the {@code spring.data.redis.*} connection details, which this bean then shuts
 * down with the context. Redis Cluster and static Master/Replica fail startup: lockstep-redis
 * works over one {@code RedisClient}.
 */
final class RedisClientSource implements DisposableBean {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

	private final RedisClient client;

	private final boolean owned;

	private RedisClientSource(RedisClient client, boolean owned) {
		this.client = client;
		this.owned = owned;
	}

	static RedisClientSource of(RedisConnectionFactory factory, DataRedisConnectionDetails details,
			ClientResources resources, Duration timeout) {
		boolean masterReplica = details != null && details.getMasterReplica() != null;
		if (factory instanceof LettuceConnectionFactory lettuce && !masterReplica) {
			AbstractRedisClient nativeClient = lettuce.getRequiredNativeClient();
			if (nativeClient instanceof RedisClusterClient) {
				throw unsupported("spring.data.redis.cluster.nodes is set, but lockstep-redis does not support Redis"
						+ " Cluster yet.");
			}
			if (nativeClient instanceof RedisClient client) {
				return new RedisClientSource(client, false);
			}
		}
		if (details == null) {
			throw new LockstepConfigurationException("A backend is 'redis', but the application's "
					+ ((factory != null) ? factory.getClass().getSimpleName() : "Redis connection")
					+ " is not Lettuce's and there are no DataRedisConnectionDetails to connect with.",
					"Use Spring Boot's Lettuce connection (spring.data.redis.*), or define a RedisPrimitives bean.");
		}
		return new RedisClientSource(build(details, resources, timeout), true);
	}

	private static RedisClient build(DataRedisConnectionDetails details, ClientResources resources, Duration timeout) {
		RedisURI.Builder uri;
		DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		if (sentinel != null) {
			uri = RedisURI.builder().withSentinelMasterId(sentinel.getMaster()).withDatabase(sentinel.getDatabase());
			for (DataRedisConnectionDetails.Node node : sentinel.getNodes()) {
				uri.withSentinel(node.host(), node.port(), sentinel.getPassword());
			}
		}
		else if (details.getCluster() != null) {
			throw unsupported("spring.data.redis.cluster.nodes is set, but lockstep-redis does not support Redis"
					+ " Cluster yet.");
		}
		else if (details.getMasterReplica() != null) {
			throw unsupported("spring.data.redis.masterreplica.nodes is set, but lockstep-redis does not support"
					+ " static Master/Replica: it needs the primary's connection.");
		}
		else {
			DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
			uri = RedisURI.builder()
				.withHost(standalone.getHost())
				.withPort(standalone.getPort())
				.withDatabase(standalone.getDatabase());
		}
		if (details.getPassword() != null) {
			uri.withAuthentication(details.getUsername(), details.getPassword());
		}
		if (timeout != null) {
			uri.withTimeout(timeout);
		}
		SslBundle ssl = details.getSslBundle();
		uri.withSsl(ssl != null);
		RedisClient client = (resources != null) ? RedisClient.create(resources, uri.build())
				: RedisClient.create(uri.build());
		if (ssl != null) {
			client.setOptions(ClientOptions.builder()
				.sslOptions(SslOptions.builder()
					.keyManager(ssl.getManagers().getKeyManagerFactory())
					.trustManager(ssl.getManagers().getTrustManagerFactory())
					.build())
				.build());
		}
		return client;
	}

	private static LockstepConfigurationException unsupported(String description) {
		return new LockstepConfigurationException(description,
				"Point spring.data.redis.* at a standalone or Sentinel Redis, define a RedisPrimitives bean over a"
						+ " RedisClient of your own, or keep the primitives in memory (lockstep.backend: memory).");
	}

	RedisClient client() {
		return this.client;
	}

	/** Whether the client is Lockstep's own, rather than the application's. */
	boolean isOwned() {
		return this.owned;
	}

	@Override
	public void destroy() {
		if (this.owned) {
			this.client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
		}
	}

}
