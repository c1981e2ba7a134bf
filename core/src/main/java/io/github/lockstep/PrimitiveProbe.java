package io.github.lockstep;

/**
 * Hooks that an {@link Instrumented} primitive calls as its waits and holds happen, so that a
 * metrics library can count and time them while the primitives depend on none. Every method has
 * an empty default; {@link #NONE} is the probe a primitive starts with.
 *
 * <pre>{@code
 * ((Instrumented) lock).probe(new PrimitiveProbe() {
 *     public long waitStarted() { contended.increment(); return System.nanoTime(); }
 *     public void waitEnded(long started, WaitOutcome outcome) { record(outcome, System.nanoTime() - started); }
 * });
 * }</pre>
 *
 * <p>What the primitives report:
 * <ul>
 * <li><b>Waits.</b> {@link #waitStarted()} when a caller has to queue (an acquisition that is not
 * granted at once, an event or condition wait, a barrier arrival that does not trip it), and
 * exactly once {@link #waitEnded} with how it ended, when its future completes. A caller refused
 * at once (a zero timeout, a broken barrier) is reported as a wait that starts and ends at once.
 * Callers that get in at once are not reported.
 * <li><b>Holds.</b> {@link #holdStarted()} when a lock (or a condition's own lock) is granted and
 * {@link #holdEnded} when it is released; an {@code AsyncSemaphore.withPermit} action and, through
 * the Spring integration, an annotated call report their permit's hold the same way.
 * </ul>
 * The {@code long} a start method returns is handed back to the matching end method, so a probe
 * can return a clock reading, or {@code 0} to mean "not timed"; {@link Long#MIN_VALUE} is
 * reserved. A wait's end is reported before its future completes, except that when two
 * completions race (a cancel against a grant or a timeout) the report may land a moment after.
 *
 * <p>Probes are called on the threads that wait, grant and release, sometimes while the primitive
 * holds its internal lock: they must be fast, must not block and must not call back into a
 * primitive. A probe is called only once the change it reports is complete, and what it throws
 * never changes an outcome: the primitive logs the first failure (with {@link System.Logger}, on
 * the logger named after this interface), goes on as if the call had returned (a start's token is
 * then {@code 0}) and does not log that probe's later failures.
 */
public interface PrimitiveProbe {

	/** The probe that reports nowhere. */
	PrimitiveProbe NONE = new PrimitiveProbe() {
	};

	/**
	 * A caller has to wait.
	 * @return a token for {@link #waitEnded}
	 */
	default long waitStarted() {
		return 0;
	}

	/**
	 * A wait reported by {@link #waitStarted} ended.
	 * @param started the token {@code waitStarted} returned
	 * @param outcome how it ended
	 */
	default void waitEnded(long started, WaitOutcome outcome) {
	}

	/**
	 * A holder got the lock or permit.
	 * @return a token for {@link #holdEnded}
	 */
	default long holdStarted() {
		return 0;
	}

	/**
	 * A hold reported by {@link #holdStarted} ended with a release.
	 * @param started the token {@code holdStarted} returned
	 */
	default void holdEnded(long started) {
	}

}
