package io.github.lockstep.redis;

import io.github.lockstep.LockstepException;

/**
 * A Redis primitive could not get an answer from Redis: the server is unreachable, did not answer
 * within the client's command timeout, or refused the call. Nothing was granted: an acquisition
 * that fails with it holds no permit, and a queue place it may have left in Redis is withdrawn.
 *
 * <pre>{@code
 * semaphore.acquire().exceptionally(ex -> {
 *     if (ex.getCause() instanceof RedisUnavailableException unavailable) {
 *         log.warn("{} is unavailable", unavailable.primitiveName());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public class RedisUnavailableException extends LockstepException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the failure of a call about the named primitive.
	 * @param kind the kind of primitive, for the message ({@code "Lock"}, {@code "Semaphore"})
	 * @param primitiveName the primitive's name
	 * @param cause what the Redis client reported
	 */
	public RedisUnavailableException(String kind, String primitiveName, Throwable cause) {
		super(primitiveName, kind + " '" + primitiveName + "': Redis unavailable ("
				+ ((cause != null && cause.getMessage() != null) ? cause.getMessage() : String.valueOf(cause)) + ")", cause);
	}

}
