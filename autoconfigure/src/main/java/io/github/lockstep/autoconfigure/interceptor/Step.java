package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Instrumented;

/**
 * One primitive that an annotated call passes on its way in: a wait to {@link #enter}, and what
 * {@link #exit} gives back once the call has ended. A {@code null} timeout waits with no limit.
 */
abstract class Step {

	/** Starts the wait; never blocks. The future completes once the call may go on. */
	abstract CompletableFuture<?> enter();

	/**
	 * Enters at once if the primitive lets the call through without waiting, and queues nothing
	 * otherwise. Fair primitives refuse while others wait, just as {@link #enter()} would queue.
	 * @return true if entered: {@link #exit()} then gives back what it took
	 */
	abstract boolean tryEnter();

	/** Gives back what a completed {@link #enter()} granted; nothing for events and barriers. */
	void exit() {
	}

	/** The semaphore whose permit this step takes, if it reports holds; else {@code null}. */
	Instrumented permitHolder() {
		return null;
	}

	/** The step of an annotation's primitive: take the lock or a permit, or wait for the event or barrier. */
	static Step of(AsyncPrimitive primitive, Duration timeout) {
		return switch (primitive.kind()) {
			case LOCK -> lock((AsyncLock) primitive, timeout);
			case SEMAPHORE -> permit((AsyncSemaphore) primitive, timeout);
			case EVENT -> event((AsyncEvent) primitive, timeout);
			case BARRIER -> barrier((AsyncBarrier) primitive, timeout);
			case CONDITION -> throw new IllegalArgumentException("no annotation waits on a condition");
		};
	}

	private static Step lock(AsyncLock lock, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? lock.acquire(timeout) : lock.acquire();
			}

			@Override
			boolean tryEnter() {
				return lock.tryAcquire();
			}

			@Override
			void exit() {
				lock.release();
			}
		};
	}

	private static Step permit(AsyncSemaphore semaphore, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? semaphore.acquire(timeout) : semaphore.acquire();
			}

			@Override
			boolean tryEnter() {
				return semaphore.tryAcquire();
			}

			@Override
			void exit() {
				semaphore.release();
			}

			@Override
			Instrumented permitHolder() {
				return (semaphore instanceof Instrumented instrumented) ? instrumented : null;
			}
		};
	}

	private static Step event(AsyncEvent event, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? event.await(timeout) : event.await();
			}

			@Override
			boolean tryEnter() {
				return event.isSet();
			}
		};
	}

	private static Step barrier(AsyncBarrier barrier, Duration timeout) {
		return new Step() {
			@Override
			CompletableFuture<?> enter() {
				return (timeout != null) ? barrier.await(timeout) : barrier.await();
			}

			@Override
			boolean tryEnter() {
				// an arrival counts towards the round, so it cannot be tried and taken back
				return false;
			}
		};
	}

}
