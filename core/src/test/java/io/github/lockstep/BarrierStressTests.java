package io.github.lockstep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads arriving at one {@link AsyncBarrier} with plain, timed and {@code orTimeout} waits,
 * random cancellations and the odd reset or abort. Arrivals are numbered under a test-side lock, so
 * their order is known; waits leave from any thread. Every round that trips then shows up, in
 * arrival order, as indices {@code 0, 1, …, parties-1}: unique within the round, none skipped,
 * none repeated, whatever left early.
 */
class BarrierStressTests {

	private static final int PARTIES = 3;

	private static final int THREADS = 6;

	private static final int OPS_PER_WORKER = 40_000;

	private final StressSupport support = new StressSupport();

	private final AsyncBarrier barrier = AsyncBarrier.create("stress-barrier", PARTIES);

	/** Makes arrival order observable: taken around the call to {@code await}, not while waiting. */
	private final ReentrantLock arrivalOrder = new ReentrantLock();

	private long nextArrival;

	private final List<List<Arrival>> perWorker = new ArrayList<>();

	@Test
	void everyRoundThatTripsHandsOutEachIndexOnceInArrivalOrder() throws InterruptedException {
		run();
	}

	/** The same with a probe that throws from every third call. */
	@Test
	void everyRoundThatTripsHandsOutEachIndexOnceInArrivalOrderWhenTheProbeOftenThrows()
			throws InterruptedException {
		FlakyProbe probe = new FlakyProbe();
		((Instrumented) this.barrier).probe(probe);
		try (ProbeFailureLog log = ProbeFailureLog.open()) {
			run();
			assertThat(probe.thrown()).isPositive();
			assertThat(log.records()).hasSize(1);
		}
	}

	private void run() throws InterruptedException {
		List<Runnable> bodies = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			SplittableRandom random = this.support.split();
			List<Arrival> arrivals = new ArrayList<>();
			this.perWorker.add(arrivals);
			bodies.add(() -> work(random, arrivals));
		}
		this.support.runWorkers(THREADS, bodies);
		List<Arrival> all = StressSupport.concat(this.perWorker);
		// the last round cannot fill any more: break it
		boolean quiet = StressSupport.settle(() -> all.stream().allMatch((arrival) -> arrival.future.isDone()),
				this.barrier::reset);

		String context = this.support.context();
		this.support.assertNoViolations();
		assertThat(quiet).as("every wait ended, %s, %s", this.barrier, context).isTrue();
		all.sort(Comparator.comparingLong((arrival) -> arrival.number));
		List<Integer> indices = new ArrayList<>();
		int cancelled = 0;
		for (Arrival arrival : all) {
			CompletableFuture<Integer> future = arrival.future;
			if (!future.isCompletedExceptionally()) {
				indices.add(future.join());
			}
			else if (arrival.cancelledTrue) {
				cancelled++;
			}
			if (arrival.cancelledTrue) {
				assertThat(future.isCancelled()).as("%s, %s", arrival, context).isTrue();
			}
		}
		assertThat(indices.size() % PARTIES).as("arrivals released in whole rounds, %s", context).isZero();
		for (int i = 0; i < indices.size(); i++) {
			if (indices.get(i) != i % PARTIES) {
				int from = Math.max(0, i - 2 * PARTIES);
				assertThat(indices.get(i)).as("index of released arrival %d (round %d), nearby %s, %s", i,
						i / PARTIES, indices.subList(from, Math.min(indices.size(), i + 2 * PARTIES)), context)
					.isEqualTo(i % PARTIES);
			}
		}
		assertThat(this.barrier.numberWaiting()).as("waiting at the end, %s", context).isZero();
		assertThat(this.barrier.isBroken()).as("broken at the end, %s", context).isFalse();
		assertThat(indices.size() / PARTIES).as("rounds tripped, %s", context).isPositive();
		assertThat(cancelled).as("cancelled waits, %s", context).isPositive();
	}

	private void work(SplittableRandom random, List<Arrival> arrivals) {
		List<Arrival> open = new ArrayList<>();
		for (int op = 0; op < OPS_PER_WORKER; op++) {
			StressSupport.pace(op);
			int dice = random.nextInt(1000);
			if (dice < 600) {
				Arrival arrival = arrive(random);
				arrivals.add(arrival);
				if (!arrival.future.isDone()) {
					if (random.nextInt(5) == 0) {
						arrival.cancel();
					}
					else {
						open.add(arrival);
					}
				}
			}
			else if (dice < 995) {
				Arrival arrival = StressSupport.takeRandom(open, random);
				if (arrival != null && random.nextInt(3) == 0) {
					arrival.cancel();
				}
			}
			else if (dice < 998) {
				this.barrier.reset();
			}
			else {
				this.barrier.abort();
				this.barrier.reset();
			}
		}
	}

	private Arrival arrive(SplittableRandom random) {
		int how = random.nextInt(3);
		CompletableFuture<Integer> future;
		long number;
		this.arrivalOrder.lock();
		try {
			number = this.nextArrival++;
			future = (how == 1) ? this.barrier.await(StressSupport.shortTimeout(random)) : this.barrier.await();
		}
		finally {
			this.arrivalOrder.unlock();
		}
		if (how == 2) {
			future.orTimeout(random.nextLong(0, 2_000_001), TimeUnit.NANOSECONDS);
		}
		return new Arrival(number, future);
	}

	private final class Arrival {

		final long number;

		final CompletableFuture<Integer> future;

		volatile boolean cancelledTrue;

		Arrival(long number, CompletableFuture<Integer> future) {
			this.number = number;
			this.future = future;
			future.whenComplete((index, failure) -> {
				if (failure != null) {
					Throwable cause = StressSupport.unwrap(failure);
					if (!StressSupport.isGiveUp(cause) && !(cause instanceof BarrierBrokenException)) {
						BarrierStressTests.this.support.violation(this + " failed unexpectedly", cause);
					}
				}
				else if (index == null || index < 0 || index >= PARTIES) {
					BarrierStressTests.this.support.violation(this + " got index " + index);
				}
				else if (this.cancelledTrue) {
					BarrierStressTests.this.support.violation(this + " released after cancel() returned true");
				}
			});
		}

		void cancel() {
			if (this.future.cancel(false)) {
				this.cancelledTrue = true;
			}
			else if (!this.future.isDone()) {
				BarrierStressTests.this.support.violation(this + " cancel() returned false, but not done");
			}
		}

		@Override
		public String toString() {
			return "Arrival[" + this.number + ", " + this.future + "]";
		}

	}

	/**
	 * The barrier's own timer and {@code orTimeout} both try to withdraw the same wait at the same
	 * moment: the one that loses must not mistake the withdrawn wait for a granted one.
	 */
	@Test
	void timedWaitWhoseOrTimeoutFiresTooNeverCompletesWithAnIndex() {
		AsyncBarrier barrier = AsyncBarrier.create("stress-two-timeouts", Integer.MAX_VALUE);
		for (int round = 0; round < 3; round++) {
			List<CompletableFuture<Integer>> waits = StressSupport.raceTwoTimeouts(5_000, barrier::await);
			assertThat(StressSupport.completedNormally(waits)).as("released from a barrier that never trips, round %d",
					round)
				.isEmpty();
			assertThat(barrier.numberWaiting()).isZero();
			assertThat(barrier.isBroken()).isFalse();
		}
	}
}
