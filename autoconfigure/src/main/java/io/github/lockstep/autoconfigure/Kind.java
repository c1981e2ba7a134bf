package io.github.lockstep.autoconfigure;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.github.lockstep.PrimitiveKind;

/**
 * What configuration knows of each {@link PrimitiveKind}: the section of {@code lockstep.*} that
 * lists its primitives, the keys of one primitive and of its settings, and the setting that sizes
 * it. Everything else about a kind (its word, its interface) is the core's.
 */
enum Kind {

	LOCK(PrimitiveKind.LOCK, "locks", null, LockstepProperties::getLocks),

	SEMAPHORE(PrimitiveKind.SEMAPHORE, "semaphores", "permits", LockstepProperties::getSemaphores),

	EVENT(PrimitiveKind.EVENT, "events", null, LockstepProperties::getEvents),

	CONDITION(PrimitiveKind.CONDITION, "conditions", null, LockstepProperties::getConditions),

	BARRIER(PrimitiveKind.BARRIER, "barriers", "parties", LockstepProperties::getBarriers);

	/** Map keys that Spring Boot binds as written; others need brackets. */
	private static final Pattern PLAIN_KEY = Pattern.compile("[a-z0-9-]+");

	private static final Map<PrimitiveKind, Kind> BY_PRIMITIVE_KIND = new EnumMap<>(PrimitiveKind.class);

	static {
		for (Kind kind : values()) {
			BY_PRIMITIVE_KIND.put(kind.primitiveKind, kind);
		}
	}

	private final PrimitiveKind primitiveKind;

	private final String section;

	private final String sizeSetting;

	private final Function<LockstepProperties, Map<String, ? extends LockstepProperties.Primitive>> entries;

	Kind(PrimitiveKind primitiveKind, String section, String sizeSetting,
			Function<LockstepProperties, Map<String, ? extends LockstepProperties.Primitive>> entries) {
		this.primitiveKind = primitiveKind;
		this.section = section;
		this.sizeSetting = sizeSetting;
		this.entries = entries;
	}

	/** The configuration keys of a kind of primitive. */
	static Kind of(PrimitiveKind kind) {
		return BY_PRIMITIVE_KIND.get(kind);
	}

	/** The core's kind. */
	PrimitiveKind primitiveKind() {
		return this.primitiveKind;
	}

	/** The kind's word in messages, metrics and the endpoint: {@code semaphore}. */
	String word() {
		return this.primitiveKind.word();
	}

	/** The entries of the kind's section, by name. */
	Map<String, ? extends LockstepProperties.Primitive> entries(LockstepProperties properties) {
		return this.entries.apply(properties);
	}

	/**
	 * The setting that sizes a primitive of the kind, as the annotations name it too:
	 * {@code permits} for semaphores, {@code parties} for barriers; {@code null} for the others.
	 */
	String sizeSetting() {
		return this.sizeSetting;
	}

	/** The key of the kind's section: {@code lockstep.semaphores}. */
	String section() {
		return "lockstep." + this.section;
	}

	/** The key of a primitive, {@code lockstep.semaphores.payment-api}, or {@code ….[Mailer.send]}. */
	String key(String name) {
		return section() + "." + (PLAIN_KEY.matcher(name).matches() ? name : "[" + name + "]");
	}

	/** A primitive's name as its YAML key: {@code payment-api}, or {@code "[Mailer.send]"}. */
	private static String entry(String name) {
		return PLAIN_KEY.matcher(name).matches() ? name : "\"[" + name + "]\"";
	}

	/**
	 * How to write an entry that keeps every default, for messages: Spring Boot drops an empty
	 * {@code {}} while it loads YAML, and Lockstep finds it again only where it can read the file.
	 */
	String noSettingsHint(String name) {
		String entry = entry(name);
		return "An entry with no settings is written '" + entry + ":' (or '" + entry + ": ~') under " + section()
				+ "; '" + entry + ": {}' is seen only in a YAML file that Spring Boot loaded, in a document that sets"
				+ " something else too.";
	}

	/** The key of one of a primitive's settings: {@code lockstep.semaphores.payment-api.permits}. */
	String key(String name, String setting) {
		return key(name) + "." + setting;
	}

}
