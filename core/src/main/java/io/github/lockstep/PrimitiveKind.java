package io.github.lockstep;

import java.util.Locale;

/**
 * The five kinds of Lockstep primitive, each with the word that names it in metrics, the Actuator
 * endpoint and configuration, and the interface its primitives implement.
 *
 * <pre>{@code
 * AsyncPrimitive primitive = AsyncSemaphore.create("payment-api", 5);
 * primitive.kind();                  // SEMAPHORE
 * primitive.kind().word();           // "semaphore", the value of the metrics' kind tag
 * primitive.kind().displayName();    // "Semaphore", as in "Semaphore 'payment-api': ..."
 * primitive.kind().type().cast(primitive).name();
 * }</pre>
 */
public enum PrimitiveKind {

	/** An {@link AsyncLock}. */
	LOCK(AsyncLock.class),

	/** An {@link AsyncSemaphore}, bounded or not. */
	SEMAPHORE(AsyncSemaphore.class),

	/** An {@link AsyncEvent}. */
	EVENT(AsyncEvent.class),

	/** An {@link AsyncCondition}. */
	CONDITION(AsyncCondition.class),

	/** An {@link AsyncBarrier}. */
	BARRIER(AsyncBarrier.class);

	private final Class<? extends AsyncPrimitive> type;

	private final String word;

	private final String displayName;

	PrimitiveKind(Class<? extends AsyncPrimitive> type) {
		this.type = type;
		this.word = name().toLowerCase(Locale.ROOT);
		this.displayName = this.word.substring(0, 1).toUpperCase(Locale.ROOT) + this.word.substring(1);
	}

	/**
	 * Returns the kind's word in metrics (the {@code kind} tag), the Actuator endpoint and
	 * configuration keys.
	 * @return {@code lock}, {@code semaphore}, {@code event}, {@code condition} or {@code barrier}
	 */
	public String word() {
		return this.word;
	}

	/**
	 * Returns the kind's name as it starts the primitives' messages, {@code "Lock 'inventory': …"}.
	 * @return {@code Lock}, {@code Semaphore}, {@code Event}, {@code Condition} or {@code Barrier}
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * Returns the interface that primitives of this kind implement.
	 * @return {@code AsyncLock.class}, {@code AsyncSemaphore.class}, …
	 */
	public Class<? extends AsyncPrimitive> type() {
		return this.type;
	}

}
