package io.github.lockstep.autoconfigure.redis;

import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.autoconfigure.LockstepProperties;
import io.github.lockstep.redis.RedisPrimitives;
import io.github.lockstep.redis.RedisPrimitivesOptions;
import io.github.lockstep.spring.BackendConnection;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of Lockstep's Redis backend ({@code lockstep-redis}): when
 * {@code lockstep.backend} or a primitive's {@code backend} is {@code redis} and the application
 * has a Redis connection, a {@link RedisPrimitives} (the {@code redis} backend's factory) over the
 * application's Lettuce client, with {@code lockstep.redis.key-prefix} and
 * {@code lockstep.redis.lease}.
 *
 * <pre>{@code
 * spring.data.redis.host: redis.internal
 * lockstep:
 *   semaphores:
 *     payment-api: { permits: 5, backend: redis }
 * }</pre>
 *
 * <p>The client is that of Spring Boot's {@code LettuceConnectionFactory}, so its URI, SSL,
 * Sentinel and client options apply; with another connection factory (Jedis) one is built from
 * the {@code spring.data.redis.*} connection details. The backend is closed when the context
 * stops, before the connection factory: its holds are passed on, not left to the lease. A
 * {@link RedisPrimitives} bean of the application's replaces it.
 */
@AutoConfiguration(before = LockstepAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ RedisPrimitives.class, RedisClient.class, RedisConnectionFactory.class,
		DataRedisConnectionDetails.class })
@ConditionalOnBooleanProperty(name = "lockstep.enabled", matchIfMissing = true)
@Conditional({ OnRedisBackendCondition.class, LockstepRedisAutoConfiguration.OnRedisConnection.class })
@EnableConfigurationProperties(LockstepProperties.class)
public final class LockstepRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(RedisPrimitives.class)
	RedisClientSource lockstepRedisClientSource(ObjectProvider<RedisConnectionFactory> connectionFactory,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails, ObjectProvider<ClientResources> resources,
			ObjectProvider<DataRedisProperties> redisProperties) {
		DataRedisProperties properties = redisProperties.getIfAvailable();
		return RedisClientSource.of(connectionFactory.getIfAvailable(), connectionDetails.getIfAvailable(),
				resources.getIfAvailable(), (properties != null) ? properties.getTimeout() : null);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisPrimitives lockstepRedisPrimitives(RedisClientSource source, LockstepProperties properties) {
		return RedisPrimitives.create(source.client(), options(properties.getRedis()));
	}

	@Bean
	RedisPrimitivesLifecycle lockstepRedisPrimitivesLifecycle(RedisPrimitives primitives) {
		return new RedisPrimitivesLifecycle(primitives);
	}

	@Bean
	BackendConnection lockstepRedisConnection(RedisPrimitives primitives) {
		return BackendConnection.of(primitives.backend(), primitives::isConnected);
	}

	private static RedisPrimitivesOptions options(LockstepProperties.Redis redis) {
		RedisPrimitivesOptions options = RedisPrimitivesOptions.defaults();
		try {
			options = options.withKeyPrefix(redis.getKeyPrefix());
		}
		catch (IllegalArgumentException ex) {
			throw new LockstepConfigurationException(
					"lockstep.redis.key-prefix is '" + redis.getKeyPrefix() + "', which has braces or whitespace or is empty.",
					"Set lockstep.redis.key-prefix to a word without braces or whitespace, such as the service's name.");
		}
		try {
			return options.withLease(redis.getLease());
		}
		catch (IllegalArgumentException ex) {
			throw new LockstepConfigurationException("lockstep.redis.lease is " + redis.getLease()
					+ ", but the lease must be at least 100ms.",
					"Set lockstep.redis.lease to 100ms or more: how long a silent instance keeps its holds (default 15s).");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	@ConditionalOnBooleanProperty(name = "lockstep.metrics.enabled", matchIfMissing = true)
	static class Metrics {

		@Bean
		RedisLeaseMetrics lockstepRedisLeaseMetrics(RedisPrimitives primitives) {
			return new RedisLeaseMetrics(primitives);
		}

	}

	/** A Redis connection factory or Spring Boot's connection details. */
	static final class OnRedisConnection extends AnyNestedCondition {

		OnRedisConnection() {
			super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(RedisConnectionFactory.class)
		static class ConnectionFactory {

		}

		@ConditionalOnBean(DataRedisConnectionDetails.class)
		static class ConnectionDetails {

		}

	}

}
