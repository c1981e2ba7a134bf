package io.github.lockstep.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.Hold;
import io.github.lockstep.LeaseLostException;

/**
 * The {@link Hold} of a Redis lock or permit: its fencing token is the one Redis recorded with the
 * grant, and it is valid while this instance's lease covers it, as far as this instance knows.
 */
final class RedisHold implements Hold {

	private final AsyncPrimitive primitive;

	private final Acquisition acquisition;

	private final AtomicBoolean released = new AtomicBoolean();

	RedisHold(AsyncPrimitive primitive, Acquisition acquisition) {
		this.primitive = primitive;
		this.acquisition = acquisition;
	}

	@Override
	public AsyncPrimitive primitive() {
		return this.primitive;
	}

	/** The token Redis recorded with the grant: it grows across all instances and across a restart. */
	@Override
	public long fencingToken() {
		return this.acquisition.fence;
	}

	/**
	 * Whether the hold was not released, not found lost, and is covered by the lease that Redis
	 * last confirmed to this instance (measured from when that confirmation was asked for).
	 */
	@Override
	public boolean isValid() {
		return !this.released.get() && this.acquisition.owner.isValid(this.acquisition);
	}

	@Override
	public CompletionStage<LeaseLostException> lost() {
		return this.acquisition.owner.lost(this.acquisition);
	}

	/**
	 * Waits for Redis's answer only where {@code release()} of the primitive does (see
	 * {@link PermitPrimitive#release()}): a hold its lease covers is in most cases released
	 * without waiting.
	 */
	@Override
	public void release() {
		RedisPermits owner = this.acquisition.owner;
		if (!this.released.compareAndSet(false, true)) {
			throw alreadyReleased(owner);
		}
		owner.releaseHold(this.acquisition);
	}

	@Override
	public CompletableFuture<Void> releaseAsync() {
		if (!this.released.compareAndSet(false, true)) {
			return CompletableFuture.failedFuture(alreadyReleased(this.acquisition.owner));
		}
		return this.acquisition.owner.release(this.acquisition);
	}

	private IllegalStateException alreadyReleased(RedisPermits owner) {
		return new IllegalStateException(owner.kind + " '" + owner.name + "': the hold with fencing token "
				+ fencingToken() + " was already released");
	}

	@Override
	public String toString() {
		return "Hold of " + this.primitive.kind().displayName() + " '" + this.primitive.name() + "' [fencing token "
				+ fencingToken() + ", " + (this.released.get() ? "released" : isValid() ? "valid" : "lost") + "]";
	}

}
