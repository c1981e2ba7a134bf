package io.github.lockstep;

/**
 * Reports that a {@link Hold} lost its lease: the backend stopped counting it as held (the process
 * did not renew it in time, or the backend's store lost it), so another caller may have been
 * granted the lock or permit meanwhile. Thrown by the hold's release, and the value of its
 * {@link Hold#lost()} stage. In-memory holds are never lost.
 *
 * <pre>{@code
 * hold.releaseAsync().exceptionally(ex -> {
 *     if (ex instanceof LeaseLostException lost) {
 *         log.warn("{} was not held to the end; fencing token {}", lost.primitiveName(), lost.fencingToken());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public class LeaseLostException extends LockstepException {

	/** Serialization version. */
	private static final long serialVersionUID = 1L;

	/** The fencing token of the hold that was lost. */
	private final long fencingToken;

	/**
	 * Creates an exception for a hold of the named primitive that lost its lease.
	 * @param kind the kind of primitive, for the message
	 * @param primitiveName the primitive's name
	 * @param fencingToken the lost hold's fencing token
	 * @param reason why, for the message: {@code "not renewed within 15s"}, …
	 */
	public LeaseLostException(PrimitiveKind kind, String primitiveName, long fencingToken, String reason) {
		super(primitiveName, kind.displayName() + " '" + primitiveName + "': the hold with fencing token "
				+ fencingToken + " lost its lease: " + reason);
		this.fencingToken = fencingToken;
	}

	/**
	 * Returns the fencing token of the hold that was lost.
	 * @return the token
	 */
	public long fencingToken() {
		return this.fencingToken;
	}

}
