package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;

/**
 * One primitive that an annotated call passes on its way in: a wait to {@link #enter}, and what
 * {@link #exit} gives back once the call has ended. A {@code null} timeout waits with no limit.
 */
abstract class Step {

	/** Starts the wait; never blocks. The future completes once the call may go on. */
	abstract CompletableFuture<?> enter();

	/** Gives back what a completed {@link #enter()} granted; nothing for events and barriers. */
	void exit() {
	}

	static Step lock(AsyncLock lock, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? lock.acquire(timeout) : lock.acquire();
			}

			@Override
			void exit() {
				lock.release();
			}
		};
	}

	static Step permit(AsyncSemaphore semaphore, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? semaphore.acquire(timeout) : semaphore.acquire();
			}

			@Override
			void exit() {
				semaphore.release();
			}
		};
	}

	static Step event(AsyncEvent event, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? event.await(timeout) : event.await();
			}
		};
	}

	static Step barrier(AsyncBarrier barrier, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? barrier.await(timeout) : barrier.await();
			}
		};
	}

}
