package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link AsyncSemaphore} over a {@link PermitSync}. */
final class InMemorySemaphore implements AsyncSemaphore {

	private final PermitSync sync;

	private final boolean bounded;

	InMemorySemaphore(String name, int permits, boolean bounded) {
		if (permits < 0) {
			throw new IllegalArgumentException(
					"Semaphore '" + name + "': initial value must be >= 0, but was " + permits);
		}
		this.sync = new PermitSync("Semaphore", name, permits, bounded ? permits : Integer.MAX_VALUE,
				bounded ? "BoundedSemaphore released too many times" : "maximum permit count exceeded");
		this.bounded = bounded;
	}

	@Override
	public String name() {
		return this.sync.name();
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
	public String toString() {
		return this.sync.toString();
	}

}
