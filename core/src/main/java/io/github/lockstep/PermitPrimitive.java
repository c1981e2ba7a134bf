package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link InMemoryLock} and {@link InMemorySemaphore} share: every method is one line over a
 * {@link PermitSync}, as {@code java.util.concurrent.Semaphore} is over its {@code Sync}.
 */
abstract class PermitPrimitive implements Instrumented {

	final PermitSync sync;

	PermitPrimitive(PermitSync sync) {
		this.sync = sync;
	}

	public final String name() {
		return this.sync.name();
	}

	public final PrimitiveKind kind() {
		return this.sync.kind();
	}

	@Override
	public final PrimitiveProbe probe() {
		return this.sync.probe();
	}

	@Override
	public final void probe(PrimitiveProbe probe) {
		this.sync.probe(probe);
	}

	public final CompletableFuture<Void> acquire() {
		return this.sync.acquire();
	}

	public final CompletableFuture<Void> acquire(Duration timeout) {
		return this.sync.acquire(timeout);
	}

	public final boolean tryAcquire() {
		return this.sync.tryAcquire();
	}

	public final void release() {
		this.sync.release();
	}

	public final boolean isLocked() {
		return this.sync.isExhausted();
	}

	public final int queueLength() {
		return this.sync.queueLength();
	}

	@Override
	public final String toString() {
		return this.sync.toString();
	}

}
