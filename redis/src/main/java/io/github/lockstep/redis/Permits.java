package io.github.lockstep.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What {@link RedisLock} and {@link RedisSemaphore} share above {@link RedisPermits}. */
final class Permits {

	private Permits() {
	}

	static CompletableFuture<Void> acquire(RedisPermits permits, Duration timeout) {
		if (timeout == null) {
			throw new IllegalArgumentException("timeout must not be null");
		}
		return permits.acquire(timeout, timeout.isZero() || timeout.isNegative());
	}

	/** One ACQUIRE in try mode; a grant that comes after the caller gave up is released. */
	static CompletableFuture<Boolean> tryAcquire(RedisPermits permits) {
		RedisWaiter attempt = (RedisWaiter) permits.acquire(null, true);
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		attempt.whenComplete((granted, ex) -> {
			if (ex == null) {
				if (!result.complete(true)) {
					permits.release(attempt.acquisition());
				}
			}
			else if (RedisLink.unwrap(ex) instanceof RedisPermits.Busy) {
				result.complete(false);
			}
			else {
				result.completeExceptionally(RedisLink.unwrap(ex));
			}
		});
		return result;
	}

	static int available(RedisPermits permits) {
		int available = permits.snapshot().available();
		return (available < 0) ? permits.permits : available;
	}

	static String describe(RedisPermits permits, boolean locked) {
		Snapshot snapshot = permits.snapshot();
		String value = (!locked && !"Lock".equals(permits.kind)) ? ", value:" + available(permits) : "";
		String waiters = (snapshot.queued() > 0) ? ", waiters:" + snapshot.queued() : "";
		return permits.kind + " '" + permits.name + "' [redis, " + (locked ? "locked" : "unlocked") + value + waiters + "]";
	}

}
