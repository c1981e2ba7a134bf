package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A fair counting semaphore whose waiters hold no thread: asyncio's {@code Semaphore} and
 * {@code BoundedSemaphore} as Java futures. A released permit is handed straight to the longest
 * waiting caller, so no caller can take a permit past a queued one.
 *
 * <pre>{@code
 * AsyncSemaphore pool = AsyncSemaphore.bounded("payment-api", 5);
 *
 * CompletableFuture<Receipt> receipt = pool.withPermit(() -> client.chargeAsync(card));
 * }</pre>
 *
 * <p>A plain semaphore may be released more often than it was acquired, which adds permits; a
 * {@linkplain #bounded bounded} one refuses a release that would take it above its initial
 * number with {@link IllegalStateException} ({@code "BoundedSemaphore released too many
 * times"}).
 *
 * <h2>How a wait ends</h2>
 * A future returned by {@code acquire} completes normally once a permit is the caller's; with
 * {@link java.util.concurrent.CancellationException} if cancelled while queued (if the hand-off
 * won the race, {@code cancel} returns {@code false} and the caller holds the permit); with
 * {@link AcquireTimeoutException} when a timed wait or {@code orTimeout} ran out first. A
 * blocking {@code join()} or {@code get()} gives up the place when interrupted. Every normal
 * completion must be matched by one {@link #release()}.
 *
 * <h2>Threads</h2>
 * As for {@link AsyncLock}. Every implementation: waiting holds no thread, a granted future may
 * complete after the {@code release()} that granted it returned and on another thread, and
 * continuations that release do not grow the stack. The in-memory semaphore adds a synchronous
 * hand-off: a free permit is granted before {@code acquire} returns, {@code release()} completes
 * the future it grants before it returns, continuations run on the thread that ended the wait,
 * nested releases are trampolined, and a blocking {@code join()} inside a Lockstep continuation is
 * refused.
 *
 * <p>Memory consistency effects, for every implementation within one process: actions in a thread
 * before a {@code release()} <i>happen-before</i> actions after the acquisition it grants.
 */
public interface AsyncSemaphore extends AsyncPrimitive {

	/**
	 * Creates a fair in-memory semaphore with a generated name.
	 * @param permits the initial number of permits, zero or more
	 * @return a new semaphore
	 * @throws IllegalArgumentException if {@code permits} is negative
	 */
	static AsyncSemaphore create(int permits) {
		return new InMemorySemaphore(Names.anonymous("semaphore"), permits, false);
	}

	/**
	 * Creates a fair in-memory semaphore.
	 * @param name the name used in errors and metrics
	 * @param permits the initial number of permits, zero or more
	 * @return a new semaphore
	 * @throws IllegalArgumentException if {@code permits} is negative
	 */
	static AsyncSemaphore create(String name, int permits) {
		return new InMemorySemaphore(Names.check(name), permits, false);
	}

	/**
	 * Creates a fair in-memory semaphore that refuses to be released above {@code permits}.
	 * @param permits the initial and maximum number of permits, zero or more
	 * @return a new bounded semaphore
	 * @throws IllegalArgumentException if {@code permits} is negative
	 */
	static AsyncSemaphore bounded(int permits) {
		return new InMemorySemaphore(Names.anonymous("semaphore"), permits, true);
	}

	/**
	 * Creates a fair in-memory semaphore that refuses to be released above {@code permits}.
	 * @param name the name used in errors and metrics
	 * @param permits the initial and maximum number of permits, zero or more
	 * @return a new bounded semaphore
	 * @throws IllegalArgumentException if {@code permits} is negative
	 */
	static AsyncSemaphore bounded(String name, int permits) {
		return new InMemorySemaphore(Names.check(name), permits, true);
	}

	/**
	 * Returns the name used in errors and metrics.
	 * @return the name
	 */
	String name();

	/**
	 * Returns {@link PrimitiveKind#SEMAPHORE}.
	 * @return the kind
	 */
	@Override
	default PrimitiveKind kind() {
		return PrimitiveKind.SEMAPHORE;
	}

	/**
	 * Acquires a permit, waiting without a thread behind any earlier caller.
	 * @return a future that completes once a permit is the caller's
	 */
	CompletableFuture<Void> acquire();

	/**
	 * Acquires a permit, giving up after the timeout.
	 * @param timeout how long to wait; zero or negative means do not wait
	 * @return a future that completes once a permit is the caller's, or fails with
	 * {@link AcquireTimeoutException}
	 */
	CompletableFuture<Void> acquire(Duration timeout);

	/**
	 * Acquires a permit as {@link #acquire()} does, as a {@link Hold}: with a fencing token, a way
	 * to ask whether it still holds, and a release that happens once. Cancelling the returned
	 * future while it waits gives up the place in the queue.
	 *
	 * <p>This default suits semaphores kept in this process (tokens from one counter of the process,
	 * never lost); a backend that leases its grants overrides it.
	 * @return a future that completes with the hold once a permit is the caller's
	 */
	default CompletableFuture<Hold> acquireHold() {
		return LocalHold.acquire(this, acquire(), this::release, this::releaseAsync);
	}

	/**
	 * Acquires a permit as a {@link Hold}, giving up after the timeout; see {@link #acquireHold()}.
	 * @param timeout how long to wait; zero or negative means do not wait
	 * @return a future that completes with the hold once a permit is the caller's, or fails with
	 * {@link AcquireTimeoutException}
	 */
	default CompletableFuture<Hold> acquireHold(Duration timeout) {
		return LocalHold.acquire(this, acquire(timeout), this::release, this::releaseAsync);
	}

	/**
	 * Acquires a permit only if one is free and nobody is queued.
	 * @return whether a permit is now the caller's
	 */
	boolean tryAcquire();

	/**
	 * Does what {@link #tryAcquire()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes with whether a permit is now the caller's
	 */
	default CompletableFuture<Boolean> tryAcquireAsync() {
		return Immediately.test(this::tryAcquire);
	}

	/**
	 * Returns a permit, handing it to the longest waiting caller if there is one.
	 * @throws IllegalStateException if the semaphore is bounded and nobody holds a permit: all its
	 * permits are free, or it was made with none (a bounded semaphore of zero permits refuses every
	 * release, also while callers are queued)
	 */
	void release();

	/**
	 * Does what {@link #release()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the permit is returned (handed to the longest waiting
	 * caller if there is one), or fails with the {@link IllegalStateException}
	 * that {@code release()} would throw
	 */
	default CompletableFuture<Void> releaseAsync() {
		return Immediately.run(this::release);
	}

	/**
	 * Returns whether an {@code acquire()} would have to wait: no permit is free, or a caller is
	 * queued.
	 * @return whether the semaphore cannot be acquired at once
	 */
	boolean isLocked();

	/**
	 * Returns the number of free permits, an estimate while other threads change it.
	 * @return the number of free permits
	 */
	int availablePermits();

	/**
	 * Returns whether the semaphore refuses releases above its initial number of permits.
	 * @return whether it is bounded
	 */
	boolean isBounded();

	/**
	 * Returns the number of callers waiting, an estimate while other threads change it.
	 * @return the number of queued waiters
	 */
	int queueLength();

	/**
	 * Runs an asynchronous action holding a permit, and releases it exactly once when the
	 * action's stage completes, fails or the action throws. Cancelling the returned future while
	 * waiting gives up the place in the queue; once the action runs, cancellation is passed to the
	 * action's stage and the permit returns when that stage ends.
	 * @param <T> the action's result type
	 * @param action the action, called once a permit is held
	 * @return the action's result
	 */
	default <T> CompletableFuture<T> withPermit(Supplier<? extends CompletionStage<T>> action) {
		return Guard.run(acquire(), this::release, action);
	}

}
