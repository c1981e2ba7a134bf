package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads hammer annotated {@code CompletableFuture} and {@code Mono} methods with every way
 * a call can end — completion, failure, a timed-out wait, a cancel or dispose while waiting or
 * while running — and check the invariants: never more than the permits inside, never two inside
 * the lock, every call ended, every permit back. The seed comes from
 * {@code -Dlockstep.stress.seed=N} and is named in every failure.
 */
@SpringBootTest(classes = { CallsApplication.class, AnnotatedCallsStressTests.Service.class },
		properties = { "lockstep.semaphores.pool.permits=3", "lockstep.semaphores.pool.bounded=true" })
class AnnotatedCallsStressTests {

	private static final int WORKERS = 4;

	private static final int CALLS_PER_WORKER = 2_000;

	private static final int PERMITS = 3;

	private final long seed = Long.getLong("lockstep.stress.seed", 20_261_124L);

	@Autowired
	Service service;

	@Autowired
	@Qualifier("pool")
	AsyncSemaphore pool;

	@Autowired
	LockstepRegistry registry;

	@Test
	void everyWayACallEndsGivesBackExactlyWhatItHeld() throws Exception {
		Queue<Work> running = new ConcurrentLinkedQueue<>();
		Queue<CompletableFuture<?>> ends = new ConcurrentLinkedQueue<>();
		Queue<Runnable> cancels = new ConcurrentLinkedQueue<>();
		AtomicBoolean done = new AtomicBoolean();
		ExecutorService threads = Executors.newFixedThreadPool(WORKERS + 2);
		try {
			// finishes the stages of admitted calls, in random order and ways, as a backend would
			Future<?> finisher = threads.submit(() -> finish(running, done, new SplittableRandom(this.seed)));
			// cancels calls from another thread than the one that grants them, to race the two
			Future<?> canceller = threads.submit(() -> cancel(cancels, done));
			List<Future<?>> workers = new ArrayList<>();
			for (int w = 0; w < WORKERS; w++) {
				SplittableRandom random = new SplittableRandom(this.seed + w + 1);
				workers.add(threads.submit(() -> call(random, running, ends, cancels)));
			}
			for (Future<?> worker : workers) {
				worker.get(30, TimeUnit.SECONDS);
			}
			done.set(true);
			finisher.get(30, TimeUnit.SECONDS);
			canceller.get(30, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}
		String context = "seed " + this.seed + " (rerun with -Dlockstep.stress.seed=" + this.seed + ")";
		for (CompletableFuture<?> end : ends) {
			assertThat(end).as(context).succeedsWithin(Duration.ofSeconds(10));
		}
		assertThat(this.service.violations()).as(context).isEmpty();
		assertThat(this.service.maxInside()).as(context).isEqualTo(PERMITS);
		assertThat(this.pool.availablePermits()).as(context).isEqualTo(PERMITS);
		assertThat(this.pool.queueLength()).as(context).isZero();
		AsyncLock lock = this.registry.lock("stress-lock").orElseThrow();
		assertThat(lock.isLocked()).as(context).isFalse();
		assertThat(lock.queueLength()).as(context).isZero();
	}

	private void call(SplittableRandom random, Queue<Work> running, Queue<CompletableFuture<?>> ends,
			Queue<Runnable> cancels) {
		for (int i = 0; i < CALLS_PER_WORKER; i++) {
			Work work = new Work(this.service, running);
			int way = random.nextInt(5);
			if (way == 4) {
				CompletableFuture<Void> end = new CompletableFuture<>();
				Disposable subscription = this.service.mono(work)
					.doFinally((signal) -> end.complete(null))
					.subscribe((value) -> { }, (failure) -> { });
				int dispose = random.nextInt(3);
				if (dispose == 0) {
					subscription.dispose();
					end.complete(null);
				}
				else if (dispose == 1) {
					cancels.add(() -> {
						subscription.dispose();
						end.complete(null);
					});
				}
				ends.add(end);
				continue;
			}
			CompletableFuture<Integer> result = switch (way) {
				case 0, 1 -> this.service.throttled(work);
				case 2 -> this.service.guarded(work);
				default -> this.service.hurried(work);
			};
			int cancel = random.nextInt(4);
			if (cancel == 0) {
				result.cancel(true);
			}
			else if (cancel == 1) {
				cancels.add(() -> result.cancel(true));
			}
			ends.add(result.handle((value, failure) -> null));
		}
	}

	private static void finish(Queue<Work> running, AtomicBoolean done, SplittableRandom random) {
		while (!done.get() || !running.isEmpty()) {
			Work work = running.poll();
			if (work == null) {
				Thread.onSpinWait();
				continue;
			}
			if (random.nextInt(5) == 0) {
				work.fail();
			}
			else {
				work.succeed();
			}
		}
	}

	private static void cancel(Queue<Runnable> cancels, AtomicBoolean done) {
		while (!done.get() || !cancels.isEmpty()) {
			Runnable cancel = cancels.poll();
			if (cancel != null) {
				cancel.run();
			}
			else {
				Thread.onSpinWait();
			}
		}
	}

	/** An admitted call's own stage: counts the call out of the method the moment it ends. */
	static final class Work extends CompletableFuture<Integer> {

		private final Service service;

		private volatile boolean underLock;

		private final Queue<Work> running;

		private final ReentrantLock ending = new ReentrantLock();

		private boolean ended;

		private volatile boolean started;

		Work(Service service, Queue<Work> running) {
			this.service = service;
			this.running = running;
		}

		Work start(boolean locked) {
			this.underLock = locked;
			this.started = true;
			this.service.enter(locked);
			this.running.add(this);
			return this;
		}

		void succeed() {
			if (leave()) {
				complete(1);
			}
		}

		void fail() {
			if (leave()) {
				completeExceptionally(new IllegalStateException("backend failed"));
			}
		}

		/** Only the first way to end counts; a cancel that loses to a finish must not end it first. */
		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			return leave() && super.cancel(mayInterruptIfRunning);
		}

		/**
		 * Counts the call out, once. Under a lock, so that a way to end that loses returns only
		 * after the winner has counted the call out (a dispose releases right after its cancel).
		 */
		private boolean leave() {
			this.ending.lock();
			try {
				if (!this.started || this.ended) {
					return false;
				}
				this.ended = true;
				this.service.leave(this.underLock);
				return true;
			}
			finally {
				this.ending.unlock();
			}
		}

	}

	static class Service {

		private final AtomicInteger inside = new AtomicInteger();

		private final AtomicInteger insideLock = new AtomicInteger();

		private final AtomicInteger maxInside = new AtomicInteger();

		private final Queue<String> violations = new ConcurrentLinkedQueue<>();

		@Throttled("pool")
		public CompletableFuture<Integer> throttled(Work work) {
			return work.start(false);
		}

		@Throttled("pool")
		@Guarded("stress-lock")
		public CompletableFuture<Integer> guarded(Work work) {
			return work.start(true);
		}

		@Throttled(value = "pool", timeout = "1ms")
		public CompletableFuture<Integer> hurried(Work work) {
			return work.start(false);
		}

		@Throttled("pool")
		public Mono<Integer> mono(Work work) {
			return Mono.fromFuture(work.start(false));
		}

		public void enter(boolean locked) {
			int now = this.inside.incrementAndGet();
			this.maxInside.accumulateAndGet(now, Math::max);
			if (now > PERMITS) {
				this.violations.add(now + " calls inside a " + PERMITS + "-permit semaphore");
			}
			if (locked && this.insideLock.incrementAndGet() > 1) {
				this.violations.add("two calls inside the lock");
			}
		}

		public void leave(boolean locked) {
			if (locked) {
				this.insideLock.decrementAndGet();
			}
			this.inside.decrementAndGet();
		}

		public Queue<String> violations() {
			return this.violations;
		}

		public int maxInside() {
			return this.maxInside.get();
		}

	}

}
