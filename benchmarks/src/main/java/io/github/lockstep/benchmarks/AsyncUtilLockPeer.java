package io.github.lockstep.benchmarks;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.ibm.asyncutil.locks.AsyncLock;
import com.ibm.asyncutil.locks.FairAsyncLock;

/** IBM asyncutil's {@link FairAsyncLock}: released through the token its acquisition yields. */
final class AsyncUtilLockPeer implements Peer {

	private final AsyncLock lock = new FairAsyncLock();

	@Override
	public CompletableFuture<?> acquire() {
		return this.lock.acquireLock().toCompletableFuture();
	}

	@Override
	public void release(CompletableFuture<?> acquisition) {
		((AsyncLock.LockToken) acquisition.join()).releaseLock();
	}

	@Override
	public boolean cancel(CompletableFuture<?> acquisition) {
		throw new UnsupportedOperationException(
				"FairAsyncLock keeps a cancelled waiter queued, and the lock then never frees");
	}

	@Override
	public boolean isIdle() {
		Optional<AsyncLock.LockToken> token = this.lock.tryLock();
		token.ifPresent(AsyncLock.LockToken::releaseLock);
		return token.isPresent();
	}

}
