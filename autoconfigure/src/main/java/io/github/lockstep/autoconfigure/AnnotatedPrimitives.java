package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.PrimitiveKind;
import io.github.lockstep.autoconfigure.interceptor.PrimitiveSource;
import io.github.lockstep.autoconfigure.interceptor.PrimitiveUse;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.github.lockstep.spring.LockstepRegistry;

/**
 * The auto-configuration's {@link PrimitiveSource}: finds or creates the primitive an annotation
 * names, and checks that all uses of a name agree: the configuration wins, then a primitive
 * registered in code, then the first annotation that declared the name.
 */
final class AnnotatedPrimitives implements PrimitiveSource {

	private final LockstepRegistry registry;

	private final ConfiguredPrimitives configured;

	/** Annotation-only primitives are created on {@code lockstep.backend}'s. */
	private final Backends backends;

	private final boolean strict;

	private final Duration defaultTimeout;

	private final ReentrantLock lock = new ReentrantLock();

	/** The first annotation that declared each name not configured. */
	private final Map<String, PrimitiveUse> declared = new HashMap<>();

	AnnotatedPrimitives(LockstepRegistry registry, ConfiguredPrimitives configured, Backends backends, boolean strict,
			Duration defaultTimeout) {
		this.registry = registry;
		this.backends = backends;
		this.configured = configured;
		this.strict = strict;
		this.defaultTimeout = defaultTimeout;
	}

	/** The timeout of a call whose annotation sets none: the primitive's, else the default. */
	@Override
	public Duration timeout(String name) {
		Duration configuredTimeout = this.configured.timeout(name);
		return (configuredTimeout != null) ? configuredTimeout : this.defaultTimeout;
	}

	/**
	 * The primitive of an annotation-only name, for its bean: the factory method of the
	 * definitions that {@link AnnotatedPrimitiveBeans} adds.
	 */
	AsyncPrimitive primitiveBean(PrimitiveKind kind, String name, boolean named, int size, Class<?> owner,
			String where) {
		return primitive(new PrimitiveUse(kind, name, named, size, owner, where));
	}

	@Override
	public AsyncPrimitive primitive(PrimitiveUse use) {
		Kind keys = keys(use);
		if (use.size() < 0) {
			throw new LockstepConfigurationException(use.where() + " has " + keys.sizeSetting() + " = " + use.size()
					+ ", but a " + use.kind().word() + " needs at least 1.",
					"Set " + keys.sizeSetting() + " to 1 or more, or leave it out to use "
							+ keys.key(use.name(), keys.sizeSetting()) + ".");
		}
		Kind configuredKind = this.configured.kind(use.name());
		if (configuredKind != null) {
			checkKind(use, configuredKind.primitiveKind(),
					"the " + configuredKind.word() + " configured as " + configuredKind.key(use.name()));
			return this.registry.find(use.name()).orElseThrow();
		}
		this.lock.lock();
		try {
			PrimitiveUse first = this.declared.get(use.name());
			if (first == null) {
				AsyncPrimitive inCode = this.registry.find(use.name()).orElse(null);
				if (inCode != null) {
					checkKind(use, inCode.kind(), "a " + inCode.kind().word() + " registered in code");
					return inCode;
				}
			}
			// a name registered in code is no misspelling; one that only annotations declare may be
			if (this.strict && use.named()) {
				throw new LockstepConfigurationException("lockstep.strict is true, but " + use.where() + " names "
						+ use.kind().word() + " '" + use.name() + "', which is not configured.",
						"Configure " + keys.key(use.name()) + ", correct the name, or set lockstep.strict=false. "
								+ keys.noSettingsHint(use.name()));
			}
			if (first == null) {
				AsyncPrimitive created = this.registry.register(create(use), this.backends.defaultFactory().backend());
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

	private static void checkKind(PrimitiveUse use, PrimitiveKind actual, String what) {
		if (actual != use.kind()) {
			String word = use.kind().word();
			throw new LockstepConfigurationException(
					"'" + use.name() + "' is " + what + ", but " + use.where() + " uses it as a " + word + ".",
					"Name a " + word + " there: one name refers to one primitive, whatever its kind.");
		}
	}

	private static void checkAgrees(PrimitiveUse first, PrimitiveUse use) {
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
		String size = keys(use).sizeSetting();
		if (size != null && first.size() != use.size()) {
			String key = keys(use).key(use.name(), size);
			throw new LockstepConfigurationException(first.where() + " and " + use.where() + " disagree about "
					+ use.kind().word() + " '" + use.name() + "': " + size + " = " + first.size() + " and "
					+ size + " = " + use.size() + ".",
					"Give both the same " + size + ", or set " + key + " (the configuration wins over annotations).");
		}
	}

	private AsyncPrimitive create(PrimitiveUse use) {
		String size = keys(use).sizeSetting();
		if (size != null && use.size() == 0) {
			String key = keys(use).key(use.name(), size);
			throw new LockstepConfigurationException(use.where() + " uses " + use.kind().word() + " '" + use.name()
					+ "', but neither the annotation nor " + key + " sets its " + size + ".",
					"Set " + size + " on the annotation, or configure " + key + ".");
		}
		return this.backends.create(null, keys(use), use.name(), (factory) -> create(factory, use));
	}

	private static AsyncPrimitive create(PrimitiveFactory factory, PrimitiveUse use) {
		return switch (use.kind()) {
			case LOCK -> factory.lock(use.name());
			// bounded: an annotated call gives back exactly what it took, so more is a bug to report
			case SEMAPHORE -> factory.semaphore(use.name(), use.size(), true);
			case EVENT -> factory.event(use.name());
			case BARRIER -> factory.barrier(use.name(), use.size());
			case CONDITION -> throw new IllegalArgumentException("no annotation declares a condition");
		};
	}

	/** The configuration keys of the use's kind. */
	private static Kind keys(PrimitiveUse use) {
		return Kind.of(use.kind());
	}

}
