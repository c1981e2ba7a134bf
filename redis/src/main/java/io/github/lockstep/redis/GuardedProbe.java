package io.github.lockstep.redis;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.WaitOutcome;

/**
 * A probe whose failures cannot change an outcome: the primitive calls it in the middle of a
 * grant, so a throwing probe is logged once and otherwise ignored.
 */
final class GuardedProbe implements PrimitiveProbe {

	private static final System.Logger log = System.getLogger(GuardedProbe.class.getName());

	final PrimitiveProbe probe;

	private final String primitive;

	private final AtomicBoolean reported = new AtomicBoolean();

	GuardedProbe(PrimitiveProbe probe, String primitive) {
		this.probe = probe;
		this.primitive = primitive;
	}

	@Override
	public long waitStarted() {
		try {
			return this.probe.waitStarted();
		}
		catch (RuntimeException ex) {
			report(ex);
			return 0;
		}
	}

	@Override
	public void waitEnded(long started, WaitOutcome outcome) {
		try {
			this.probe.waitEnded(started, outcome);
		}
		catch (RuntimeException ex) {
			report(ex);
		}
	}

	@Override
	public long holdStarted() {
		try {
			return this.probe.holdStarted();
		}
		catch (RuntimeException ex) {
			report(ex);
			return 0;
		}
	}

	@Override
	public void holdEnded(long started) {
		try {
			this.probe.holdEnded(started);
		}
		catch (RuntimeException ex) {
			report(ex);
		}
	}

	private void report(RuntimeException ex) {
		if (this.reported.compareAndSet(false, true)) {
			log.log(System.Logger.Level.WARNING, this.primitive + ": its probe failed (reported once, ignored)", ex);
		}
	}

}
