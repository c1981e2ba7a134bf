package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link AsyncLock} over a {@link PermitSync} of one permit. */
final class InMemoryLock implements AsyncLock, Instrumented {

	private final PermitSync sync;

	InMemoryLock(String name) {
		this.sync = new PermitSync(PrimitiveKind.LOCK, name, 1, 1, "Lock is not acquired.", true);
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
	public int queueLength() {
		return this.sync.queueLength();
	}

	@Override
	public PrimitiveState state() {
		return this.sync.lockState();
	}

	@Override
	public String toString() {
		return this.sync.toString();
	}

}
