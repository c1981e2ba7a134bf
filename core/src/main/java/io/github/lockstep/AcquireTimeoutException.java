package io.github.lockstep;

import java.time.Duration;

/**
 * Thrown, or used to fail a future, when a wait for a lock, permit, event, condition or barrier
 * ran out of time. The primitive is unchanged by the timeout: whatever the wait would have been
 * granted was never granted, or was passed on to the next waiter.
 *
 * <pre>{@code
 * lock.acquire(Duration.ofMillis(500))
 *     .exceptionally(ex -> { throw new ServiceUnavailableException(ex); });
 * }</pre>
 */
public class AcquireTimeoutException extends LockstepException {

	/** Serialization version. */
	private static final long serialVersionUID = 1L;

	/** How long the wait was allowed, or {@code null}. */
	private final Duration timeout;

	/**
	 * Creates an exception for a wait on the given primitive that ran out of time.
	 * @param kind the kind of primitive, for the message ({@code "Lock"}, {@code "Semaphore"}, …)
	 * @param primitiveName the primitive's name
	 * @param timeout how long the wait was allowed, or {@code null} if not known (for example when
	 * the caller used {@link java.util.concurrent.CompletableFuture#orTimeout})
	 */
	public AcquireTimeoutException(String kind, String primitiveName, Duration timeout) {
		super(primitiveName, kind + " '" + primitiveName + "': wait timed out"
				+ ((timeout != null) ? " after " + format(timeout) : ""));
		this.timeout = timeout;
	}

	/**
	 * Returns how long the wait was allowed.
	 * @return the timeout, or {@code null} if it is not known
	 */
	public Duration timeout() {
		return this.timeout;
	}

	private static String format(Duration timeout) {
		if (timeout.toNanos() % 1_000_000 != 0 || timeout.isZero()) {
			return (timeout.isZero()) ? "0ms" : timeout.toNanos() + "ns";
		}
		return timeout.toMillis() + "ms";
	}

}
