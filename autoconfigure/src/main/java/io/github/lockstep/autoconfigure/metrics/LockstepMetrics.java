package io.github.lockstep.autoconfigure.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.spring.LockstepRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The {@code lockstep.*} meters of every primitive of a {@link LockstepRegistry}: bound to a
 * {@link MeterRegistry}, it gives each primitive registered so far, and each one registered later,
 * its meters, and takes them away again when the primitive is removed. A primitive that is
 * {@link Instrumented} reports its waits and holds to its meters; one that is not (another
 * implementation of the interfaces) gets the gauges and timers that never move, since only its
 * state can be read.
 *
 * <pre>{@code
 * LockstepRegistry registry = new LockstepRegistry();
 * new LockstepMetrics(registry).bindTo(meterRegistry);
 * AsyncSemaphore api = registry.register(AsyncSemaphore.create("payment-api", 5));
 * // lockstep.wait, lockstep.held, lockstep.contended, lockstep.waiting, lockstep.permits.available,
 * // lockstep.locked, each tagged name=payment-api, kind=semaphore
 * }</pre>
 *
 * <p>One instance reports to one meter registry, since a primitive reports to one probe: bind it
 * to a {@code CompositeMeterRegistry} to publish to several. Binding it again to the same
 * registry does nothing, so Spring Boot, which binds every {@code MeterBinder} bean, may bind the
 * auto-configuration's instance once more.
 */
public final class LockstepMetrics implements MeterBinder {

	/** Timer: time from request to grant, of the waits that had to queue; tag {@code outcome}. */
	public static final String WAIT = "lockstep.wait";

	/** Function timer: time a lock or permit was held, where acquire and release pair up. */
	public static final String HELD = "lockstep.held";

	/** Function counter: acquisitions and waits that had to queue. */
	public static final String CONTENDED = "lockstep.contended";

	/** Gauge: callers waiting now. */
	public static final String WAITING = "lockstep.waiting";

	/** Gauge: a semaphore's free permits. */
	public static final String PERMITS_AVAILABLE = "lockstep.permits.available";

	/** Gauge: 1 while locked (locks, conditions, semaphores with no free permit). */
	public static final String LOCKED = "lockstep.locked";

	/** Gauge: 1 while an event is set. */
	public static final String EVENT_SET = "lockstep.event.set";

	/** Gauge: 1 while a barrier is broken. */
	public static final String BARRIER_BROKEN = "lockstep.barrier.broken";

	private final LockstepRegistry registry;

	private final boolean histogram;

	private final ConcurrentMap<AsyncPrimitive, PrimitiveMeters> bound = new ConcurrentHashMap<>();

	/** Guarded by {@code this}. */
	private MeterRegistry meterRegistry;

	/**
	 * Creates the meters of a registry's primitives, with percentile histogram buckets on
	 * {@code lockstep.wait}.
	 * @param registry the primitives
	 */
	public LockstepMetrics(LockstepRegistry registry) {
		this(registry, true);
	}

	/**
	 * Creates the meters of a registry's primitives.
	 * @param registry the primitives
	 * @param histogram whether {@code lockstep.wait} publishes percentile histogram buckets
	 */
	public LockstepMetrics(LockstepRegistry registry, boolean histogram) {
		this.registry = registry;
		this.histogram = histogram;
	}

	/**
	 * Binds the meters of every primitive of the registry, now and from now on, to
	 * {@code meterRegistry}.
	 * @param meterRegistry the meter registry
	 * @throws IllegalStateException if this instance is bound to another meter registry already
	 */
	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		synchronized (this) {
			if (this.meterRegistry == meterRegistry) {
				return;
			}
			if (this.meterRegistry != null) {
				throw new IllegalStateException("LockstepMetrics reports to " + this.meterRegistry
						+ " already, and a primitive reports to one probe: bind a CompositeMeterRegistry that holds "
						+ meterRegistry + " instead");
			}
			this.meterRegistry = meterRegistry;
		}
		this.registry.addListener(new Binding(meterRegistry));
	}

	/** Gives primitives their meters as they come, and takes them away as they go. */
	private final class Binding implements LockstepRegistry.Listener {

		private final MeterRegistry meterRegistry;

		Binding(MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
		}

		@Override
		public void registered(AsyncPrimitive primitive) {
			LockstepMetrics.this.bound.computeIfAbsent(primitive, (p) -> {
				PrimitiveMeters meters = new PrimitiveMeters(p, this.meterRegistry, LockstepMetrics.this.histogram);
				if (p instanceof Instrumented instrumented) {
					instrumented.probe(meters);
				}
				return meters;
			});
		}

		@Override
		public void removed(AsyncPrimitive primitive) {
			PrimitiveMeters meters = LockstepMetrics.this.bound.remove(primitive);
			if (meters != null) {
				if (primitive instanceof Instrumented instrumented && instrumented.probe() == meters) {
					instrumented.probe(PrimitiveProbe.NONE);
				}
				meters.remove(this.meterRegistry);
			}
		}

	}

}
