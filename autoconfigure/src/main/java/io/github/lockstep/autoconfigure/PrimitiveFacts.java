package io.github.lockstep.autoconfigure;

import java.util.OptionalInt;
import java.util.OptionalLong;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;

/**
 * What Lockstep knows of a primitive beyond the state its interface shows: read by the Actuator
 * endpoint and the health contributor.
 */
interface PrimitiveFacts {

	/**
	 * Returns the permits a semaphore was created with from configuration or an annotation.
	 * @param name the semaphore's name
	 * @return the permits, or empty for a semaphore registered in code
	 */
	OptionalInt permits(String name);

	/**
	 * Returns how many acquisitions or waits of the primitive had to queue so far.
	 * @param primitive the primitive
	 * @return the count, or empty while metrics are off
	 */
	OptionalLong contended(AsyncPrimitive primitive);

	/**
	 * Returns the count that a primitive's meters keep, without naming Micrometer, which may be
	 * absent.
	 * @param primitive the primitive
	 * @return the count, or empty if the primitive has no meters
	 */
	static OptionalLong contendedCount(AsyncPrimitive primitive) {
		if (primitive instanceof Instrumented instrumented && instrumented.probe() instanceof Counting counting) {
			return OptionalLong.of(counting.contended());
		}
		return OptionalLong.empty();
	}

	/** A probe that counts the waits that had to queue. */
	interface Counting extends PrimitiveProbe {

		long contended();

	}

}
