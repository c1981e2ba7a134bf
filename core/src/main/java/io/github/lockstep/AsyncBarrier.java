package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A cyclic meeting point for a fixed number of parties whose waiters hold no thread: asyncio's
 * {@code Barrier}. Each {@link #await()} completes when the {@code parties}-th caller of the round
 * arrives; the barrier then refills for the next round.
 *
 * <pre>{@code
 * AsyncBarrier batch = AsyncBarrier.create("nightly-batch", 5);
 *
 * batch.await().thenAccept(index -> {
 *     if (index == 0) {
 *         log.info("all five workers are ready");
 *     }
 * });
 * }</pre>
 *
 * <h2>How a wait ends</h2>
 * A future returned by {@code await} completes:
 * <ul>
 * <li>with the caller's arrival index in the round, {@code 0} for the first and
 * {@code parties - 1} for the one that trips the barrier. Indices are unique within a round even
 * when waiters leave early (unlike CPython, gh-155233): they are given out, in arrival order among
 * the parties present, when the barrier trips;</li>
 * <li>with {@link BarrierBrokenException} if the barrier is {@linkplain #abort() aborted} or
 * {@linkplain #reset() reset} while waiting, or was broken on arrival;</li>
 * <li>with {@link java.util.concurrent.CancellationException} or {@link AcquireTimeoutException}
 * if cancelled or timed out first: the caller just leaves, the barrier is not broken (asyncio's
 * rule, unlike {@link java.util.concurrent.CyclicBarrier}).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Every implementation: no method blocks except, on a network backend, the synchronous forms of
 * the commands (see {@link AsyncPrimitive}); waiting holds no thread; the arrival that trips the
 * barrier completes every wait of its round, though not necessarily before its {@code await}
 * returns, nor on its thread. There is no "draining" phase, unlike asyncio: a round ends the
 * moment it trips, so an arrival right after it counts towards the next round.
 *
 * <p>The in-memory barrier adds: the tripping caller's future is already complete when
 * {@code await} returns, and the other parties' futures are completed on its thread, in arrival
 * order, before {@code await} returns (or, when called from inside a Lockstep continuation, as
 * soon as that continuation returns); {@code abort()} and {@code reset()} likewise break the
 * waiters before they return.
 *
 * <p>Memory consistency effects, for every implementation within one process: actions before an
 * {@code await} <i>happen-before</i> actions after every wait of the same round completes.
 */
public interface AsyncBarrier extends AsyncPrimitive {

	/**
	 * Creates an in-memory barrier with a generated name.
	 * @param parties how many callers a round needs, one or more
	 * @return a new barrier
	 * @throws IllegalArgumentException if {@code parties} is less than one
	 */
	static AsyncBarrier create(int parties) {
		return new InMemoryBarrier(Names.anonymous("barrier"), parties);
	}

	/**
	 * Creates an in-memory barrier.
	 * @param name the name used in errors and metrics
	 * @param parties how many callers a round needs, one or more
	 * @return a new barrier
	 * @throws IllegalArgumentException if {@code parties} is less than one
	 */
	static AsyncBarrier create(String name, int parties) {
		return new InMemoryBarrier(Names.check(name), parties);
	}

	/**
	 * Returns the name used in errors and metrics.
	 * @return the name
	 */
	String name();

	/**
	 * Returns {@link PrimitiveKind#BARRIER}.
	 * @return the kind
	 */
	@Override
	default PrimitiveKind kind() {
		return PrimitiveKind.BARRIER;
	}

	/**
	 * Arrives at the barrier and waits for the round to fill.
	 * @return a future that completes with the caller's arrival index once the round trips
	 */
	CompletableFuture<Integer> await();

	/**
	 * Arrives at the barrier and waits for the round to fill, giving up after the timeout
	 * (which does not break the barrier).
	 * @param timeout how long to wait; zero or negative means do not wait
	 * @return a future that completes with the arrival index, or fails with
	 * {@link AcquireTimeoutException}
	 */
	CompletableFuture<Integer> await(Duration timeout);

	/**
	 * Breaks the current waiters with {@link BarrierBrokenException} and makes the barrier usable
	 * again, also after {@link #abort()}.
	 */
	void reset();

	/**
	 * Breaks the current waiters and every later arrival with {@link BarrierBrokenException} until
	 * {@link #reset()}.
	 */
	void abort();

	/**
	 * Does what {@link #reset()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the barrier is reset
	 */
	default CompletableFuture<Void> resetAsync() {
		return Immediately.run(this::reset);
	}

	/**
	 * Does what {@link #abort()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the barrier is broken
	 */
	default CompletableFuture<Void> abortAsync() {
		return Immediately.run(this::abort);
	}

	/**
	 * Returns whether the barrier was aborted and not reset since.
	 * @return whether it is broken
	 */
	boolean isBroken();

	/**
	 * Returns how many callers a round needs.
	 * @return the number of parties
	 */
	int parties();

	/**
	 * Returns how many callers wait in the current round.
	 * @return the number of waiters
	 */
	int numberWaiting();

}
