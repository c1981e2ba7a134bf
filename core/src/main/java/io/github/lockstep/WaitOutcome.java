package io.github.lockstep;

/**
 * How a wait that had to queue ended, as reported to a {@link PrimitiveProbe}.
 */
public enum WaitOutcome {

	/** Granted: the lock or permit is held, the event was set, the barrier tripped, the condition signalled. */
	ACQUIRED,

	/** The wait's timeout ran out (or it was refused at once by a zero timeout). */
	TIMEOUT,

	/** The caller gave up: a cancel, an interrupt of a blocking bridge, or any other failure it requested. */
	CANCELLED,

	/** A barrier broke (abort or reset) while waiting, or was broken on arrival. */
	BROKEN;

	/** Classifies the failure a wait ended with. */
	static WaitOutcome of(Throwable failure) {
		if (failure instanceof AcquireTimeoutException) {
			return TIMEOUT;
		}
		if (failure instanceof BarrierBrokenException) {
			return BROKEN;
		}
		return CANCELLED;
	}

}
