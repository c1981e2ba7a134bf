package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/** {@link ReentrantLock}: a waiter is a parked thread, and only the owner may unlock. */
final class JucLockPeer implements Peer {

	private final ReentrantLock lock;

	JucLockPeer(boolean fair) {
		this.lock = new ReentrantLock(fair);
	}

	@Override
	public CompletableFuture<?> acquire() {
		this.lock.lock();
		return DONE;
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		this.lock.unlock();
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		throw new UnsupportedOperationException("A blocked ReentrantLock.lock cannot be given up");
	}

	@Override
	public boolean isIdle() {
		return !this.lock.isLocked() && !this.lock.hasQueuedThreads();
	}

}
