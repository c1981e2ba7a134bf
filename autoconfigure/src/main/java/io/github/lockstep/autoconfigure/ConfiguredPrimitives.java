package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.github.lockstep.spring.LockstepRegistry;

/**
 * The primitives of {@code lockstep.*}: checked, created and registered, with the kind and
 * timeout of each name.
 */
final class ConfiguredPrimitives {

	private final Map<String, Kind> kinds = new HashMap<>();

	private final Map<String, Duration> timeouts = new HashMap<>();

	private final LockstepRegistry registry;

	ConfiguredPrimitives(LockstepProperties properties, LockstepRegistry registry, Backends backends) {
		this.registry = registry;
		properties.getLocks().forEach((name, lock) -> {
			declare(Kind.LOCK, name, lock);
			registry.register(factory(backends, Kind.LOCK, name, lock).lock(name));
		});
		properties.getSemaphores().forEach((name, semaphore) -> {
			declare(Kind.SEMAPHORE, name, semaphore);
			int permits = atLeastOne(Kind.SEMAPHORE, name, semaphore.getPermits(),
					"the number of holders allowed at once");
			registry.register(factory(backends, Kind.SEMAPHORE, name, semaphore).semaphore(name, permits,
					semaphore.isBounded()));
		});
		properties.getEvents().forEach((name, event) -> {
			declare(Kind.EVENT, name, event);
			AsyncEvent created = factory(backends, Kind.EVENT, name, event).event(name);
			if (event.isInitiallySet()) {
				created.set();
			}
			registry.register(created);
		});
		properties.getBarriers().forEach((name, barrier) -> {
			declare(Kind.BARRIER, name, barrier);
			int parties = atLeastOne(Kind.BARRIER, name, barrier.getParties(),
					"the number of calls that make a round");
			registry.register(factory(backends, Kind.BARRIER, name, barrier).barrier(name, parties));
		});
		// conditions last: they may share a configured lock
		properties.getConditions().forEach((name, condition) -> {
			declare(Kind.CONDITION, name, condition);
			PrimitiveFactory factory = factory(backends, Kind.CONDITION, name, condition);
			registry.register((condition.getLock() != null)
					? factory.condition(name, sharedLock(properties, registry, backends, name, condition))
					: factory.condition(name));
		});
	}

	/** The configured primitive of this name: the factory method of its bean. */
	AsyncPrimitive primitive(String name) {
		return this.registry.find(name).orElseThrow();
	}

	/** Returns the kind configured under this name, or {@code null}. */
	Kind kind(String name) {
		return this.kinds.get(name);
	}

	/** Returns the timeout configured for this name, or {@code null}. */
	Duration timeout(String name) {
		return this.timeouts.get(name);
	}

	private void declare(Kind kind, String name, LockstepProperties.Primitive settings) {
		if (name.isBlank()) {
			throw new LockstepConfigurationException(kind.section() + " has a primitive with a blank name.",
					"Give every primitive a name.");
		}
		Kind existing = this.kinds.putIfAbsent(name, kind);
		if (existing != null) {
			throw new LockstepConfigurationException(
					"'" + name + "' is configured twice, as " + existing.key(name) + " and as " + kind.key(name) + ".",
					"Give each primitive its own name: one name refers to one primitive, whatever its kind.");
		}
		Duration timeout = settings.getTimeout();
		if (timeout != null && timeout.isNegative()) {
			throw new LockstepConfigurationException(kind.key(name, "timeout") + " is " + timeout + ", which is negative.",
					"Set " + kind.key(name, "timeout") + " to 0 (fail at once) or more, or remove it to wait with no limit.");
		}
		this.timeouts.put(name, timeout);
	}

	private static int atLeastOne(Kind kind, String name, Integer value, String meaning) {
		String key = kind.key(name, kind.sizeSetting());
		if (value == null) {
			throw new LockstepConfigurationException(key + " is not set, and a " + kind.word() + " cannot work without it.",
					"Set " + key + " to 1 or more: " + meaning + ".");
		}
		if (value < 1) {
			throw new LockstepConfigurationException(key + " is " + value + ", but a " + kind.word() + " needs at least 1.",
					"Set " + key + " to 1 or more: " + meaning + ".");
		}
		return value;
	}

	private static PrimitiveFactory factory(Backends backends, Kind kind, String name,
			LockstepProperties.Primitive settings) {
		return backends.factory(settings.getBackend(), kind.key(name, "backend"));
	}

	private static AsyncLock sharedLock(LockstepProperties properties, LockstepRegistry registry, Backends backends,
			String condition, LockstepProperties.Condition settings) {
		String key = Kind.CONDITION.key(condition, "lock");
		String lock = settings.getLock();
		LockstepProperties.Lock lockSettings = properties.getLocks().get(lock);
		if (lockSettings != null) {
			String lockBackend = factory(backends, Kind.LOCK, lock, lockSettings).backend();
			String conditionBackend = factory(backends, Kind.CONDITION, condition, settings).backend();
			if (!lockBackend.equals(conditionBackend)) {
				throw new LockstepConfigurationException(key + " is '" + lock + "', a lock on backend '" + lockBackend
						+ "', but the condition is on backend '" + conditionBackend + "': a condition can only wait on a"
						+ " lock that lives where it does.",
						"Put both on one backend (set " + Kind.LOCK.key(lock, "backend") + " and "
								+ Kind.CONDITION.key(condition, "backend") + " alike), or remove " + key
								+ " to give the condition a lock of its own.");
			}
		}
		return registry.lock(lock).orElseThrow(() -> new LockstepConfigurationException(
				key + " is '" + lock + "', but no lock of that name is configured.",
				"Configure it as " + Kind.LOCK.key(lock) + ", or " + (properties.getLocks().isEmpty()
						? "remove " + key + " to give the condition a lock of its own."
						: "name one of the configured locks: " + new TreeSet<>(properties.getLocks().keySet()) + ".")));
	}

}
