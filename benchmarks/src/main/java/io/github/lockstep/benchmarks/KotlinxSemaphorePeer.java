package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;

import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.sync.Semaphore;
import kotlinx.coroutines.sync.SemaphoreKt;

/**
 * kotlinx.coroutines' {@link Semaphore}, of one permit unless told otherwise, called from Java. {@code tryAcquire()} first
 * is the semaphore's own fast path (its {@code acquire} also takes a free permit without
 * suspending), so the uncontended case measures the semaphore, not the Java bridge.
 */
final class KotlinxSemaphorePeer implements Peer {

	private final Semaphore semaphore;

	private final int permits;

	private final boolean cancellable;

	KotlinxSemaphorePeer(boolean cancellable) {
		this(cancellable, 1);
	}

	KotlinxSemaphorePeer(boolean cancellable, int permits) {
		this.semaphore = SemaphoreKt.Semaphore(permits, 0);
		this.permits = permits;
		this.cancellable = cancellable;
	}

	@Override
	public CompletableFuture<?> acquire() {
		if (this.semaphore.tryAcquire()) {
			return DONE;
		}
		FutureContinuation wait = new FutureContinuation(
				this.cancellable ? JobKt.Job(null) : EmptyCoroutineContext.INSTANCE);
		return wait.started(this.semaphore.acquire(wait));
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		this.semaphore.release();
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		return KotlinxCancellation.cancel(acquisition);
	}

	@Override
	public boolean isIdle() {
		return this.semaphore.getAvailablePermits() == this.permits;
	}

}
