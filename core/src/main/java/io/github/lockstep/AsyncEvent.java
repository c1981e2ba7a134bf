package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A flag that callers can wait for without a thread: asyncio's {@code Event}. {@link #set()}
 * completes every waiting future; waits that start while the flag is set complete at once, until
 * {@link #clear()}.
 *
 * <pre>{@code
 * AsyncEvent cacheWarm = AsyncEvent.create("cache-warm");
 *
 * cacheWarm.await().thenCompose(ready -> catalogue.lookupAsync(sku));
 * // elsewhere, once the cache is loaded
 * cacheWarm.set();
 * }</pre>
 *
 * <h2>How a wait ends</h2>
 * A future returned by {@code await} completes normally when the event is set (a later
 * {@code clear()} does not undo that); with {@link java.util.concurrent.CancellationException}
 * when cancelled first; with {@link AcquireTimeoutException} when a timed wait or
 * {@code orTimeout} ran out first. A blocking {@code join()} or {@code get()} gives up the wait
 * when interrupted.
 *
 * <h2>Threads</h2>
 * Every implementation: no method blocks except, on a network backend, the synchronous forms of
 * the commands (see {@link AsyncPrimitive}); waiting holds no thread; {@code set()} completes every
 * waiter, though not necessarily before it returns, nor on the calling thread.
 *
 * <p>The in-memory event adds: {@code set()} completes the waiting futures, in the order they
 * started waiting, on the calling thread before it returns (or, when called from inside a
 * Lockstep continuation, as soon as that continuation returns), and a wait on a set event is
 * complete when {@code await} returns.
 *
 * <p>Memory consistency effects, for every implementation within one process: actions in a thread
 * before {@code set()} <i>happen-before</i> actions after a wait that it completes, or that finds
 * the event set.
 */
public interface AsyncEvent extends AsyncPrimitive {

	/**
	 * Creates an in-memory event, initially clear, with a generated name.
	 * @return a new event
	 */
	static AsyncEvent create() {
		return new InMemoryEvent(Names.anonymous("event"));
	}

	/**
	 * Creates an in-memory event, initially clear.
	 * @param name the name used in errors and metrics
	 * @return a new event
	 */
	static AsyncEvent create(String name) {
		return new InMemoryEvent(Names.check(name));
	}

	/**
	 * Returns the name used in errors and metrics.
	 * @return the name
	 */
	String name();

	/**
	 * Returns {@link PrimitiveKind#EVENT}.
	 * @return the kind
	 */
	@Override
	default PrimitiveKind kind() {
		return PrimitiveKind.EVENT;
	}

	/**
	 * Sets the flag and completes every waiter. Does nothing if it is already set.
	 */
	void set();

	/**
	 * Clears the flag: later waits wait again. Waiters already completed by {@code set()} stay
	 * completed.
	 */
	void clear();

	/**
	 * Does what {@link #set()} does without blocking on a network backend, where it is one round
	 * trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the event is set
	 */
	default CompletableFuture<Void> setAsync() {
		return Immediately.run(this::set);
	}

	/**
	 * Does what {@link #clear()} does without blocking on a network backend, where it is one
	 * round trip (see {@link AsyncPrimitive}); in memory the future is complete on return.
	 * @return a future that completes once the event is clear
	 */
	default CompletableFuture<Void> clearAsync() {
		return Immediately.run(this::clear);
	}

	/**
	 * Returns whether the flag is set.
	 * @return whether the event is set
	 */
	boolean isSet();

	/**
	 * Waits until the flag is set.
	 * @return a future that completes once the event is set (at once if it is set now)
	 */
	CompletableFuture<Void> await();

	/**
	 * Waits until the flag is set, giving up after the timeout.
	 * @param timeout how long to wait; zero or negative means do not wait
	 * @return a future that completes once the event is set, or fails with
	 * {@link AcquireTimeoutException}
	 */
	CompletableFuture<Void> await(Duration timeout);

	/**
	 * Returns the number of callers waiting, an estimate while other threads change it.
	 * @return the number of waiters
	 */
	int queueLength();

}
