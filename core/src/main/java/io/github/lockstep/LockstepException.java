package io.github.lockstep;

/**
 * Base class of the failures a Lockstep primitive reports about itself. Every instance names the
 * primitive it comes from, so a log line or an HTTP error says which lock, semaphore or barrier
 * was involved.
 *
 * <pre>{@code
 * semaphore.acquire(Duration.ofSeconds(2)).exceptionally(ex -> {
 *     if (ex instanceof LockstepException lockstep) {
 *         log.warn("gave up on {}", lockstep.primitiveName());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public class LockstepException extends RuntimeException {

	/** Serialization version. */
	private static final long serialVersionUID = 1L;

	/** The name of the primitive the failure is about. */
	private final String primitiveName;

	/**
	 * Creates an exception about the named primitive.
	 * @param primitiveName the {@code name()} of the primitive
	 * @param message the message, which should name the primitive too
	 */
	public LockstepException(String primitiveName, String message) {
		super(message);
		this.primitiveName = primitiveName;
	}

	/**
	 * Creates an exception about the named primitive, with a cause.
	 * @param primitiveName the {@code name()} of the primitive
	 * @param message the message, which should name the primitive too
	 * @param cause the underlying failure
	 */
	public LockstepException(String primitiveName, String message, Throwable cause) {
		super(message, cause);
		this.primitiveName = primitiveName;
	}

	/**
	 * Returns the name of the primitive this failure is about.
	 * @return the primitive's {@code name()}
	 */
	public String primitiveName() {
		return this.primitiveName;
	}

}
