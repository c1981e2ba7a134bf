package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.spring.LockstepRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second backend for tests: the backend {@value #BACKEND}, whose primitives are classes of its
 * own that forward to in-memory ones, as a backend written against the interfaces would be. They
 * implement the interfaces' abstract methods, and {@code withLock} and {@code withPermit}, whose
 * in-memory forms report their holds (the other defaults, {@code acquireHold} and the
 * {@code …Async} forms, run on top of them); they pass their probe on, so that metrics count what
 * they do. A test that runs against it shows that the endpoint, the health contributor, the
 * meters and the interceptor need nothing of the in-memory classes.
 *
 * <pre>{@code
 * @SpringBootTest(classes = { CallsApplication.class, ForwardingPrimitives.class },
 *         properties = "lockstep.backend=" + ForwardingPrimitives.BACKEND)
 * }</pre>
 */
public final class ForwardingPrimitives implements PrimitiveFactory {

	/** The backend id. */
	public static final String BACKEND = "forwarding";

	private final PrimitiveFactory memory = PrimitiveFactory.inMemory();

	@Override
	public String backend() {
		return BACKEND;
	}

	@Override
	public AsyncLock lock(String name) {
		return new Lock(this.memory.lock(name));
	}

	@Override
	public AsyncSemaphore semaphore(String name, int permits, boolean bounded) {
		return new Semaphore(this.memory.semaphore(name, permits, bounded));
	}

	@Override
	public AsyncEvent event(String name) {
		return new Event(this.memory.event(name));
	}

	@Override
	public AsyncCondition condition(String name) {
		// its own lock, which reports to the condition
		AsyncCondition condition = this.memory.condition(name);
		return new Condition(condition, new Lock(condition.lock()));
	}

	@Override
	public AsyncCondition condition(String name, AsyncLock lock) {
		if (!(lock instanceof Lock forwarding)) {
			throw new IllegalArgumentException("Condition '" + name + "': the lock must come from this backend");
		}
		return new Condition(this.memory.condition(name, forwarding.delegate), forwarding);
	}

	@Override
	public AsyncBarrier barrier(String name, int parties) {
		return new Barrier(this.memory.barrier(name, parties));
	}

	/** Checks that every primitive of a registry comes from this backend. */
	public static void assertAllForwarding(LockstepRegistry registry) {
		assertThat(registry.all()).isNotEmpty().allSatisfy((primitive) -> assertThat(primitive).isInstanceOf(Forwarding.class));
	}

	/** What every primitive of this backend has: a delegate, whose probe is its own. */
	abstract static class Forwarding<P extends AsyncPrimitive> implements AsyncPrimitive, Instrumented {

		final P delegate;

		Forwarding(P delegate) {
			this.delegate = delegate;
		}

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public PrimitiveState state() {
			return this.delegate.state();
		}

		@Override
		public PrimitiveProbe probe() {
			return ((Instrumented) this.delegate).probe();
		}

		@Override
		public void probe(PrimitiveProbe probe) {
			((Instrumented) this.delegate).probe(probe);
		}

	}

	static final class Lock extends Forwarding<AsyncLock> implements AsyncLock {

		Lock(AsyncLock delegate) {
			super(delegate);
		}

		@Override
		public CompletableFuture<Void> acquire() {
			return this.delegate.acquire();
		}

		@Override
		public CompletableFuture<Void> acquire(Duration timeout) {
			return this.delegate.acquire(timeout);
		}

		@Override
		public boolean tryAcquire() {
			return this.delegate.tryAcquire();
		}

		@Override
		public void release() {
			this.delegate.release();
		}

		@Override
		public boolean isLocked() {
			return this.delegate.isLocked();
		}

		@Override
		public int queueLength() {
			return this.delegate.queueLength();
		}

		@Override
		public <T> CompletableFuture<T> withLock(Supplier<? extends CompletionStage<T>> action) {
			return this.delegate.withLock(action);
		}

	}

	static final class Semaphore extends Forwarding<AsyncSemaphore> implements AsyncSemaphore {

		Semaphore(AsyncSemaphore delegate) {
			super(delegate);
		}

		@Override
		public CompletableFuture<Void> acquire() {
			return this.delegate.acquire();
		}

		@Override
		public CompletableFuture<Void> acquire(Duration timeout) {
			return this.delegate.acquire(timeout);
		}

		@Override
		public boolean tryAcquire() {
			return this.delegate.tryAcquire();
		}

		@Override
		public void release() {
			this.delegate.release();
		}

		@Override
		public boolean isLocked() {
			return this.delegate.isLocked();
		}

		@Override
		public int availablePermits() {
			return this.delegate.availablePermits();
		}

		@Override
		public boolean isBounded() {
			return this.delegate.isBounded();
		}

		@Override
		public int queueLength() {
			return this.delegate.queueLength();
		}

		@Override
		public <T> CompletableFuture<T> withPermit(Supplier<? extends CompletionStage<T>> action) {
			return this.delegate.withPermit(action);
		}

	}

	static final class Event extends Forwarding<AsyncEvent> implements AsyncEvent {

		Event(AsyncEvent delegate) {
			super(delegate);
		}

		@Override
		public void set() {
			this.delegate.set();
		}

		@Override
		public void clear() {
			this.delegate.clear();
		}

		@Override
		public boolean isSet() {
			return this.delegate.isSet();
		}

		@Override
		public CompletableFuture<Void> await() {
			return this.delegate.await();
		}

		@Override
		public CompletableFuture<Void> await(Duration timeout) {
			return this.delegate.await(timeout);
		}

		@Override
		public int queueLength() {
			return this.delegate.queueLength();
		}

	}

	static final class Condition extends Forwarding<AsyncCondition> implements AsyncCondition {

		private final Lock lock;

		Condition(AsyncCondition delegate, Lock lock) {
			super(delegate);
			this.lock = lock;
		}

		@Override
		public AsyncLock lock() {
			return this.lock;
		}

		@Override
		public CompletableFuture<Void> acquire() {
			return this.delegate.acquire();
		}

		@Override
		public CompletableFuture<Void> acquire(Duration timeout) {
			return this.delegate.acquire(timeout);
		}

		@Override
		public boolean tryAcquire() {
			return this.delegate.tryAcquire();
		}

		@Override
		public void release() {
			this.delegate.release();
		}

		@Override
		public boolean isLocked() {
			return this.delegate.isLocked();
		}

		@Override
		public CompletableFuture<Void> await() {
			return this.delegate.await();
		}

		@Override
		public CompletableFuture<Boolean> await(Duration timeout) {
			return this.delegate.await(timeout);
		}

		@Override
		public CompletableFuture<Void> awaitUntil(BooleanSupplier predicate) {
			return this.delegate.awaitUntil(predicate);
		}

		@Override
		public void signal() {
			this.delegate.signal();
		}

		@Override
		public void signal(int n) {
			this.delegate.signal(n);
		}

		@Override
		public void signalAll() {
			this.delegate.signalAll();
		}

		@Override
		public int queueLength() {
			return this.delegate.queueLength();
		}

	}

	static final class Barrier extends Forwarding<AsyncBarrier> implements AsyncBarrier {

		Barrier(AsyncBarrier delegate) {
			super(delegate);
		}

		@Override
		public CompletableFuture<Integer> await() {
			return this.delegate.await();
		}

		@Override
		public CompletableFuture<Integer> await(Duration timeout) {
			return this.delegate.await(timeout);
		}

		@Override
		public void reset() {
			this.delegate.reset();
		}

		@Override
		public void abort() {
			this.delegate.abort();
		}

		@Override
		public boolean isBroken() {
			return this.delegate.isBroken();
		}

		@Override
		public int parties() {
			return this.delegate.parties();
		}

		@Override
		public int numberWaiting() {
			return this.delegate.numberWaiting();
		}

	}

}
