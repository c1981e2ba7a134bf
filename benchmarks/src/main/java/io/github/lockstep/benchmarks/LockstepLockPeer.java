package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncLock;

/** Lockstep's {@link AsyncLock}. */
final class LockstepLockPeer implements Peer {

	private final AsyncLock lock;

	LockstepLockPeer() {
		this(AsyncLock.create("benchmark"));
	}

	/** Over a lock made elsewhere, such as one taken from a Spring context's registry. */
	LockstepLockPeer(AsyncLock lock) {
		this.lock = lock;
	}

	@Override
	public CompletableFuture<?> acquire() {
		return this.lock.acquire();
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		this.lock.release();
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		return acquisition.cancel(false);
	}

	@Override
	public boolean isIdle() {
		return !this.lock.isLocked() && this.lock.queueLength() == 0;
	}

}
