package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** {@link Semaphore}, of one permit unless told otherwise: a waiter is a parked thread. */
final class JucSemaphorePeer implements Peer {

	private final Semaphore semaphore;

	private final int permits;

	JucSemaphorePeer(boolean fair) {
		this(fair, 1);
	}

	JucSemaphorePeer(boolean fair, int permits) {
		this.semaphore = new Semaphore(permits, fair);
		this.permits = permits;
	}

	@Override
	public CompletableFuture<?> acquire() {
		this.semaphore.acquireUninterruptibly();
		return DONE;
	}

	/**
	 * Acquires as {@link #acquire()} does, parked, but gives up once {@code stopped} says so.
	 * @param stopped checked every millisecond of waiting
	 * @return whether the permit was acquired
	 */
	boolean acquireUnless(BooleanSupplier stopped) {
		try {
			while (!this.semaphore.tryAcquire(1, TimeUnit.MILLISECONDS)) {
				if (stopped.getAsBoolean()) {
					return false;
				}
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		this.semaphore.release();
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		throw new UnsupportedOperationException("A blocked Semaphore.acquire is given up by interrupting its thread");
	}

	@Override
	public boolean isIdle() {
		return this.semaphore.availablePermits() == this.permits && !this.semaphore.hasQueuedThreads();
	}

}
