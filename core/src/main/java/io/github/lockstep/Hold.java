package io.github.lockstep;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One grant of a lock or of a semaphore's permit, as {@link AsyncLock#acquireHold()} and
 * {@link AsyncSemaphore#acquireHold()} return it: it carries a fencing token, can be asked whether
 * it still holds, reports a lost lease, and is released exactly once.
 *
 * <p>A backend that keeps its primitives elsewhere leases every grant: a process that stops
 * renewing (it crashed, paused or lost the network) loses its holds after a while, and the next
 * waiters are granted. Code that writes to a shared resource under a lock passes the
 * {@linkplain #fencingToken() fencing token} along, so that the resource can refuse a holder
 * whose lease ran out while it was paused and that does not know it yet:
 * <pre>{@code
 * lock.acquireHold().thenCompose(hold -> {
 *     hold.lost().thenAccept(lost -> importJob.stop(lost.getMessage()));
 *     return storage.write(record, hold.fencingToken())
 *         .whenComplete((written, failure) -> hold.releaseAsync());
 * });
 * }</pre>
 *
 * <p>In memory a hold is never lost: it is {@linkplain #isValid() valid} until released, and
 * {@link #lost()} never completes. The in-memory fencing tokens come from one counter of the
 * process, so each hold's token is greater than those of the holds granted before it.
 *
 * <p>Implementations are thread-safe; any thread may release a hold, not only the one that
 * acquired it.
 */
public interface Hold {

	/**
	 * Returns the lock or semaphore this hold is of.
	 * @return the primitive
	 */
	AsyncPrimitive primitive();

	/**
	 * Returns the hold's fencing token: greater than the token of every earlier hold of the same
	 * primitive, across all the processes that share it and, on a network backend, across a
	 * restart of its store.
	 * @return the token, positive
	 */
	long fencingToken();

	/**
	 * Returns whether the hold still holds: it was neither released nor did it lose its lease. A
	 * network backend answers from what it last heard, so a hold can stop being valid a renewal
	 * interval before this says so; the fencing token is the safe check.
	 * @return whether the hold is valid
	 */
	boolean isValid();

	/**
	 * Returns a stage that completes when the backend finds the hold's lease lost, with the
	 * failure that a release then reports. It never completes in memory, where holds are never
	 * lost, nor for a hold whose release Redis confirmed; it can complete after {@link #release()}
	 * returned, where a backend did not wait for the release's answer (see {@code release()}).
	 * @return the stage, completed only with a {@link LeaseLostException}
	 */
	CompletionStage<LeaseLostException> lost();

	/**
	 * Releases the hold: the lock or permit goes to the longest waiting caller, or back. Only the
	 * first release of a hold releases anything.
	 * @throws IllegalStateException if the hold was already released
	 * @throws LeaseLostException if the hold had lost its lease, so another caller may hold it
	 * now; the hold is released all the same. A network backend that did not wait for the
	 * release's answer (it does so only for a hold its store cannot have taken away) reports a loss
	 * it learns of later through {@link #lost()} and its log instead
	 */
	void release();

	/**
	 * Releases the hold as {@link #release()} does, without blocking on a network backend, where
	 * it is one round trip; in memory the future is complete on return.
	 * @return a future that completes once the hold is released, or fails with the
	 * {@link IllegalStateException} or {@link LeaseLostException} that {@code release()} would
	 * throw
	 */
	CompletableFuture<Void> releaseAsync();

}
