package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;

import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;

/** kotlinx.coroutines' {@link Mutex} without owners, called from Java as {@link KotlinxSemaphorePeer} is. */
final class KotlinxMutexPeer implements Peer {

	private final Mutex mutex = MutexKt.Mutex(false);

	private final boolean cancellable;

	KotlinxMutexPeer(boolean cancellable) {
		this.cancellable = cancellable;
	}

	@Override
	public CompletableFuture<?> acquire() {
		if (this.mutex.tryLock(null)) {
			return DONE;
		}
		FutureContinuation wait = new FutureContinuation(
				this.cancellable ? JobKt.Job(null) : EmptyCoroutineContext.INSTANCE);
		return wait.started(this.mutex.lock(null, wait));
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		this.mutex.unlock(null);
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		return KotlinxCancellation.cancel(acquisition);
	}

	@Override
	public boolean isIdle() {
		return !this.mutex.isLocked();
	}

}
