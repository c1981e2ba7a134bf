package io.github.lockstep;

import java.util.concurrent.atomic.AtomicLong;

/** Names of primitives: generated ones for primitives created without a name, and checks. */
final class Names {

	private static final AtomicLong sequence = new AtomicLong();

	private Names() {
	}

	static String anonymous(String kind) {
		return "anonymous-" + kind + "-" + sequence.incrementAndGet();
	}

	static String check(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("A primitive's name must not be blank, but was "
					+ ((name != null) ? "'" + name + "'" : "null"));
		}
		return name;
	}

}
