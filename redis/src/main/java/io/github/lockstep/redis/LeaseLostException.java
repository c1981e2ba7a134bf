package io.github.lockstep.redis;

import io.github.lockstep.LockstepException;

/**
 * A hold of a Redis primitive ended without a release: this instance did not renew its lease in
 * time (it was paused, cut off from Redis, or Redis lost its data), and the permit went to the
 * next waiter. Work done under the hold since may have overlapped with the next holder's; a
 * resource that must stay consistent should check the hold's fencing token.
 *
 * <pre>{@code
 * try {
 *     lock.release();
 * }
 * catch (LeaseLostException ex) {
 *     log.error("{} was not held to the end", ex.primitiveName());
 * }
 * }</pre>
 */
public class LeaseLostException extends LockstepException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the report of a lost hold.
	 * @param kind the kind of primitive ({@code "Lock"}, {@code "Semaphore"})
	 * @param primitiveName the primitive's name
	 * @param detail how it was lost
	 */
	public LeaseLostException(String kind, String primitiveName, String detail) {
		super(primitiveName, kind + " '" + primitiveName + "': lease lost, " + detail);
	}

}
