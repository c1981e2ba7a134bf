package io.github.lockstep;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The {@link Hold} of a primitive kept in this process: never lost, valid until released, with a
 * fencing token from one counter of the process.
 */
final class LocalHold implements Hold {

	private static final AtomicLong TOKENS = new AtomicLong();

	private final AsyncPrimitive primitive;

	private final long fencingToken;

	private final Runnable release;

	private final Supplier<CompletableFuture<Void>> releaseAsync;

	private final AtomicBoolean released = new AtomicBoolean();

	private LocalHold(AsyncPrimitive primitive, Runnable release, Supplier<CompletableFuture<Void>> releaseAsync) {
		this.primitive = primitive;
		this.fencingToken = TOKENS.incrementAndGet();
		this.release = release;
		this.releaseAsync = releaseAsync;
	}

	/**
	 * Turns an acquisition into a hold. Ending the returned future while the acquisition waits
	 * gives up its place; a grant that wins that race is released again, as {@code withLock} does.
	 */
	static CompletableFuture<Hold> acquire(AsyncPrimitive primitive, CompletableFuture<Void> acquisition,
			Runnable release, Supplier<CompletableFuture<Void>> releaseAsync) {
		CompletableFuture<Hold> result = new Guard.Result<>();
		acquisition.whenComplete((granted, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
				return;
			}
			Hold hold = new LocalHold(primitive, release, releaseAsync);
			if (!result.complete(hold)) {
				hold.releaseAsync();
			}
		});
		result.whenComplete((hold, failure) -> {
			if (failure != null) {
				acquisition.cancel(false);
			}
		});
		return result;
	}

	@Override
	public AsyncPrimitive primitive() {
		return this.primitive;
	}

	@Override
	public long fencingToken() {
		return this.fencingToken;
	}

	@Override
	public boolean isValid() {
		return !this.released.get();
	}

	@Override
	public CompletionStage<LeaseLostException> lost() {
		// a stage of its own per call: continuations on a stage that never completes die with it
		return new CompletableFuture<LeaseLostException>().minimalCompletionStage();
	}

	@Override
	public void release() {
		if (!this.released.compareAndSet(false, true)) {
			throw alreadyReleased();
		}
		this.release.run();
	}

	@Override
	public CompletableFuture<Void> releaseAsync() {
		if (!this.released.compareAndSet(false, true)) {
			return CompletableFuture.failedFuture(alreadyReleased());
		}
		return this.releaseAsync.get();
	}

	private IllegalStateException alreadyReleased() {
		return new IllegalStateException(this.primitive.kind().displayName() + " '" + this.primitive.name()
				+ "': the hold with fencing token " + this.fencingToken + " was already released");
	}

	@Override
	public String toString() {
		return "Hold of " + this.primitive.kind().displayName() + " '" + this.primitive.name() + "' [fencing token "
				+ this.fencingToken + ", " + (isValid() ? "valid" : "released") + "]";
	}

}
