package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;

/**
 * One primitive under test (a lock, or a semaphore of one permit), seen through the few calls the
 * benchmarks make. Async peers return from {@link #acquire()} at once; blocking peers
 * ({@code java.util.concurrent}) return once they hold the permit, with {@link #DONE}.
 */
interface Peer {

	/** The acquisition of a permit that was free: shared, so that a fast path allocates nothing. */
	CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	/**
	 * Starts an acquisition.
	 * @return a future that is done once the caller holds the permit
	 */
	CompletableFuture<?> acquire();

	/**
	 * Gives the permit back.
	 * @param acquisition the future {@link #acquire()} returned for the permit being released
	 * (a lock token lives there for some peers)
	 */
	void release(CompletableFuture<?> acquisition);

	/**
	 * Gives up a queued acquisition. When this returns, the future is done either way.
	 * @param acquisition a future returned by {@link #acquire()}
	 * @return {@code true} if the wait was withdrawn, {@code false} if the grant won (the caller
	 * then holds the permit)
	 * @throws UnsupportedOperationException if the peer cannot withdraw a queued acquisition
	 */
	boolean cancel(CompletableFuture<?> acquisition);

	/**
	 * Returns whether the permit is free and nobody waits: what every benchmark must leave behind.
	 * @return whether the primitive is idle
	 */
	boolean isIdle();

}
