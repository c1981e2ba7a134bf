package io.github.lockstep;

/**
 * What every Lockstep primitive has in common: a name, used in errors, metrics and lookups; a
 * {@linkplain #kind() kind}; and a {@linkplain #state() state} that monitoring reads.
 *
 * <p>It lets code that handles primitives of any kind, such as a registry that lists them all or
 * a metrics binder, hold them by one type and show them without asking their type:
 * <pre>{@code
 * List<AsyncPrimitive> all = List.of(AsyncLock.create("inventory"), AsyncSemaphore.create("api", 5));
 * for (AsyncPrimitive primitive : all) {
 *     PrimitiveState state = primitive.state();
 *     System.out.println(primitive.kind().word() + " " + primitive.name() + ": " + state.waiting() + " waiting");
 * }
 * }</pre>
 *
 * <h2>Commands, queries and round trips</h2>
 * An in-memory primitive changes at once. One kept elsewhere, on a network backend, needs a round
 * trip to change, so every command that returns once done ({@code tryAcquire}, {@code release},
 * {@code set}, {@code clear}, {@code signal…}, {@code reset}, {@code abort}) has an
 * {@code …Async} form: its future completes once the backend has done it, and fails, instead of
 * throwing, with what the synchronous form would throw. On such a backend the synchronous forms
 * wait for the round trip, blocking the caller, so asynchronous code calls the {@code …Async}
 * forms; a backend may leave out the wait where nothing should be thrown, as Redis does for
 * the release of a hold its lease covers (should Redis answer otherwise all the same, the loss is
 * logged and reported on the hold's {@code lost()} stage). In memory the {@code …Async} forms are
 * complete when they return. Waits
 * ({@code acquire}, {@code await}) return futures anyway.
 *
 * <p>Queries never do a round trip: {@code isLocked()}, {@code queueLength()},
 * {@code availablePermits()}, {@code isBounded()}, {@code isSet()}, {@code isBroken()},
 * {@code parties()}, {@code numberWaiting()} and {@link #state()} read the primitive's current
 * state in memory, and a network backend's latest snapshot (see {@link #state()} for how fresh).
 */
public interface AsyncPrimitive {

	/**
	 * Returns the name used in errors and metrics.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the kind of primitive: which of the five interfaces it implements.
	 * @return the kind
	 */
	PrimitiveKind kind();

	/**
	 * Returns what the primitive shows of itself now, read in one go: the values of
	 * {@code isLocked()}, {@code queueLength()}, {@code availablePermits()}, {@code isSet()},
	 * {@code isBroken()}, … as one object, with the fields of its {@linkplain #kind() kind}
	 * present (see {@link PrimitiveState}).
	 *
	 * <p>Every implementation answers without waiting: a primitive kept elsewhere (on a network
	 * backend) answers from its latest snapshot, which reflects at least every change this process
	 * has seen complete (its own calls that have returned, the futures it has seen complete); changes
	 * made by other processes show within the backend's refresh interval. The in-memory primitives
	 * read their current state, and do so consistently: the fields of a lock, a semaphore, an event
	 * or a barrier are one state the primitive was in at one moment. A condition's {@code locked}
	 * and {@code waiting} come from its lock and from its own queue, read one after the other.
	 * @return the state, never {@code null}
	 */
	PrimitiveState state();

}
