package io.github.lockstep;

import java.util.concurrent.CompletableFuture;

/**
 * A future that is complete from the start and cannot be changed, so one instance can be shared
 * by every uncontended acquisition.
 */
final class Settled<T> extends CompletableFuture<T> {

	static final Settled<Void> ACQUIRED = new Settled<>(null);

	Settled(T value) {
		super.complete(value);
	}

	@Override
	public void obtrudeValue(T value) {
		throw new UnsupportedOperationException("A Lockstep grant cannot be overwritten");
	}

	@Override
	public void obtrudeException(Throwable ex) {
		throw new UnsupportedOperationException("A Lockstep grant cannot be overwritten");
	}

}
