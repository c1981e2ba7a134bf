package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link AsyncLock} that forwards to an in-memory one: the base of test locks that stand in for
 * another backend and change one behaviour.
 */
class ForwardingLock implements AsyncLock {

	private final AsyncLock delegate;

	ForwardingLock(String name) {
		this.delegate = AsyncLock.create(name);
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public CompletableFuture<Void> acquire() {
		return this.delegate.acquire();
	}

	@Override
	public CompletableFuture<Void> acquire(Duration timeout) {
		return this.delegate.acquire(timeout);
	}

	@Override
	public boolean tryAcquire() {
		return this.delegate.tryAcquire();
	}

	@Override
	public void release() {
		this.delegate.release();
	}

	@Override
	public boolean isLocked() {
		return this.delegate.isLocked();
	}

	@Override
	public int queueLength() {
		return this.delegate.queueLength();
	}

	@Override
	public PrimitiveState state() {
		return this.delegate.state();
	}

}
