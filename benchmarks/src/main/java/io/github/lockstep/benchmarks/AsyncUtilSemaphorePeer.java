package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.ibm.asyncutil.locks.AsyncSemaphore;
import com.ibm.asyncutil.locks.FairAsyncSemaphore;

/**
 * IBM asyncutil's {@link FairAsyncSemaphore}, of one permit unless told otherwise. An immediate acquisition returns a
 * shared completed stage, which is not a {@link CompletableFuture}; it maps to {@link #DONE}.
 */
final class AsyncUtilSemaphorePeer implements Peer {

	private final AsyncSemaphore semaphore;

	private final int permits;

	AsyncUtilSemaphorePeer() {
		this(1);
	}

	AsyncUtilSemaphorePeer(int permits) {
		this.semaphore = new FairAsyncSemaphore(permits);
		this.permits = permits;
	}

	@Override
	public CompletableFuture<?> acquire() {
		CompletionStage<Void> stage = this.semaphore.acquire();
		return (stage instanceof CompletableFuture<Void> future) ? future : DONE;
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		this.semaphore.release();
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		throw new UnsupportedOperationException(
				"FairAsyncSemaphore keeps a cancelled waiter queued and later spends a released permit on it");
	}

	@Override
	public boolean isIdle() {
		return this.semaphore.getAvailablePermits() == this.permits && this.semaphore.getQueueLength() == 0;
	}

}
