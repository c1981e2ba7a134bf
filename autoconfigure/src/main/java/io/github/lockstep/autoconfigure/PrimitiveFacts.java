package io.github.lockstep.autoconfigure;

import java.util.OptionalInt;
import java.util.OptionalLong;

import io.github.lockstep.AsyncPrimitive;

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

}
