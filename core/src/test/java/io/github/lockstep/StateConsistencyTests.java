package io.github.lockstep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads change an in-memory primitive while the test thread reads
 * {@link AsyncPrimitive#state()}: every state read is one the primitive was in at one moment, so
 * combinations that never exist together never show. Built from one getter after the other
 * ({@code isSet()}, then {@code queueLength()}), the same states do show them. (A lock's and a
 * semaphore's state is one read of one counter, which no test of this kind can tell apart from
 * two reads: their window is too short.)
 */
class StateConsistencyTests {

	private static final int READS = 200_000;

	@Test
	void eventNeverShowsWaitersWhileSet() throws Exception {
		AsyncEvent event = AsyncEvent.create("state");
		assertNeverSeen(event::state, (state) -> state.set().orElseThrow() && state.waiting() > 0, () -> {
			event.await();
			event.set();
			event.clear();
		});
	}

	@Test
	void barrierNeverShowsWaitersWhileBroken() throws Exception {
		AsyncBarrier barrier = AsyncBarrier.create("state", 4);
		assertNeverSeen(barrier::state, (state) -> state.broken().orElseThrow() && state.waiting() > 0, () -> {
			barrier.await();
			barrier.abort();
			barrier.reset();
		});
	}

	/** Runs each change in a loop, on a thread of its own, while this thread reads states. */
	private static void assertNeverSeen(Supplier<PrimitiveState> read, Predicate<PrimitiveState> impossible,
			Runnable... changes) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(changes.length);
		AtomicBoolean done = new AtomicBoolean();
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (Runnable change : changes) {
				writers.add(threads.submit(() -> {
					while (!done.get()) {
						change.run();
					}
				}));
			}
			List<PrimitiveState> seen = new ArrayList<>();
			for (int i = 0; i < READS && seen.size() < 5; i++) {
				PrimitiveState state = read.get();
				if (impossible.test(state)) {
					seen.add(state);
				}
			}
			done.set(true);
			for (Future<?> writer : writers) {
				writer.get(20, TimeUnit.SECONDS);
			}
			assertThat(seen).isEmpty();
		}
		finally {
			done.set(true);
			threads.shutdownNow();
		}
	}

}
