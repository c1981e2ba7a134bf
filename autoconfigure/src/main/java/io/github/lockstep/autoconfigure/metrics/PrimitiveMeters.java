package io.github.lockstep.autoconfigure.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.WaitOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.BARRIER_BROKEN;
import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.CONTENDED;
import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.EVENT_SET;
import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.HELD;
import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.LOCKED;
import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.PERMITS_AVAILABLE;
import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.WAIT;
import static io.github.lockstep.autoconfigure.metrics.LockstepMetrics.WAITING;

/**
 * The meters of one primitive, fed as its {@link io.github.lockstep.PrimitiveProbe probe}.
 *
 * <p>Only what already costs a wait reads the clock: a queued wait is counted in
 * {@code lockstep.contended} and timed in {@code lockstep.wait} with its outcome. A hold is
 * counted exactly when it begins, but only one in {@value #TIMED_HOLD_EVERY} is timed: reading the
 * clock twice would cost several times what an uncontended acquire and release cost together (a
 * {@code System.nanoTime()} is about 30 ns on a virtual machine). So {@code lockstep.held} is a
 * {@link FunctionTimer} whose count is every hold begun and whose total is that count times the
 * mean of the timed ones (never going down); the first hold is always timed. One atomic add both counts a hold and
 * picks it for timing, which keeps an uncontended call at one clock-free update.
 */
final class PrimitiveMeters implements ContendedCount {

	/** One hold in this many is timed; a power of two. */
	static final int TIMED_HOLD_EVERY = 64;

	private final LongAdder contended = new LongAdder();

	private final Map<WaitOutcome, Timer> waits = new EnumMap<>(WaitOutcome.class);

	/** Holds begun; taken with one atomic add, which also picks the ones to time. */
	private volatile long holds;

	private static final VarHandle HOLDS;

	static {
		try {
			HOLDS = MethodHandles.lookup().findVarHandle(PrimitiveMeters.class, "holds", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final LongAdder timedHolds = new LongAdder();

	private final LongAdder timedHoldNanos = new LongAdder();

	/** The held total last published; guarded by this. */
	private double heldNanos;

	private final List<Meter> meters = new ArrayList<>();

	/**
	 * Registers the meters of {@code primitive} in {@code registry}: those of every kind, and a
	 * gauge for each field of the primitive's {@link PrimitiveState} that its kind has. Each gauge
	 * reads one {@code state()}, so one gauge's value is one state the primitive was in.
	 */
	PrimitiveMeters(AsyncPrimitive primitive, MeterRegistry registry, boolean histogram) {
		PrimitiveState state = primitive.state();
		Tags tags = Tags.of("name", primitive.name(), "kind", primitive.kind().word());
		add(FunctionCounter.builder(CONTENDED, this.contended, LongAdder::sum)
			.description("Acquisitions and waits that had to queue; the rest got in at once")
			.tags(tags)
			.register(registry));
		for (WaitOutcome outcome : WaitOutcome.values()) {
			if (outcome == WaitOutcome.BROKEN && state.broken().isEmpty()) {
				// only a barrier breaks: no histogram series that can never move
				continue;
			}
			this.waits.put(outcome, add(Timer.builder(WAIT)
				.description("Time from request to grant, of the acquisitions and waits that had to queue")
				.tags(tags)
				.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
				.publishPercentileHistogram(histogram)
				.register(registry)));
		}
		// what can be locked can be held: locks, semaphores and conditions (their lock)
		if (state.locked().isPresent()) {
			add(FunctionTimer.builder(HELD, this, (meters) -> meters.holds, PrimitiveMeters::heldNanos,
					TimeUnit.NANOSECONDS)
				.description("Time a lock or permit was held, where acquire and release pair up (locks, conditions,"
						+ " annotated calls, withLock/withPermit); the total is estimated from sampled holds")
				.tags(tags)
				.register(registry));
		}
		gauge(registry, WAITING, "Callers waiting now: queued for a lock or a permit, for an event or a signal, or for"
				+ " a barrier to trip", tags, primitive, PrimitiveState::waiting);
		if (state.locked().isPresent()) {
			gauge(registry, LOCKED, "1 while locked: a lock or a condition's lock is held, or a semaphore has no free"
					+ " permit or a caller queued", tags, primitive, (now) -> flag(now.locked()));
		}
		if (state.availablePermits().isPresent()) {
			gauge(registry, PERMITS_AVAILABLE, "Free permits of a semaphore", tags, primitive,
					(now) -> now.availablePermits().orElse(0));
		}
		if (state.set().isPresent()) {
			gauge(registry, EVENT_SET, "1 while the event is set", tags, primitive, (now) -> flag(now.set()));
		}
		if (state.broken().isPresent()) {
			gauge(registry, BARRIER_BROKEN, "1 while the barrier is broken", tags, primitive,
					(now) -> flag(now.broken()));
		}
	}

	/** Removes the meters from {@code registry}. */
	void remove(MeterRegistry registry) {
		this.meters.forEach(registry::remove);
	}

	@Override
	public long contended() {
		return this.contended.sum();
	}

	@Override
	public long waitStarted() {
		this.contended.increment();
		return System.nanoTime();
	}

	@Override
	public void waitEnded(long started, WaitOutcome outcome) {
		// a wait that started before this probe was set (token 0) is counted, not timed
		long nanos = (started != 0) ? System.nanoTime() - started : 0;
		Timer timer = this.waits.get(outcome);
		if (timer != null) {
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	/** Counts the hold, and times the first and every {@value #TIMED_HOLD_EVERY}th after it. */
	@Override
	public long holdStarted() {
		long begun = (long) HOLDS.getAndAdd(this, 1L);
		return ((begun & (TIMED_HOLD_EVERY - 1)) != 0) ? 0 : System.nanoTime();
	}

	@Override
	public void holdEnded(long started) {
		if (started != 0) {
			this.timedHoldNanos.add(System.nanoTime() - started);
			this.timedHolds.increment();
		}
	}

	/**
	 * The count of holds times the mean of the timed ones, never less than what it returned before:
	 * a short timed hold after long ones lowers the mean, and a total that went down would read as
	 * a counter reset to Prometheus' {@code rate()}.
	 */
	private synchronized double heldNanos() {
		long timed = this.timedHolds.sum();
		double estimate = (timed != 0) ? (double) this.timedHoldNanos.sum() / timed * this.holds : 0;
		this.heldNanos = Math.max(this.heldNanos, estimate);
		return this.heldNanos;
	}

	private void gauge(MeterRegistry registry, String name, String description, Tags tags, AsyncPrimitive primitive,
			ToDoubleFunction<PrimitiveState> value) {
		add(Gauge.builder(name, primitive, (read) -> value.applyAsDouble(read.state()))
			.description(description)
			.tags(tags)
			.strongReference(true)
			.register(registry));
	}

	private static double flag(Optional<Boolean> value) {
		return value.orElse(false) ? 1 : 0;
	}

	private <M extends Meter> M add(M meter) {
		this.meters.add(meter);
		return meter;
	}

}
