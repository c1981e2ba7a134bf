package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** {@link AsyncSemaphore} over a {@link PermitSync}. */
final class InMemorySemaphore implements AsyncSemaphore, Instrumented {

	private final PermitSync sync;

	private final boolean bounded;

	private final int permits;

	InMemorySemaphore(String name, int permits, boolean bounded) {
		if (permits < 0) {
			throw new IllegalArgumentException(
					"Semaphore '" + name + "': initial value must be >= 0, but was " + permits);
		}
		this.sync = new PermitSync(PrimitiveKind.SEMAPHORE, name, permits, bounded ? permits : Integer.MAX_VALUE,
				bounded ? "BoundedSemaphore released too many times" : "maximum permit count exceeded", false);
		this.bounded = bounded;
		this.permits = permits;
	}

	@Override
	public String name() {
		return this.sync.name();
	}

	@Override
	public PrimitiveProbe probe() {
		return this.sync.probe();
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.sync.probe(probe);
	}

	@Override
	public CompletableFuture<Void> acquire() {
		return this.sync.acquire();
	}

	@Override
	public CompletableFuture<Void> acquire(Duration timeout) {
		return this.sync.acquire(timeout);
	}

	@Override
	public boolean tryAcquire() {
		return this.sync.tryAcquire();
	}

	@Override
	public void release() {
		this.sync.release();
	}

	@Override
	public boolean isLocked() {
		return this.sync.isExhausted();
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
	public int queueLength() {
		return this.sync.queueLength();
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
				this.sync.probe().holdEnded(hold.started);
			}
			release();
		}, () -> {
			hold.started = this.sync.probe().holdStarted();
			hold.begun = true;
			return action.get();
		});
	}

	/** A withPermit hold; a permit handed back without running the action (a lost race) was none. */
	private static final class Hold {

		boolean begun;

		long started;

	}

	@Override
	public String toString() {
		return this.sync.toString();
	}

}
