package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A condition variable over an {@link AsyncLock} whose waiters hold no thread: asyncio's
 * {@code Condition}. A holder of the lock calls {@link #await()} to release the lock and wait for
 * a {@link #signal()}; the wait completes once the lock has been acquired again.
 *
 * <pre>{@code
 * AsyncCondition funds = AsyncCondition.create("account");
 *
 * CompletableFuture<Void> withdrawal = funds.acquire()
 *     .thenCompose(held -> funds.awaitUntil(() -> balance >= amount))
 *     .thenRun(() -> balance -= amount)
 *     .whenComplete((ok, ex) -> funds.release());   // the lock is held here, however it ended
 *
 * funds.acquire().thenRun(() -> {
 *     balance += deposit;
 *     funds.signalAll();
 *     funds.release();
 * });
 * }</pre>
 *
 * <h2>How a wait ends — always holding the lock</h2>
 * A future returned by {@code await}, {@code await(Duration)} or {@code awaitUntil} completes only
 * once the lock is held again, however the wait ends, so {@code release()} afterwards is always
 * right:
 * <ul>
 * <li>normally after a signal ({@code await(Duration)}: with {@code true});</li>
 * <li>{@code await(Duration)}: with {@code false} when the time ran out before a signal;</li>
 * <li>with {@link java.util.concurrent.CancellationException} after {@code cancel}, or with the
 * given failure after {@code completeExceptionally} (which is what {@code orTimeout} calls).
 * These methods only <i>request</i> the end, asyncio's {@code task.cancel()} model: they return
 * {@code true} if the wait had not completed, and the future completes with the failure once the
 * lock is held again. This deliberately differs from {@link java.util.concurrent.Future#cancel},
 * which would hand the caller a lock it does not hold. A waiter that leaves this way after it was
 * signalled passes the signal on to another waiter.</li>
 * </ul>
 * Waits that respond to signals are served in FIFO order; {@code signal(n)} counts only waiters
 * not yet signalled.
 *
 * <h2>Threads</h2>
 * Every implementation: no method blocks except, on a network backend, the synchronous forms of
 * the commands (see {@link AsyncPrimitive}); waiting holds no thread; a wait completes once its
 * lock is held again, which may be after the {@code release()} that handed the lock back has
 * returned, on another thread.
 *
 * <p>The in-memory condition adds: over an in-memory lock, a wait's continuation runs on the
 * thread that hands the lock back, before that {@code release()} returns. It works over any
 * {@link AsyncLock}, and completes a wait when that lock's re-acquisition completes.
 *
 * <p>Memory consistency effects, for every implementation within one process: actions before a
 * {@code signal} and the {@code release()} that follows it <i>happen-before</i> actions after the
 * wait it completes.
 */
public interface AsyncCondition extends AsyncPrimitive {

	/**
	 * Creates an in-memory condition with its own lock and a generated name.
	 * @return a new condition
	 */
	static AsyncCondition create() {
		String name = Names.anonymous("condition");
		return new InMemoryCondition(name, new InMemoryLock(name), true);
	}

	/**
	 * Creates an in-memory condition with its own lock.
	 * @param name the name used in errors and metrics
	 * @return a new condition
	 */
	static AsyncCondition create(String name) {
		return new InMemoryCondition(Names.check(name), new InMemoryLock(name), true);
	}

	/**
	 * Creates an in-memory condition over an existing lock; several conditions may share one.
	 * @param name the name used in errors and metrics
	 * @param lock the lock that {@code await} releases and re-acquires
	 * @return a new condition
	 */
	static AsyncCondition create(String name, AsyncLock lock) {
		if (lock == null) {
			throw new IllegalArgumentException("Condition '" + name + "': lock must not be null");
		}
		return new InMemoryCondition(Names.check(name), lock, false);
	}

	/**
	 * Returns the name used in errors and metrics.
	 * @return the name
	 */
	String name();

	/**
	 * Returns {@link PrimitiveKind#CONDITION}.
	 * @return the kind
	 */
	@Override
	default PrimitiveKind kind() {
		return PrimitiveKind.CONDITION;
	}

	/**
	 * Returns the lock this condition releases and re-acquires.
	 * @return the lock
	 */
	AsyncLock lock();

	/**
	 * Acquires the underlying lock; see {@link AsyncLock#acquire()}.
	 * @return a future that completes once the lock is held
	 */
	CompletableFuture<Void> acquire();

	/**
	 * Acquires the underlying lock, giving up after the timeout; see
	 * {@link AsyncLock#acquire(Duration)}.
	 * @param timeout how long to wait; zero or negative means do not wait
	 * @return a future that completes once the lock is held
	 */
	CompletableFuture<Void> acquire(Duration timeout);

	/**
	 * Acquires the underlying lock if it is free and nobody is queued.
	 * @return whether the lock is now held
	 */
	boolean tryAcquire();

	/**
	 * Acquires the underlying lock if it is free and nobody is queued; see
	 * {@link AsyncLock#tryAcquireAsync()}.
	 * @return a future that completes with whether the lock is now held
	 */
	default CompletableFuture<Boolean> tryAcquireAsync() {
		return lock().tryAcquireAsync();
	}

	/**
	 * Releases the underlying lock.
	 * @throws IllegalStateException if the lock is not held
	 */
	void release();

	/**
	 * Releases the underlying lock; see {@link AsyncLock#releaseAsync()}.
	 * @return a future that completes once the lock is released, or fails with
	 * {@link IllegalStateException} if it was not held
	 */
	default CompletableFuture<Void> releaseAsync() {
		return lock().releaseAsync();
	}

	/**
	 * Returns whether the underlying lock is held.
	 * @return whether the lock is held
	 */
	boolean isLocked();

	/**
	 * Releases the lock, waits for a signal, and acquires the lock again.
	 * @return a future that completes, holding the lock, after a signal
	 * @throws IllegalStateException if the lock is not held
	 * ({@code "cannot wait on un-acquired lock"})
	 */
	CompletableFuture<Void> await();

	/**
	 * Releases the lock, waits for a signal or the timeout, and acquires the lock again.
	 * @param timeout how long to wait for a signal
	 * @return a future that completes, holding the lock, with {@code true} after a signal or
	 * {@code false} if the time ran out first
	 * @throws IllegalStateException if the lock is not held
	 */
	CompletableFuture<Boolean> await(Duration timeout);

	/**
	 * Waits until {@code predicate} is true. The predicate is checked first, and if it is true the
	 * future completes at once without any check of the lock; otherwise the lock must be held, and
	 * the predicate is checked again, holding the lock, after each signal.
	 * @param predicate the condition waited for; it runs on the thread that hands the lock back
	 * @return a future that completes, holding the lock if it waited, once the predicate is true
	 * @throws IllegalStateException if the predicate is false and the lock is not held
	 */
	CompletableFuture<Void> awaitUntil(BooleanSupplier predicate);

	/**
	 * Wakes the longest waiting caller not yet signalled, if any.
	 * @throws IllegalStateException if the lock is not held
	 * ({@code "cannot notify on un-acquired lock"})
	 */
	void signal();

	/**
	 * Wakes up to {@code n} callers not yet signalled, longest waiting first; {@code n <= 0} does
	 * nothing.
	 * @param n how many waiters to wake
	 * @throws IllegalStateException if the lock is not held
	 */
	void signal(int n);

	/**
	 * Wakes every caller not yet signalled.
	 * @throws IllegalStateException if the lock is not held
	 */
	void signalAll();

	/**
	 * Does what {@link #signal()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the waiter is signalled, or fails with the
	 * {@link IllegalStateException} that {@code signal()} would throw
	 */
	default CompletableFuture<Void> signalAsync() {
		return Immediately.run(this::signal);
	}

	/**
	 * Does what {@link #signal(int)} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @param n how many waiters to wake
	 * @return a future that completes once the waiters are signalled, or fails with the
	 * {@link IllegalStateException} that {@code signal(n)} would throw
	 */
	default CompletableFuture<Void> signalAsync(int n) {
		return Immediately.run(() -> signal(n));
	}

	/**
	 * Does what {@link #signalAll()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the waiters are signalled, or fails with the
	 * {@link IllegalStateException} that {@code signalAll()} would throw
	 */
	default CompletableFuture<Void> signalAllAsync() {
		return Immediately.run(this::signalAll);
	}

	/**
	 * Returns the number of callers waiting for a signal, an estimate while other threads change
	 * it.
	 * @return the number of waiters not yet signalled
	 */
	int queueLength();

}
