package io.github.lockstep.autoconfigure.interceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync path on virtual threads (JDK 21+): 200 virtual threads call annotated methods that
 * block inside, so waiting callers park as virtual threads, and the limits hold.
 */
@SpringBootTest(classes = { CallsApplication.class, VirtualThreadCallsTests.Service.class },
		properties = { "lockstep.semaphores.pool.permits=5", "lockstep.semaphores.pool.bounded=true",
		"lockstep.locks.counter.timeout=10s" })
class VirtualThreadCallsTests {

	private static final int CALLS = 200;

	@Autowired
	Service service;

	@Autowired
	@Qualifier("pool")
	AsyncSemaphore pool;

	@Autowired
	@Qualifier("counter")
	AsyncLock counter;

	@Test
	void throttledCallsOnVirtualThreadsNeverExceedPermits() throws Exception {
		List<Thread> bodies = runAll(this.service::throttled, 5);
		assertThat(this.service.maxInside()).isEqualTo(5);
		assertThat(bodies).hasSize(CALLS).allMatch(Thread::isVirtual);
		assertThat(this.pool.availablePermits()).isEqualTo(5);
		assertThat(this.pool.queueLength()).isZero();
	}

	@Test
	void guardedCallsOnVirtualThreadsRunOneAtATime() throws Exception {
		List<Thread> bodies = runAll(this.service::guarded, 1);
		assertThat(this.service.maxInside()).isEqualTo(1);
		assertThat(bodies).hasSize(CALLS).allMatch(Thread::isVirtual);
		assertThat(this.counter.isLocked()).isFalse();
	}

	/**
	 * Starts every call, each blocking in the body until the gate opens; opens it once as many
	 * calls as the limit allows are inside, then waits for all.
	 */
	private List<Thread> runAll(Function<CompletableFuture<Void>, Thread> call, int limit) throws Exception {
		this.service.reset(limit);
		CompletableFuture<Void> gate = new CompletableFuture<>();
		List<Future<Thread>> calls = new ArrayList<>();
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < CALLS; i++) {
				calls.add(threads.submit(() -> call.apply(gate)));
			}
			assertThat(this.service.awaitEntered()).isTrue();
			gate.complete(null);
			List<Thread> bodies = new ArrayList<>();
			for (Future<Thread> future : calls) {
				bodies.add(future.get(30, TimeUnit.SECONDS));
			}
			return bodies;
		}
	}

	static class Service {

		final AtomicInteger inside = new AtomicInteger();

		final AtomicInteger maxInside = new AtomicInteger();

		volatile CountDownLatch entered = new CountDownLatch(0);

		@Throttled("pool")
		public Thread throttled(CompletableFuture<Void> gate) {
			return body(gate);
		}

		@Guarded("counter")
		public Thread guarded(CompletableFuture<Void> gate) {
			return body(gate);
		}

		// called through the proxy, which has no state of its own: fields only via methods

		public void reset(int limit) {
			this.inside.set(0);
			this.maxInside.set(0);
			this.entered = new CountDownLatch(limit);
		}

		public boolean awaitEntered() throws InterruptedException {
			return this.entered.await(30, TimeUnit.SECONDS);
		}

		public int maxInside() {
			return this.maxInside.get();
		}

		private Thread body(CompletableFuture<Void> gate) {
			int now = this.inside.incrementAndGet();
			this.maxInside.accumulateAndGet(now, Math::max);
			this.entered.countDown();
			gate.orTimeout(30, TimeUnit.SECONDS).join();
			this.inside.decrementAndGet();
			return Thread.currentThread();
		}

	}

}
