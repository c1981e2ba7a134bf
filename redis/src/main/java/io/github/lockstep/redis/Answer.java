package io.github.lockstep.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future the Redis primitives complete when Redis has answered ({@code releaseAsync},
 * {@code tryAcquireAsync}, {@code acquireHold}, {@code withLock}…). Blocking on it is refused
 * where the answer could never be read: inside a continuation that a Redis primitive runs, or on
 * a Lettuce thread.
 */
final class Answer<T> extends CompletableFuture<T> {

	private final String owner;

	Answer(RedisPermits permits) {
		this(permits.kind, permits.name);
	}

	Answer(String kind, String name) {
		this.owner = kind + " '" + name + "'";
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new CompletableFuture<>();
	}

	@Override
	public T join() {
		refuseIfUnsafe();
		return super.join();
	}

	@Override
	public T get() throws InterruptedException, ExecutionException {
		refuseIfUnsafe();
		return super.get();
	}

	@Override
	public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		refuseIfUnsafe();
		return super.get(timeout, unit);
	}

	private void refuseIfUnsafe() {
		if (!isDone()) {
			Completions.refuseBlocking(this.owner);
		}
	}

}
