package io.github.lockstep;

/**
 * A primitive that reports its waits and holds to a {@link PrimitiveProbe}. Every primitive the
 * static factories create is one.
 *
 * <pre>{@code
 * if (semaphore instanceof Instrumented instrumented) {
 *     instrumented.probe(meters);
 * }
 * }</pre>
 */
public interface Instrumented {

	/**
	 * Returns the probe this primitive reports to.
	 * @return the probe, {@link PrimitiveProbe#NONE} unless one was set
	 */
	PrimitiveProbe probe();

	/**
	 * Sets the probe this primitive reports to from now on; {@link PrimitiveProbe#NONE} stops
	 * reporting. A wait or hold that started before is ended on the new probe.
	 * @param probe the probe
	 * @throws NullPointerException if {@code probe} is null
	 */
	void probe(PrimitiveProbe probe);

}
