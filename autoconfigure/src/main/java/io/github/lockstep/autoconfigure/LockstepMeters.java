package io.github.lockstep.autoconfigure;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.spring.LockstepRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gives every primitive of a {@link LockstepRegistry} its {@link PrimitiveMeters}, as primitives
 * are registered, and takes them away again when one is removed. A primitive that is not
 * {@link Instrumented} (another implementation of the interfaces) gets the gauges and empty
 * timers, since only its state can be read.
 */
final class LockstepMeters implements LockstepRegistry.Listener {

	private final MeterRegistry meterRegistry;

	private final boolean histogram;

	private final ConcurrentMap<AsyncPrimitive, PrimitiveMeters> bound = new ConcurrentHashMap<>();

	LockstepMeters(MeterRegistry meterRegistry, boolean histogram) {
		this.meterRegistry = meterRegistry;
		this.histogram = histogram;
	}

	@Override
	public void registered(AsyncPrimitive primitive) {
		this.bound.computeIfAbsent(primitive, (p) -> {
			PrimitiveMeters meters = new PrimitiveMeters(p, this.meterRegistry, this.histogram);
			if (p instanceof Instrumented instrumented) {
				instrumented.probe(meters);
			}
			return meters;
		});
	}

	@Override
	public void removed(AsyncPrimitive primitive) {
		PrimitiveMeters meters = this.bound.remove(primitive);
		if (meters != null) {
			if (primitive instanceof Instrumented instrumented && instrumented.probe() == meters) {
				instrumented.probe(PrimitiveProbe.NONE);
			}
			meters.remove(this.meterRegistry);
		}
	}

}
