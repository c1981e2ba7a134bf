package io.github.lockstep.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.spring.LockstepConfigurationException;

/**
 * The {@link PrimitiveFactory} of each backend id: the application's factory beans, and the
 * in-memory one unless a bean replaces it. Every primitive Lockstep creates comes from here.
 */
final class Backends {

	static final String MEMORY = "memory";

	private final Map<String, PrimitiveFactory> factories = new TreeMap<>();

	private final String defaultBackend;

	Backends(List<PrimitiveFactory> beans, String defaultBackend) {
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
		factory(this.defaultBackend, "lockstep.backend");
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
			throw new LockstepConfigurationException(key + " is '" + backend + "', but no backend of that id is available.",
					"redis".equals(backend.trim())
							? "Add the dependency io.github.lockstep:lockstep-redis and a Redis connection (Spring Boot's"
									+ " spring-boot-starter-data-redis, with spring.data.redis.*), or set " + key
									+ " to memory. " + known
							: "Name one of them, or define a PrimitiveFactory bean whose backend() is '" + backend + "'. "
									+ known);
		}
		return factory;
	}

}
