package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A test backend that hands off as a network backend does: asynchronously. Its primitives wrap
 * in-memory ones, and every future they return (waits, the {@code …Async} commands) completes on
 * the factory's own delivery thread, a moment after the primitive decided, never on the thread
 * that granted or released. Cancelling a queued wait still takes effect at once, as it does locally
 * on a network backend. The contract suites run against it to show that they ask only what every
 * backend promises; other modules get it from core's test jar.
 *
 * <pre>{@code
 * class RedisLikeLockTests extends AsyncLockContractTests {
 *     private final AsyncHandOffPrimitives primitives = new AsyncHandOffPrimitives();
 *     protected AsyncLock createLock(String name) { return primitives.lock(name); }
 *     @AfterEach void close() { primitives.close(); }
 * }
 * }</pre>
 */
public final class AsyncHandOffPrimitives implements PrimitiveFactory, AutoCloseable {

	private final PrimitiveFactory memory = PrimitiveFactory.inMemory();

	private final ExecutorService delivery = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "async-hand-off");
		thread.setDaemon(true);
		return thread;
	});

	@Override
	public String backend() {
		return "async-hand-off";
	}

	@Override
	public AsyncLock lock(String name) {
		return new Lock(this.memory.lock(name), this.delivery);
	}

	@Override
	public AsyncSemaphore semaphore(String name, int permits, boolean bounded) {
		return new Semaphore(this.memory.semaphore(name, permits, bounded), this.delivery);
	}

	@Override
	public AsyncEvent event(String name) {
		return new Event(this.memory.event(name), this.delivery);
	}

	@Override
	public AsyncCondition condition(String name) {
		return condition(name, lock(name));
	}

	@Override
	public AsyncCondition condition(String name, AsyncLock lock) {
		return new Condition(this.memory.condition(name, lock), this.delivery);
	}

	@Override
	public AsyncBarrier barrier(String name, int parties) {
		return new Barrier(this.memory.barrier(name, parties), this.delivery);
	}

	/** Stops the delivery thread once the deliveries queued so far have run. */
	@Override
	public void close() {
		this.delivery.shutdown();
		try {
			this.delivery.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A future completed on the delivery thread once {@code origin} completes. Ending it while
	 * the origin waits ends the origin, and if that completes the origin, this future at once;
	 * completing it from outside is refused, as for a queued in-memory wait.
	 */
	static final class Delivered<T> extends CompletableFuture<T> {

		private final CompletableFuture<T> origin;

		Delivered(CompletableFuture<T> origin, Executor delivery) {
			this.origin = origin;
			origin.whenComplete((value, failure) -> delivery.execute(() -> settle(value, failure)));
		}

		private void settle(T value, Throwable failure) {
			if (failure != null) {
				super.completeExceptionally((failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure);
			}
			else {
				super.complete(value);
			}
		}

		private boolean ended(boolean ended) {
			if (ended && this.origin.isDone()) {
				this.origin.whenComplete(this::settle);
			}
			return ended || isCancelled();
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			return ended(this.origin.cancel(mayInterruptIfRunning));
		}

		@Override
		public boolean completeExceptionally(Throwable ex) {
			return ended(this.origin.completeExceptionally(ex));
		}

		@Override
		public boolean complete(T value) {
			throw refused();
		}

		@Override
		public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
			throw refused();
		}

		@Override
		public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
			throw refused();
		}

		@Override
		public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
			throw refused();
		}

		@Override
		public void obtrudeValue(T value) {
			throw refused();
		}

		@Override
		public void obtrudeException(Throwable ex) {
			throw refused();
		}

		private static UnsupportedOperationException refused() {
			return new UnsupportedOperationException("a wait is completed by the primitive; use cancel() to give it up");
		}

	}

	/** What the five wrappers share: the origin and the delivery thread. */
	/** What every primitive of this backend has: an in-memory origin, whose probe is its own. */
	private abstract static class Wrapper<P extends AsyncPrimitive> implements AsyncPrimitive, Instrumented {

		final P origin;

		private final Executor delivery;

		Wrapper(P origin, Executor delivery) {
			this.origin = origin;
			this.delivery = delivery;
		}

		<T> CompletableFuture<T> delivered(CompletableFuture<T> future) {
			return new Delivered<>(future, this.delivery);
		}

		CompletableFuture<Void> deliveredRun(Runnable command) {
			return delivered(Immediately.run(command));
		}

		CompletableFuture<Boolean> deliveredTest(BooleanSupplier command) {
			return delivered(Immediately.test(command));
		}

		@Override
		public String name() {
			return this.origin.name();
		}

		@Override
		public PrimitiveState state() {
			return this.origin.state();
		}

		@Override
		public PrimitiveProbe probe() {
			return ((Instrumented) this.origin).probe();
		}

		@Override
		public void probe(PrimitiveProbe probe) {
			((Instrumented) this.origin).probe(probe);
		}

		@Override
		public String toString() {
			return "async hand-off " + this.origin;
		}

	}

	private static final class Lock extends Wrapper<AsyncLock> implements AsyncLock {

		Lock(AsyncLock origin, Executor delivery) {
			super(origin, delivery);
		}

		@Override
		public CompletableFuture<Void> acquire() {
			return delivered(this.origin.acquire());
		}

		@Override
		public CompletableFuture<Void> acquire(Duration timeout) {
			return delivered(this.origin.acquire(timeout));
		}

		@Override
		public boolean tryAcquire() {
			return this.origin.tryAcquire();
		}

		@Override
		public CompletableFuture<Boolean> tryAcquireAsync() {
			return deliveredTest(this.origin::tryAcquire);
		}

		@Override
		public void release() {
			this.origin.release();
		}

		@Override
		public CompletableFuture<Void> releaseAsync() {
			return deliveredRun(this.origin::release);
		}

		@Override
		public boolean isLocked() {
			return this.origin.isLocked();
		}

		@Override
		public int queueLength() {
			return this.origin.queueLength();
		}

	}

	private static final class Semaphore extends Wrapper<AsyncSemaphore> implements AsyncSemaphore {

		Semaphore(AsyncSemaphore origin, Executor delivery) {
			super(origin, delivery);
		}

		@Override
		public CompletableFuture<Void> acquire() {
			return delivered(this.origin.acquire());
		}

		@Override
		public CompletableFuture<Void> acquire(Duration timeout) {
			return delivered(this.origin.acquire(timeout));
		}

		@Override
		public boolean tryAcquire() {
			return this.origin.tryAcquire();
		}

		@Override
		public CompletableFuture<Boolean> tryAcquireAsync() {
			return deliveredTest(this.origin::tryAcquire);
		}

		@Override
		public void release() {
			this.origin.release();
		}

		@Override
		public CompletableFuture<Void> releaseAsync() {
			return deliveredRun(this.origin::release);
		}

		@Override
		public boolean isLocked() {
			return this.origin.isLocked();
		}

		@Override
		public int availablePermits() {
			return this.origin.availablePermits();
		}

		@Override
		public boolean isBounded() {
			return this.origin.isBounded();
		}

		@Override
		public int queueLength() {
			return this.origin.queueLength();
		}

	}

	private static final class Event extends Wrapper<AsyncEvent> implements AsyncEvent {

		Event(AsyncEvent origin, Executor delivery) {
			super(origin, delivery);
		}

		@Override
		public void set() {
			this.origin.set();
		}

		@Override
		public CompletableFuture<Void> setAsync() {
			return deliveredRun(this.origin::set);
		}

		@Override
		public void clear() {
			this.origin.clear();
		}

		@Override
		public CompletableFuture<Void> clearAsync() {
			return deliveredRun(this.origin::clear);
		}

		@Override
		public boolean isSet() {
			return this.origin.isSet();
		}

		@Override
		public CompletableFuture<Void> await() {
			return delivered(this.origin.await());
		}

		@Override
		public CompletableFuture<Void> await(Duration timeout) {
			return delivered(this.origin.await(timeout));
		}

		@Override
		public int queueLength() {
			return this.origin.queueLength();
		}

	}

	private static final class Condition extends Wrapper<AsyncCondition> implements AsyncCondition {

		Condition(AsyncCondition origin, Executor delivery) {
			super(origin, delivery);
		}

		@Override
		public AsyncLock lock() {
			return this.origin.lock();
		}

		@Override
		public CompletableFuture<Void> acquire() {
			return delivered(this.origin.acquire());
		}

		@Override
		public CompletableFuture<Void> acquire(Duration timeout) {
			return delivered(this.origin.acquire(timeout));
		}

		@Override
		public boolean tryAcquire() {
			return this.origin.tryAcquire();
		}

		@Override
		public CompletableFuture<Boolean> tryAcquireAsync() {
			return deliveredTest(this.origin::tryAcquire);
		}

		@Override
		public void release() {
			this.origin.release();
		}

		@Override
		public CompletableFuture<Void> releaseAsync() {
			return deliveredRun(this.origin::release);
		}

		@Override
		public boolean isLocked() {
			return this.origin.isLocked();
		}

		@Override
		public CompletableFuture<Void> await() {
			return delivered(this.origin.await());
		}

		@Override
		public CompletableFuture<Boolean> await(Duration timeout) {
			return delivered(this.origin.await(timeout));
		}

		@Override
		public CompletableFuture<Void> awaitUntil(BooleanSupplier predicate) {
			return delivered(this.origin.awaitUntil(predicate));
		}

		@Override
		public void signal() {
			this.origin.signal();
		}

		@Override
		public void signal(int n) {
			this.origin.signal(n);
		}

		@Override
		public void signalAll() {
			this.origin.signalAll();
		}

		@Override
		public CompletableFuture<Void> signalAsync() {
			return deliveredRun(this.origin::signal);
		}

		@Override
		public CompletableFuture<Void> signalAsync(int n) {
			return deliveredRun(() -> this.origin.signal(n));
		}

		@Override
		public CompletableFuture<Void> signalAllAsync() {
			return deliveredRun(this.origin::signalAll);
		}

		@Override
		public int queueLength() {
			return this.origin.queueLength();
		}

	}

	private static final class Barrier extends Wrapper<AsyncBarrier> implements AsyncBarrier {

		Barrier(AsyncBarrier origin, Executor delivery) {
			super(origin, delivery);
		}

		@Override
		public CompletableFuture<Integer> await() {
			return delivered(this.origin.await());
		}

		@Override
		public CompletableFuture<Integer> await(Duration timeout) {
			return delivered(this.origin.await(timeout));
		}

		@Override
		public void reset() {
			this.origin.reset();
		}

		@Override
		public CompletableFuture<Void> resetAsync() {
			return deliveredRun(this.origin::reset);
		}

		@Override
		public void abort() {
			this.origin.abort();
		}

		@Override
		public CompletableFuture<Void> abortAsync() {
			return deliveredRun(this.origin::abort);
		}

		@Override
		public boolean isBroken() {
			return this.origin.isBroken();
		}

		@Override
		public int parties() {
			return this.origin.parties();
		}

		@Override
		public int numberWaiting() {
			return this.origin.numberWaiting();
		}

	}

}
