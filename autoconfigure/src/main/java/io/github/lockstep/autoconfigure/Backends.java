package io.github.lockstep.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.spring.LockstepConfigurationException;

import org.springframework.util.ClassUtils;

/**
 * The {@link PrimitiveFactory} of each backend id: the application's factory beans, and the
 * in-memory one unless a bean replaces it. Every primitive Lockstep creates comes from here.
 */
final class Backends {

	static final String MEMORY = "memory";

	static final String REDIS = "redis";

	private static final String DEFAULT_KEY = "lockstep.backend";

	private final Map<String, PrimitiveFactory> factories = new TreeMap<>();

	private final String defaultBackend;

	/** The application's, to tell which of the Redis backend's dependencies are missing. */
	private final ClassLoader classLoader;

	Backends(List<PrimitiveFactory> beans, String defaultBackend) {
		this(beans, defaultBackend, Backends.class.getClassLoader());
	}

	Backends(List<PrimitiveFactory> beans, String defaultBackend, ClassLoader classLoader) {
		this.classLoader = classLoader;
		for (PrimitiveFactory factory : beans) {
			PrimitiveFactory other = this.factories.putIfAbsent(factory.backend(), factory);
			if (other != null) {
				throw new LockstepConfigurationException("Two PrimitiveFactory beans (" + other.getClass().getName() + " and "
						+ factory.getClass().getName() + ") are both for backend '" + factory.backend() + "'.",
						"Keep one PrimitiveFactory bean per backend id.");
			}
		}
		this.factories.putIfAbsent(MEMORY, PrimitiveFactory.inMemory());
		this.defaultBackend = (defaultBackend == null || defaultBackend.isBlank()) ? MEMORY : defaultBackend.trim();
		factory(this.defaultBackend, DEFAULT_KEY);
	}

	/** The factory of primitives that name no backend: {@code lockstep.backend}'s. */
	PrimitiveFactory defaultFactory() {
		return this.factories.get(this.defaultBackend);
	}

	/**
	 * The factory of a backend named by a key.
	 * @param backend the id, or {@code null} for {@code lockstep.backend}'s
	 * @param key the key that names it, for the message if there is no such backend
	 */
	PrimitiveFactory factory(String backend, String key) {
		if (backend == null || backend.isBlank()) {
			return defaultFactory();
		}
		PrimitiveFactory factory = this.factories.get(backend.trim());
		if (factory == null) {
			String known = "The backends available are " + this.factories.keySet() + ".";
			if (REDIS.equals(backend.trim())) {
				throw redisMissing(key, known);
			}
			throw new LockstepConfigurationException(key + " is '" + backend + "', but no backend of that id is available.",
					"Name one of them, or define a PrimitiveFactory bean whose backend() is '" + backend + "'. " + known);
		}
		return factory;
	}

	/**
	 * Creates a primitive on a factory, turning a kind the backend does not implement into a
	 * failure that names the key that chose the backend.
	 * @param backend the primitive's own backend setting, or {@code null} for {@code lockstep.backend}'s
	 */
	<P extends AsyncPrimitive> P create(String backend, Kind kind, String name, Function<PrimitiveFactory, P> creation) {
		boolean own = backend != null && !backend.isBlank();
		PrimitiveFactory factory = factory(backend, kind.key(name, "backend"));
		try {
			return creation.apply(factory);
		}
		catch (UnsupportedOperationException ex) {
			String key = own ? kind.key(name, "backend") : DEFAULT_KEY;
			String why = "that backend cannot create " + kind.plural() + " (" + ex.getMessage() + ").";
			throw new LockstepConfigurationException(key + " is '" + factory.backend() + "', but " + why,
					"Set " + kind.key(name, "backend") + " to memory to keep the " + kind.word() + " '" + name
							+ "' in this process" + (own ? "." : ", or set " + DEFAULT_KEY + " to memory."));
		}
	}

	/** Which of the Redis backend's dependencies or connection is missing, and what adds it. */
	private LockstepConfigurationException redisMissing(String key, String known) {
		String orMemory = ", or set " + key + " to memory. " + known;
		if (!ClassUtils.isPresent("io.github.lockstep.redis.RedisPrimitives", this.classLoader)) {
			return new LockstepConfigurationException(
					key + " is 'redis', but lockstep-redis is not on the class path.",
					"Add the dependency io.github.lockstep:lockstep-redis, with a Redis connection (Spring Boot's"
							+ " org.springframework.boot:spring-boot-starter-data-redis and spring.data.redis.*)" + orMemory);
		}
		if (!ClassUtils.isPresent("org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails",
				this.classLoader) || !ClassUtils.isPresent("io.lettuce.core.RedisClient", this.classLoader)) {
			return new LockstepConfigurationException(
					key + " is 'redis', but there is no Redis connection: Spring Boot's Redis support (with Lettuce) is"
							+ " not on the class path.",
					"Add the dependency org.springframework.boot:spring-boot-starter-data-redis and point"
							+ " spring.data.redis.host (or spring.data.redis.url) at your Redis" + orMemory);
		}
		return new LockstepConfigurationException(
				key + " is 'redis', but there is no Redis connection: no RedisConnectionFactory or"
						+ " DataRedisConnectionDetails bean.",
				"Let Spring Boot's DataRedisAutoConfiguration create them from spring.data.redis.* (is it excluded?),"
						+ " or define a RedisConnectionFactory bean" + orMemory);
	}

}
