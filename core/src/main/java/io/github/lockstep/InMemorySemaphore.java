package io.github.lockstep;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** {@link AsyncSemaphore} over a {@link PermitSync}. */
final class InMemorySemaphore extends PermitPrimitive implements AsyncSemaphore {

	private final boolean bounded;

	private final int permits;

	InMemorySemaphore(String name, int permits, boolean bounded) {
		this(name, permits, bounded, TimeoutScheduler.shared());
	}

	InMemorySemaphore(String name, int permits, boolean bounded, TimeoutScheduler scheduler) {
		super(new PermitSync(PrimitiveKind.SEMAPHORE, name, checkPermits(name, permits), bounded ? permits : Integer.MAX_VALUE,
				bounded ? "BoundedSemaphore released too many times" : "maximum permit count exceeded", false,
				scheduler));
		this.bounded = bounded;
		this.permits = permits;
	}

	private static int checkPermits(String name, int permits) {
		if (permits < 0) {
			throw new IllegalArgumentException(
					"Semaphore '" + name + "': initial value must be >= 0, but was " + permits);
		}
		return permits;
	}

	@Override
	public int availablePermits() {
		return this.sync.availablePermits();
	}

	@Override
	public boolean isBounded() {
		return this.bounded;
	}

	@Override
	public PrimitiveState state() {
		return this.sync.semaphoreState(this.permits, this.bounded);
	}

	/**
	 * Reports the permit's hold to the probe: here, unlike a bare acquire, the pair is known. As
	 * for a lock, the hold starts and ends on the probe set at that moment.
	 */
	@Override
	public <T> CompletableFuture<T> withPermit(Supplier<? extends CompletionStage<T>> action) {
		if (this.sync.probe() == PrimitiveProbe.NONE) {
			return AsyncSemaphore.super.withPermit(action);
		}
		Hold hold = new Hold();
		return Guard.run(acquire(), () -> {
			// before the release hands the permit on and runs the next holder's continuations
			if (hold.begun) {
				this.sync.holdEnded(hold.started);
			}
			release();
		}, () -> {
			hold.started = this.sync.holdStarted();
			hold.begun = true;
			return action.get();
		});
	}

	/** A withPermit hold; a permit handed back without running the action (a lost race) was none. */
	private static final class Hold {

		boolean begun;

		long started;

	}

}
