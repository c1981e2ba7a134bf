package io.github.lockstep.redis;

import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.WaitOutcome;

/**
 * What an event wait, a barrier arrival and a condition wait keep besides their future: the timer
 * of a timed wait, and the probe's token once the wait was reported as started, so that its end
 * is reported once.
 */
final class PendingWait {

	private static final long NONE = Long.MIN_VALUE;

	private final AtomicLong token = new AtomicLong(NONE);

	/** Whether the wait's end was reported. */
	private final AtomicBoolean over = new AtomicBoolean();

	private volatile ScheduledFuture<?> timer;

	void timer(ScheduledFuture<?> timer) {
		this.timer = timer;
	}

	void stopTimer() {
		ScheduledFuture<?> scheduled = this.timer;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

	void started(PrimitiveProbe probe) {
		this.token.set(probe.waitStarted());
	}

	/** Reports the end of the wait, if its start was reported and its end was not yet. */
	void ended(PrimitiveProbe probe, WaitOutcome outcome) {
		long started = this.token.getAndSet(NONE);
		if (started != NONE && this.over.compareAndSet(false, true)) {
			probe.waitEnded(started, outcome);
		}
	}

	/**
	 * Reports the end of a wait that did wait, once: with its token if its start was reported, or
	 * else as a wait that starts and ends now (it ended before its primitive could report its start:
	 * woken, cancelled or timed out before Redis answered).
	 */
	void waited(PrimitiveProbe probe, WaitOutcome outcome) {
		if (this.over.compareAndSet(false, true)) {
			long started = this.token.getAndSet(NONE);
			probe.waitEnded((started != NONE) ? started : probe.waitStarted(), outcome);
		}
	}

	/** A wait refused at once (a zero timeout, a broken barrier): reported as one that starts and ends at once. */
	static void refused(PrimitiveProbe probe, WaitOutcome outcome) {
		probe.waitEnded(probe.waitStarted(), outcome);
	}

	/** The probe a primitive was given, for {@code Instrumented.probe()}. */
	static PrimitiveProbe given(PrimitiveProbe current) {
		return (current instanceof GuardedProbe guarded) ? guarded.probe : current;
	}

	/** The probe a primitive reports to, for {@code Instrumented.probe(probe)}: one whose failures are logged once. */
	static PrimitiveProbe guard(PrimitiveProbe probe, String kind, String name) {
		Objects.requireNonNull(probe, "probe");
		return (probe == PrimitiveProbe.NONE) ? probe : new GuardedProbe(probe, kind + " '" + name + "'");
	}

}
