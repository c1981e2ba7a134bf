package io.github.lockstep.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.Hold;
import io.github.lockstep.Instrumented;
import io.github.lockstep.LeaseLostException;
import io.github.lockstep.PrimitiveProbe;

/**
 * What {@link RedisLock} and {@link RedisSemaphore} share: every operation of the two interfaces
 * that means the same for a lock as for a semaphore, over one {@link RedisPermits}.
 *
 * <p>Round trips: {@code acquire} is one call (its future completes when Redis grants, at once
 * or by a hand-off announced on the inbox); {@code tryAcquire} and {@code release} are one call
 * each; {@code tryAcquire()} waits for the answer, {@code release()} of a hold its lease covers
 * does not, in most cases (see {@link #release()}; the next call from this instance goes after it
 * on the same connection), so a
 * synchronous acquire and release cost one round trip each way between them; queries read the
 * latest snapshot and cost none.
 */
abstract class PermitPrimitive implements AsyncPrimitive, Instrumented {

	final RedisPermits permits;

	PermitPrimitive(RedisPermits permits) {
		this.permits = permits;
	}

	@Override
	public String name() {
		return this.permits.name;
	}

	public CompletableFuture<Void> acquire() {
		return this.permits.acquire(null, false);
	}

	public CompletableFuture<Void> acquire(Duration timeout) {
		if (timeout == null) {
			throw new IllegalArgumentException("timeout must not be null");
		}
		return this.permits.acquire(timeout, timeout.isZero() || timeout.isNegative());
	}

	/** One call in try mode; a grant that comes after the caller gave up is released. */
	public CompletableFuture<Boolean> tryAcquireAsync() {
		RedisWaiter attempt = (RedisWaiter) this.permits.acquire(null, true);
		CompletableFuture<Boolean> result = new Answer<>(this.permits);
		attempt.whenComplete((granted, ex) -> {
			if (ex == null) {
				if (!result.complete(true)) {
					this.permits.release(attempt.acquisition());
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

	/** Waits for Redis's answer; refused on a thread that reads Redis's replies. */
	public boolean tryAcquire() {
		return this.permits.await(tryAcquireAsync());
	}

	/**
	 * Releases this instance's oldest hold. A hold its lease covers (Redis confirmed the lease,
	 * with no lapse since the grant), released while no other call of this instance on this
	 * primitive awaits its answer, is released without waiting for Redis's answer, as asyncio's
	 * {@code release()} does not wait; a hold found lost fails with {@link LeaseLostException};
	 * any other release, and a release without a hold (asyncio allows it on a semaphore), waits
	 * for the answer, except on a thread that reads Redis's replies, where the release is sent and
	 * a failure logged. Use {@link #releaseAsync()} to know when Redis has the permit back.
	 */
	public void release() {
		this.permits.release();
	}

	public CompletableFuture<Void> releaseAsync() {
		return this.permits.releaseAsync();
	}

	public CompletableFuture<Hold> acquireHold() {
		return hold(acquire());
	}

	public CompletableFuture<Hold> acquireHold(Duration timeout) {
		return hold(acquire(timeout));
	}

	private CompletableFuture<Hold> hold(CompletableFuture<Void> acquisition) {
		RedisWaiter waiter = (RedisWaiter) acquisition;
		CompletableFuture<Hold> result = new Answer<>(this.permits);
		waiter.whenComplete((granted, ex) -> {
			if (ex != null) {
				result.completeExceptionally(ex);
				return;
			}
			Hold hold = new RedisHold(this, waiter.acquisition());
			if (!result.complete(hold)) {
				hold.releaseAsync();
			}
		});
		result.whenComplete((hold, ex) -> {
			if (ex != null) {
				waiter.cancel(false);
			}
		});
		return result;
	}

	/**
	 * {@code withLock} and {@code withPermit}: the action runs under a hold of its own, released
	 * asynchronously (no thread waits for the release) before the result completes. A hold found
	 * lost at its release fails the result with {@link LeaseLostException}, even if the action
	 * succeeded: its work may have overlapped with the next holder's.
	 */
	<T> CompletableFuture<T> runHolding(Supplier<? extends CompletionStage<T>> action) {
		CompletableFuture<T> result = new Answer<>(this.permits);
		CompletableFuture<Hold> holding = acquireHold();
		holding.whenComplete((hold, ex) -> {
			if (ex != null) {
				result.completeExceptionally(ex);
				return;
			}
			CompletionStage<T> stage;
			try {
				stage = Objects.requireNonNull(action.get(), "the action returned null instead of a CompletionStage");
			}
			catch (Throwable thrown) {
				hold.releaseAsync().whenComplete((released, failure) -> result.completeExceptionally(thrown));
				return;
			}
			stage.whenComplete((value, failure) -> hold.releaseAsync().whenComplete((released, releaseFailure) -> {
				if (failure != null) {
					result.completeExceptionally(failure);
				}
				else if (releaseFailure instanceof LeaseLostException) {
					result.completeExceptionally(releaseFailure);
				}
				else {
					result.complete(value);
				}
			}));
			// once the action runs, the end of the caller's future reaches the action's own stage
			result.whenComplete((value, failure) -> {
				if (failure != null) {
					try {
						stage.toCompletableFuture().cancel(false);
					}
					catch (UnsupportedOperationException ignored) {
						// a stage that cannot be cancelled runs to its end
					}
				}
			});
		});
		result.whenComplete((value, failure) -> {
			if (failure != null) {
				holding.cancel(false);
			}
		});
		return result;
	}

	/** From the latest snapshot: no round trip. */
	public int queueLength() {
		return this.permits.snapshot().queued();
	}

	/** Free permits from the latest snapshot (the initial number before Redis first answered). */
	int available() {
		int available = this.permits.snapshot().available();
		return (available < 0) ? this.permits.permits : available;
	}

	@Override
	public PrimitiveProbe probe() {
		return this.permits.probe();
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.permits.probe(probe);
	}

	RedisPermits permits() {
		return this.permits;
	}

	String describe(boolean locked, String value) {
		int queued = this.permits.snapshot().queued();
		return this.permits.kind + " '" + this.permits.name + "' [redis, " + (locked ? "locked" : "unlocked") + value
				+ ((queued > 0) ? ", waiters:" + queued : "") + "]";
	}

}
