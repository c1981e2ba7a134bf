package io.github.lockstep;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A probe that throws from every third call, whichever callback it is, on whichever thread: for
 * stress tests that check a primitive's invariants hold whatever its metrics do.
 */
final class FlakyProbe implements PrimitiveProbe {

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong thrown = new AtomicLong();

	@Override
	public long waitStarted() {
		return call();
	}

	@Override
	public void waitEnded(long started, WaitOutcome outcome) {
		call();
	}

	@Override
	public long holdStarted() {
		return call();
	}

	@Override
	public void holdEnded(long started) {
		call();
	}

	/** Calls that threw. */
	long thrown() {
		return this.thrown.get();
	}

	private long call() {
		long call = this.calls.incrementAndGet();
		if (call % 3 == 0) {
			this.thrown.incrementAndGet();
			throw new IllegalStateException("flaky probe, call " + call);
		}
		return call;
	}

}
