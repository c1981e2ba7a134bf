package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncSemaphore;

/** Lockstep's {@link AsyncSemaphore}, of one permit unless told otherwise. */
final class LockstepSemaphorePeer implements Peer {

	private final AsyncSemaphore semaphore;

	private final int permits;

	LockstepSemaphorePeer() {
		this(1);
	}

	LockstepSemaphorePeer(int permits) {
		this.semaphore = AsyncSemaphore.create("benchmark", permits);
		this.permits = permits;
	}

	/** Over a semaphore of one permit made elsewhere, such as one taken from a Spring context's registry. */
	LockstepSemaphorePeer(AsyncSemaphore semaphore) {
		if (semaphore.availablePermits() != 1) {
			throw new IllegalArgumentException("Semaphore '" + semaphore.name() + "': expected 1 free permit, but found "
					+ semaphore.availablePermits());
		}
		this.semaphore = semaphore;
		this.permits = 1;
	}

	@Override
	public CompletableFuture<?> acquire() {
		return this.semaphore.acquire();
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		this.semaphore.release();
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		return acquisition.cancel(false);
	}

	@Override
	public boolean isIdle() {
		return this.semaphore.availablePermits() == this.permits && this.semaphore.queueLength() == 0;
	}

}
