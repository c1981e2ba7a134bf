package io.github.lockstep;

/**
 * Fails a barrier wait because the barrier was {@linkplain AsyncBarrier#abort() aborted} or
 * {@linkplain AsyncBarrier#reset() reset} while the caller was waiting, or was already broken
 * when the caller arrived (asyncio's {@code BrokenBarrierError}).
 *
 * <pre>{@code
 * barrier.await().exceptionally(ex -> {
 *     if (ex instanceof BarrierBrokenException) {
 *         return -1; // the round was called off
 *     }
 *     throw new CompletionException(ex);
 * });
 * }</pre>
 */
public class BarrierBrokenException extends LockstepException {

	/** Serialization version. */
	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception for the named barrier.
	 * @param primitiveName the barrier's name
	 * @param reason asyncio's wording: {@code "Barrier aborted"} for a barrier that was broken
	 * before the call, {@code "Abort or reset of barrier"} for one broken during it
	 */
	public BarrierBrokenException(String primitiveName, String reason) {
		super(primitiveName, "Barrier '" + primitiveName + "': " + reason);
	}

}
