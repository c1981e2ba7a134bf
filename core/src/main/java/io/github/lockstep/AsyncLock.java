package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A fair mutual-exclusion lock whose waiters hold no thread: asyncio's {@code Lock} as Java
 * futures. {@link #acquire()} returns a future that completes once the caller holds the lock;
 * {@link #release()} hands the lock straight to the longest waiting caller, so nobody can take it
 * past a queued waiter and a granted waiter never finds it taken again.
 *
 * <p>Like asyncio's lock, and unlike {@link java.util.concurrent.locks.ReentrantLock}, the lock
 * has no owner: it is not reentrant, and any code may release it. The usual form is
 * {@link #withLock}, which releases exactly once whatever the action does:
 *
 * <pre>{@code
 * AsyncLock lock = AsyncLock.create("inventory");
 *
 * CompletableFuture<Order> order = lock.withLock(() -> repository.reserveAsync(item));
 *
 * // or by hand: release once the work has ended, however it ended
 * lock.acquire()
 *     .thenCompose(held -> repository.reserveAsync(item)
 *         .whenComplete((reserved, failure) -> lock.release()));
 * }</pre>
 *
 * <h2>How a wait ends</h2>
 * A future returned by {@code acquire} completes:
 * <ul>
 * <li>normally, once the lock has been handed to the caller (at once if it was free and nobody was
 * queued);</li>
 * <li>with {@link java.util.concurrent.CancellationException} if {@code cancel} reached it while it
 * was still queued: {@code cancel} then returns {@code true} and the caller's place is gone. If the
 * hand-off won the race, {@code cancel} returns {@code false} and the caller holds the lock;</li>
 * <li>with {@link AcquireTimeoutException} when a timed {@link #acquire(Duration)}, or
 * {@code orTimeout} on the returned future, ran out first (same rule: either never granted or
 * granted, never both);</li>
 * <li>blocking callers only: {@code join()} and {@code get()} on a queued future respond to
 * interruption by giving up the place in the queue and restoring the interrupt flag.</li>
 * </ul>
 * A future that completes normally must be matched by exactly one {@link #release()}.
 *
 * <h2>Threads</h2>
 * What every implementation promises: waiting holds no thread, and no method blocks except, on a
 * network backend, the synchronous forms of the commands (see {@link AsyncPrimitive}). A granted
 * future completes once the lock is the caller's, but not necessarily before the
 * {@code release()} that granted it returns, nor on the releasing thread: a network backend
 * completes it on its own delivery thread. Continuations never run while the implementation holds
 * an internal lock, and a chain of continuations of any length that each release does not grow
 * the stack. Keep continuations short, or move them with {@code thenApplyAsync}.
 *
 * <p>What the in-memory lock adds: the hand-off is synchronous. An acquisition of a free lock is
 * complete when {@code acquire} returns, and {@code release()} completes the future it grants
 * before it returns, so {@code isDone()} is true right after. A continuation attached to a queued
 * future runs on the thread that ended the wait: the one calling {@code release()}, or the
 * canceller, or, for a timeout, Lockstep's single {@code lockstep-timeouts} thread (the JDK's
 * delayer thread for {@code orTimeout}). A release called from inside such a continuation is
 * queued and run by the outermost one, once the continuation returns. A blocking {@code join()}
 * inside a continuation that Lockstep is running is refused with {@link IllegalStateException}: it
 * would wait for a hand-off queued behind itself.
 *
 * <p>Memory consistency effects, for every implementation within one process: actions in a thread
 * before a {@code release()} <i>happen-before</i> actions after the acquisition it grants,
 * including the continuations of the granted future.
 */
public interface AsyncLock extends AsyncPrimitive {

	/**
	 * Creates a fair in-memory lock with a generated name.
	 * @return a new unlocked lock
	 */
	static AsyncLock create() {
		return new InMemoryLock(Names.anonymous("lock"));
	}

	/**
	 * Creates a fair in-memory lock.
	 * @param name the name used in errors and metrics
	 * @return a new unlocked lock
	 */
	static AsyncLock create(String name) {
		return new InMemoryLock(Names.check(name));
	}

	/**
	 * Returns the name used in errors and metrics.
	 * @return the name
	 */
	String name();

	/**
	 * Returns {@link PrimitiveKind#LOCK}.
	 * @return the kind
	 */
	@Override
	default PrimitiveKind kind() {
		return PrimitiveKind.LOCK;
	}

	/**
	 * Acquires the lock, waiting without a thread behind any earlier caller.
	 * @return a future that completes once the lock is held by the caller
	 */
	CompletableFuture<Void> acquire();

	/**
	 * Acquires the lock, giving up after the timeout.
	 * @param timeout how long to wait; zero or negative means do not wait
	 * @return a future that completes once the lock is held, or fails with
	 * {@link AcquireTimeoutException}
	 */
	CompletableFuture<Void> acquire(Duration timeout);

	/**
	 * Acquires the lock as {@link #acquire()} does, as a {@link Hold}: with a fencing token, a way
	 * to ask whether it still holds, and a release that happens once. Cancelling the returned
	 * future while it waits gives up the place in the queue.
	 *
	 * <p>This default suits locks kept in this process (tokens from one counter of the process,
	 * never lost); a backend that leases its grants overrides it.
	 * @return a future that completes with the hold once the lock is held by the caller
	 */
	default CompletableFuture<Hold> acquireHold() {
		return LocalHold.acquire(this, acquire(), this::release, this::releaseAsync);
	}

	/**
	 * Acquires the lock as a {@link Hold}, giving up after the timeout; see {@link #acquireHold()}.
	 * @param timeout how long to wait; zero or negative means do not wait
	 * @return a future that completes with the hold once the lock is held by the caller, or fails with
	 * {@link AcquireTimeoutException}
	 */
	default CompletableFuture<Hold> acquireHold(Duration timeout) {
		return LocalHold.acquire(this, acquire(timeout), this::release, this::releaseAsync);
	}

	/**
	 * Acquires the lock only if it is free and nobody is queued.
	 * @return whether the lock is now held by the caller
	 */
	boolean tryAcquire();

	/**
	 * Does what {@link #tryAcquire()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes with whether the lock is now held by the caller
	 */
	default CompletableFuture<Boolean> tryAcquireAsync() {
		return Immediately.test(this::tryAcquire);
	}

	/**
	 * Releases the lock, handing it to the longest waiting caller if there is one.
	 * @throws IllegalStateException if the lock is not held ({@code "Lock is not acquired."})
	 */
	void release();

	/**
	 * Does what {@link #release()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the lock is released (handed to the longest waiting
	 * caller if there is one), or fails with the {@link IllegalStateException}
	 * that {@code release()} would throw
	 */
	default CompletableFuture<Void> releaseAsync() {
		return Immediately.run(this::release);
	}

	/**
	 * Returns whether the lock is held, including by a waiter it has just been handed to.
	 * @return whether the lock is held
	 */
	boolean isLocked();

	/**
	 * Returns the number of callers waiting, an estimate while other threads change it.
	 * @return the number of queued waiters
	 */
	int queueLength();

	/**
	 * Runs an asynchronous action holding the lock, and releases it exactly once when the action's
	 * stage completes, fails or the action throws. Cancelling the returned future while waiting
	 * gives up the place in the queue; once the action runs, cancellation is passed to the
	 * action's stage and the lock is released when that stage ends.
	 * @param <T> the action's result type
	 * @param action the action, called once the lock is held
	 * @return the action's result
	 */
	default <T> CompletableFuture<T> withLock(Supplier<? extends CompletionStage<T>> action) {
		return Guard.run(acquire(), this::release, action);
	}

}
