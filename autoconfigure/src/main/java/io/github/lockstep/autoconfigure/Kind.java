package io.github.lockstep.autoconfigure;

import java.util.Locale;
import java.util.regex.Pattern;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.spring.LockstepRegistry;

/** The kinds of primitive, with the configuration keys that name one. */
enum Kind {

	LOCK("locks", AsyncLock.class), SEMAPHORE("semaphores", AsyncSemaphore.class), EVENT("events", AsyncEvent.class),
	CONDITION("conditions", AsyncCondition.class), BARRIER("barriers", AsyncBarrier.class);

	/** Map keys that Spring Boot binds as written; others need brackets. */
	private static final Pattern PLAIN_KEY = Pattern.compile("[a-z0-9-]+");

	private final String section;

	private final Class<? extends AsyncPrimitive> type;

	Kind(String section, Class<? extends AsyncPrimitive> type) {
		this.section = section;
		this.type = type;
	}

	/** The interface of the kind's primitives. */
	Class<? extends AsyncPrimitive> type() {
		return this.type;
	}

	/** The key of the kind's section: {@code lockstep.semaphores}. */
	String section() {
		return "lockstep." + this.section;
	}

	/** The kind's word in messages, metrics and the endpoint: {@code semaphore}. */
	String word() {
		return name().toLowerCase(Locale.ROOT);
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

	static Kind of(AsyncPrimitive primitive) {
		return valueOf(LockstepRegistry.kind(primitive).toUpperCase(Locale.ROOT));
	}

}
