package io.github.lockstep.autoconfigure.metrics;

import java.util.OptionalLong;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;

/**
 * A probe that counts the waits of its primitive that had to queue: Lockstep's meters are one.
 * It names no Micrometer type, so that the Actuator endpoint can show the count without
 * Micrometer on the class path.
 *
 * <pre>{@code
 * OptionalLong contended = ContendedCount.of(registry.semaphore("payment-api").orElseThrow());
 * }</pre>
 */
public interface ContendedCount extends PrimitiveProbe {

	/**
	 * Returns how many acquisitions or waits had to queue so far.
	 * @return the count
	 */
	long contended();

	/**
	 * Returns the count of the probe a primitive reports to, if that probe counts.
	 * @param primitive the primitive
	 * @return the count, or empty if its probe keeps none (its meters are off, or it is not
	 * {@link Instrumented})
	 */
	static OptionalLong of(AsyncPrimitive primitive) {
		if (primitive instanceof Instrumented instrumented && instrumented.probe() instanceof ContendedCount count) {
			return OptionalLong.of(count.contended());
		}
		return OptionalLong.empty();
	}

}
