package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
final class Step {

	private static final Runnable NOTHING = () -> {
	};

	private final Supplier<CompletableFuture<?>> enter;

	private final BooleanSupplier tryEnter;

	private final Runnable exit;

	private final Instrumented permitHolder;

	private Step(Supplier<CompletableFuture<?>> enter, BooleanSupplier tryEnter, Runnable exit,
			Instrumented permitHolder) {
		this.enter = enter;
		this.tryEnter = tryEnter;
		this.exit = exit;
		this.permitHolder = permitHolder;
	}

	/**
	 * The step of an annotation's primitive: take the lock or a permit (given back on exit), or
	 * wait for the event or the barrier's round (nothing to give back).
	 */
	static Step of(AsyncPrimitive primitive, Duration timeout) {
		return switch (primitive.kind()) {
			case LOCK -> {
				AsyncLock lock = (AsyncLock) primitive;
				yield new Step((timeout != null) ? () -> lock.acquire(timeout) : lock::acquire, lock::tryAcquire,
						lock::release, null);
			}
			case SEMAPHORE -> {
				AsyncSemaphore semaphore = (AsyncSemaphore) primitive;
				yield new Step((timeout != null) ? () -> semaphore.acquire(timeout) : semaphore::acquire,
						semaphore::tryAcquire, semaphore::release,
						(semaphore instanceof Instrumented instrumented) ? instrumented : null);
			}
			case EVENT -> {
				AsyncEvent event = (AsyncEvent) primitive;
				// only the core's in-memory event knows for sure; another (Redis) answers isSet from its
				// latest view, which a clear elsewhere may not have reached yet, so its await asks
				yield new Step((timeout != null) ? () -> event.await(timeout) : event::await,
						isInMemory(event) ? event::isSet : () -> false, NOTHING, null);
			}
			case BARRIER -> {
				AsyncBarrier barrier = (AsyncBarrier) primitive;
				// an arrival counts towards the round, so it cannot be tried and taken back
				yield new Step((timeout != null) ? () -> barrier.await(timeout) : barrier::await, () -> false, NOTHING,
						null);
			}
			case CONDITION -> throw new IllegalArgumentException("no annotation waits on a condition");
		};
	}

	/** Whether the primitive is one of the core's in-memory ones, whose state is read, not remembered. */
	private static boolean isInMemory(AsyncPrimitive primitive) {
		return primitive.getClass().getPackage() == AsyncPrimitive.class.getPackage();
	}

	/** Starts the wait; never blocks. The future completes once the call may go on. */
	CompletableFuture<?> enter() {
		return this.enter.get();
	}

	/**
	 * Enters at once if the primitive lets the call through without waiting, and queues nothing
	 * otherwise. Fair primitives refuse while others wait, just as {@link #enter()} would queue.
	 * @return true if entered: {@link #exit()} then gives back what it took
	 */
	boolean tryEnter() {
		return this.tryEnter.getAsBoolean();
	}

	/** Gives back what a completed {@link #enter()} granted; nothing for events and barriers. */
	void exit() {
		this.exit.run();
	}

	/** The semaphore whose permit this step takes, if it reports holds; else {@code null}. */
	Instrumented permitHolder() {
		return this.permitHolder;
	}

}
