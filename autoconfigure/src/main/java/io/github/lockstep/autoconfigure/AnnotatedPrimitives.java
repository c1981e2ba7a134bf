package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.github.lockstep.spring.LockstepRegistry;

/**
 * Finds or creates the primitive an annotation names, and checks that all uses of a name agree:
 * the configuration wins, then a primitive registered in code, then the first annotation that
 * declared the name.
 */
final class AnnotatedPrimitives {

	/**
	 * One annotation's use of a primitive.
	 * @param kind the kind it needs
	 * @param name the primitive's name, given or default
	 * @param named whether the annotation gave the name
	 * @param size permits or parties from the annotation; 0 if none
	 * @param owner the class whose name a default name is made of
	 * @param where the annotation and the method or class, for messages
	 */
	record Use(Kind kind, String name, boolean named, int size, Class<?> owner, String where) {

	}

	private final LockstepRegistry registry;

	private final ConfiguredPrimitives configured;

	private final boolean strict;

	private final Duration defaultTimeout;

	private final ReentrantLock lock = new ReentrantLock();

	/** The first annotation that declared each name not configured. */
	private final Map<String, Use> declared = new HashMap<>();

	AnnotatedPrimitives(LockstepRegistry registry, ConfiguredPrimitives configured, boolean strict,
			Duration defaultTimeout) {
		this.registry = registry;
		this.configured = configured;
		this.strict = strict;
		this.defaultTimeout = defaultTimeout;
	}

	/** The timeout of a call whose annotation sets none: the primitive's, else the default. */
	Duration timeout(String name) {
		Duration configuredTimeout = this.configured.timeout(name);
		return (configuredTimeout != null) ? configuredTimeout : this.defaultTimeout;
	}

	/** The permits of the semaphore configured, or created for annotations, under this name. */
	OptionalInt permits(String name) {
		OptionalInt configuredPermits = this.configured.permits(name);
		if (configuredPermits.isPresent()) {
			return configuredPermits;
		}
		this.lock.lock();
		try {
			Use first = this.declared.get(name);
			return (first != null && first.kind() == Kind.SEMAPHORE) ? OptionalInt.of(first.size()) : OptionalInt.empty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The primitive of an annotation-only name, for its bean: the factory method of the
	 * definitions that {@link AnnotatedPrimitiveBeans} adds.
	 */
	AsyncPrimitive primitive(Kind kind, String name, boolean named, int size, Class<?> owner, String where) {
		return resolve(new Use(kind, name, named, size, owner, where));
	}

	AsyncPrimitive resolve(Use use) {
		if (use.size() < 0) {
			throw new LockstepConfigurationException(use.where() + " has " + sizeWord(use.kind()) + " = " + use.size()
					+ ", but a " + use.kind().word() + " needs at least 1.",
					"Set " + sizeWord(use.kind()) + " to 1 or more, or leave it out to use " + use.kind().key(use.name(), sizeWord(use.kind())) + ".");
		}
		Kind configuredKind = this.configured.kind(use.name());
		if (configuredKind != null) {
			checkKind(use, configuredKind, "the " + configuredKind.word() + " configured as " + configuredKind.key(use.name()));
			return this.registry.find(use.name()).orElseThrow();
		}
		this.lock.lock();
		try {
			Use first = this.declared.get(use.name());
			if (first == null) {
				AsyncPrimitive inCode = this.registry.find(use.name()).orElse(null);
				if (inCode != null) {
					checkKind(use, Kind.of(inCode), "a " + Kind.of(inCode).word() + " registered in code");
					return inCode;
				}
			}
			// a name registered in code is no misspelling; one that only annotations declare may be
			if (this.strict && use.named()) {
				throw new LockstepConfigurationException("lockstep.strict is true, but " + use.where() + " names "
						+ use.kind().word() + " '" + use.name() + "', which is not configured.",
						"Configure " + use.kind().key(use.name()) + ", correct the name, or set lockstep.strict=false. "
								+ use.kind().noSettingsHint(use.name()));
			}
			if (first == null) {
				AsyncPrimitive created = this.registry.register(create(use));
				this.declared.put(use.name(), use);
				return created;
			}
			checkAgrees(first, use);
			return this.registry.find(use.name()).orElseThrow();
		}
		finally {
			this.lock.unlock();
		}
	}

	private static void checkKind(Use use, Kind actual, String what) {
		if (actual != use.kind()) {
			throw new LockstepConfigurationException("'" + use.name() + "' is " + what + ", but " + use.where() + " uses it as a "
					+ use.kind().word() + ".", "Name a " + use.kind().word() + " there: one name refers to one primitive, whatever its kind.");
		}
	}

	private static void checkAgrees(Use first, Use use) {
		if (!use.named() && !first.named() && first.owner() != use.owner()) {
			throw new LockstepConfigurationException("Two classes named " + use.owner().getSimpleName() + " ("
					+ first.owner().getName() + " and " + use.owner().getName() + ") would share the default "
					+ use.kind().word() + " name '" + use.name() + "'.",
					"Give " + use.where() + (use.where().contains(use.owner().getName()) ? "" : " in " + use.owner().getName())
							+ " an explicit name, or rename one of the classes.");
		}
		if (first.kind() != use.kind()) {
			throw new LockstepConfigurationException("'" + use.name() + "' is used as a " + first.kind().word() + " by "
					+ first.where() + " and as a " + use.kind().word() + " by " + use.where() + ".",
					"Give them different names: one name refers to one primitive, whatever its kind.");
		}
		if (hasSize(use.kind()) && first.size() != use.size()) {
			String key = use.kind().key(use.name(), sizeWord(use.kind()));
			throw new LockstepConfigurationException(first.where() + " and " + use.where() + " disagree about "
					+ use.kind().word() + " '" + use.name() + "': " + sizeWord(use.kind()) + " = " + first.size() + " and "
					+ sizeWord(use.kind()) + " = " + use.size() + ".",
					"Give both the same " + sizeWord(use.kind()) + ", or set " + key + " (the configuration wins over annotations).");
		}
	}

	private static AsyncPrimitive create(Use use) {
		if (hasSize(use.kind()) && use.size() == 0) {
			String key = use.kind().key(use.name(), sizeWord(use.kind()));
			throw new LockstepConfigurationException(use.where() + " uses " + use.kind().word() + " '" + use.name()
					+ "', but neither the annotation nor " + key + " sets its " + sizeWord(use.kind()) + ".",
					"Set " + sizeWord(use.kind()) + " on the annotation, or configure " + key + ".");
		}
		return switch (use.kind()) {
			case LOCK -> AsyncLock.create(use.name());
			// bounded: an annotated call gives back exactly what it took, so more is a bug to report
			case SEMAPHORE -> AsyncSemaphore.bounded(use.name(), use.size());
			case EVENT -> AsyncEvent.create(use.name());
			case BARRIER -> AsyncBarrier.create(use.name(), use.size());
			case CONDITION -> throw new IllegalArgumentException("no annotation declares a condition");
		};
	}

	private static boolean hasSize(Kind kind) {
		return kind == Kind.SEMAPHORE || kind == Kind.BARRIER;
	}

	private static String sizeWord(Kind kind) {
		return (kind == Kind.BARRIER) ? "parties" : "permits";
	}

}
