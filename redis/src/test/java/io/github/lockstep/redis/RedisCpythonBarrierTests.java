package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.BarrierBrokenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.lockstep.redis.Outcomes.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * CPython's {@code BarrierTests} ({@code Lib/test/test_asyncio/test_locks.py}, 3.13, catalogue
 * #54–75 in {@code asyncio-semantics.md} §2), case by case as the core's
 * {@code CpythonBarrierTests}, against a barrier in Redis. Each test has the core's name and the
 * Python one in a comment; {@code N = 5} unless a test says otherwise.
 *
 * <p>All parties are on one instance, whose calls go out in order on one connection and whose
 * replies are acted on in order on one Lettuce thread: a round that trips completes its parties'
 * futures there, in arrival order, and the continuations that arrive again, reset or abort send
 * their calls in the order they run. So the orders the core's tests record hold here too; only the
 * moment differs: a completion is waited for, bounded, and a wait that must not have completed is
 * asserted after {@link Cluster#roundTrip}. A {@code reset()} or {@code abort()} inside a
 * continuation, on the Lettuce thread, is sent without waiting for its reply, ahead of every call
 * sent after it.
 *
 * <p>Cases that do not run here, as in the core: #54 {@code test_barrier} ({@code await barrier}
 * raising {@code TypeError}: no awaiting of an object in Java) and the regular expression of #55
 * {@code test_repr} (its states are read through {@code numberWaiting()}, {@code isBroken()} and
 * {@code toString()}). The SPEC's deviations from asyncio (no draining or resetting phase, unique
 * indices) are the core's, described there.
 */
class RedisCpythonBarrierTests {

	private static final Duration WAIT = Outcomes.WAIT;

	private static final int N = 5;

	private static final String ABORT_OR_RESET = "Barrier 'batch': Abort or reset of barrier";

	private static final String ABORTED = "Barrier 'batch': Barrier aborted";

	private static final Duration LEASE = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	/**
	 * A lease of 10 s: these tests are about the primitive's semantics, not lease loss, which a
	 * loaded machine that stalls a 1 s lease's renewal would bring in (a spurious wake-up, a broken
	 * round).
	 */
	@RegisterExtension
	final Cluster cluster = new Cluster(redis, LEASE);

	private RedisPrimitives instance() {
		return this.cluster.first();
	}

	private AsyncBarrier barrier(String name, int parties) {
		return instance().barrier(name, parties);
	}

	// test_repr: the states the regex reads, through the public API
	@Test
	void repr() {
		AsyncBarrier barrier = barrier("batch", N);
		assertThat(barrier.parties()).isEqualTo(N);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
		assertThat(barrier.toString()).isEqualTo("Barrier 'batch' [redis, filling, waiters:0/5]");

		List<CompletableFuture<Integer>> waiters = new ArrayList<>();
		waiters.add(barrier.await());
		waiters.add(barrier.await());
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		assertThat(barrier.toString()).isEqualTo("Barrier 'batch' [redis, filling, waiters:2/5]");

		for (int i = 2; i < N; i++) {
			waiters.add(barrier.await());
		}
		// CPython: "draining"; here the round is over and the barrier fills again
		for (int i = 0; i < N; i++) {
			assertThat(waiters.get(i)).succeedsWithin(WAIT).isEqualTo(i);
		}
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isZero();

		CompletableFuture<Integer> resetFirst = barrier.await();
		CompletableFuture<Integer> resetSecond = barrier.await();
		barrier.reset();
		// CPython: "resetting" until the broken waiters have left
		assertThat(failureOf(resetFirst)).isInstanceOf(BarrierBrokenException.class);
		assertThat(failureOf(resetSecond)).isInstanceOf(BarrierBrokenException.class);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();

		CompletableFuture<Integer> abortFirst = barrier.await();
		CompletableFuture<Integer> abortSecond = barrier.await();
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		barrier.abort();
		assertThat(barrier.isBroken()).isTrue(); // "broken"
		assertThat(failureOf(abortFirst)).isInstanceOf(BarrierBrokenException.class);
		assertThat(failureOf(abortSecond)).isInstanceOf(BarrierBrokenException.class);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.toString()).isEqualTo("Barrier 'batch' [redis, broken]");
	}

	// test_barrier_parties
	@Test
	void barrierParties() {
		assertThatIllegalArgumentException().isThrownBy(() -> barrier("batch", 0))
			.withMessage("Barrier 'batch': parties must be >= 1, but was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> barrier("batch", -4))
			.withMessage("Barrier 'batch': parties must be >= 1, but was -4");
		assertThat(barrier("batch", N).parties()).isEqualTo(N);
	}

	// test_context_manager
	@Test
	void contextManager() {
		AsyncBarrier barrier = barrier("batch", 3);
		List<Integer> results = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			tasks.add(barrier.await().thenAccept(results::add));
		}
		assertAllSucceeded(tasks);
		// arrival order; the tripping party (2) resumes last
		assertThat(results).containsExactly(0, 1, 2);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_one_task
	@Test
	void fillingOneTask() {
		AsyncBarrier barrier = barrier("batch", 1);
		assertThat(barrier.await()).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_one_task_twice
	@Test
	void fillingOneTaskTwice() {
		AsyncBarrier barrier = barrier("batch", 1);
		CompletableFuture<Integer> t1 = barrier.await();
		CompletableFuture<Integer> t2 = barrier.await();
		assertThat(t1).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(t2).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_task_by_task
	@Test
	void fillingTaskByTask() {
		AsyncBarrier barrier = barrier("batch", 3);
		CompletableFuture<Integer> t1 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		CompletableFuture<Integer> t2 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		assertThat(t1).isNotDone();
		assertThat(t2).isNotDone();
		CompletableFuture<Integer> t3 = barrier.await();
		assertThat(t1).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(t2).succeedsWithin(WAIT).isEqualTo(1);
		assertThat(t3).succeedsWithin(WAIT).isEqualTo(2);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_tasks_wait_twice
	@Test
	void fillingTasksWaitTwice() {
		AsyncBarrier barrier = barrier("batch", N);
		List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().thenCompose((first) -> {
				results.add(true);
				return barrier.await();
			}).thenRun(() -> results.add(false)));
		}
		assertAllSucceeded(tasks);
		assertThat(results).containsExactly(true, true, true, true, true, false, false, false, false, false);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_tasks_check_return_value
	@Test
	void fillingTasksCheckReturnValue() {
		AsyncBarrier barrier = barrier("batch", N);
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<Boolean> results2 = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Integer>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().thenCompose((first) -> {
				results1.add(true);
				return barrier.await();
			}).thenApply((index) -> {
				results2.add(true);
				return index;
			}));
		}
		assertAllSucceeded(tasks);
		assertThat(results1).hasSize(N).containsOnly(true);
		assertThat(results2).hasSize(N).containsOnly(true);
		assertThat(tasks.stream().map(CompletableFuture::join).toList()).containsExactly(0, 1, 2, 3, 4);
	}

	// test_draining_state: every body sees the next round already filling (see the core's test)
	@Test
	void drainingState() {
		AsyncBarrier barrier = barrier("batch", N);
		List<Integer> resumed = Collections.synchronizedList(new ArrayList<>());
		List<Integer> waitingSeen = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Integer>> nextRound = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Void>> bodies = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			bodies.add(barrier.await().thenAccept((index) -> {
				resumed.add(index);
				waitingSeen.add(barrier.numberWaiting());
				nextRound.add(barrier.await());
			}));
		}
		assertAllSucceeded(bodies);
		assertThat(resumed).containsExactly(0, 1, 2, 3, 4);
		assertThat(waitingSeen).containsExactly(0, 1, 2, 3, 4);
		assertAllSucceeded(nextRound);
		assertThat(nextRound.stream().map(CompletableFuture::join).toList()).containsExactly(0, 1, 2, 3, 4);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_blocking_tasks_while_draining: success is no deadlock (see the core's test)
	@Test
	void blockingTasksWhileDraining() {
		int rewait = 2;
		AsyncBarrier barrier = barrier("batch", N);
		AsyncBarrier noWaiting = barrier("no-waiting", N - rewait);
		AtomicInteger rewaitN = new AtomicInteger(rewait);
		List<Integer> waitingSeenByRewaiters = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Integer>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().thenCompose((first) -> {
				if (rewaitN.getAndDecrement() > 0) {
					CompletableFuture<Integer> again = barrier.await();
					waitingSeenByRewaiters.add(barrier.numberWaiting());
					return again;
				}
				return noWaiting.await().thenCompose((ignored) -> barrier.await());
			}));
		}
		assertAllSucceeded(tasks);
		assertThat(waitingSeenByRewaiters).containsExactly(1, 2);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(noWaiting.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_tasks_cancel_one
	@Test
	void fillingTasksCancelOne() {
		AsyncBarrier barrier = barrier("batch", 3);
		List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<Integer> t1 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		CompletableFuture<Integer> t2 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		Cluster.roundTrip(instance());

		assertThat(t1.cancel(false)).isTrue();
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		assertThat(t1).isCancelled();
		assertThat(failureOf(t1)).isInstanceOf(CancellationException.class);
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		assertThat(barrier.isBroken()).isFalse(); // asyncio's rule, unlike CyclicBarrier

		CompletableFuture<Integer> t3 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		CompletableFuture<Integer> t4 = barrier.await();
		List<CompletableFuture<Boolean>> tasks = new ArrayList<>();
		for (CompletableFuture<Integer> task : List.of(t2, t3, t4)) {
			tasks.add(task.thenApply((index) -> results.add(true)));
		}
		assertAllSucceeded(tasks);
		assertThat(results).hasSize(3).containsOnly(true);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// gh-155233: indices stay unique within a round after a waiter leaves; here the first leaves
	// before Redis has even answered its arrival
	@Test
	void cancelledWaiterLeavesNoDuplicateIndex() {
		AsyncBarrier barrier = barrier("batch", 3);
		CompletableFuture<Integer> a = barrier.await();
		CompletableFuture<Integer> b = barrier.await();
		assertThat(a.cancel(false)).isTrue();
		CompletableFuture<Integer> c = barrier.await();
		Cluster.roundTrip(instance());
		assertThat(c).isNotDone();
		CompletableFuture<Integer> d = barrier.await();
		assertThat(b).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(c).succeedsWithin(WAIT).isEqualTo(1);
		assertThat(d).succeedsWithin(WAIT).isEqualTo(2);
		assertThat(a).isCancelled();
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// gh-155233 with a timeout instead of a cancellation: the timed-out waiter just leaves
	@Test
	void timedOutWaiterLeavesWithoutBreakingTheBarrierOrItsIndices() {
		AsyncBarrier barrier = barrier("batch", 3);
		CompletableFuture<Integer> a = barrier.await(Duration.ofMillis(50));
		CompletableFuture<Integer> b = barrier.await();
		assertThat(a).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessageContaining("Barrier 'batch'");
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		assertThat(barrier.isBroken()).isFalse();
		assertThat(b).isNotDone();
		CompletableFuture<Integer> c = barrier.await();
		CompletableFuture<Integer> d = barrier.await();
		assertThat(b).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(c).succeedsWithin(WAIT).isEqualTo(1);
		assertThat(d).succeedsWithin(WAIT).isEqualTo(2);
	}

	// §5 trace: Barrier(3), the third arrival trips it, waiter 1 is cancelled before it resumes.
	// CPython: waiter 1 ends with CancelledError. Here the round ended when it tripped in Redis,
	// so the cancel comes too late: it returns false and the waiter keeps its index.
	@Test
	void cancelAfterTripBeforeResumingKeepsTheIndex() {
		AsyncBarrier barrier = barrier("batch", 3);
		CompletableFuture<Integer> first = barrier.await();
		CompletableFuture<Integer> second = barrier.await();
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<Void> firstResumed = first.thenRun(() -> {
			order.add("first resumed; second done: " + second.isDone());
			order.add("cancel second: " + second.cancel(false));
		});
		CompletableFuture<Void> secondResumed = second.thenRun(() -> order.add("second resumed"));
		CompletableFuture<Integer> third = barrier.await();
		assertThat(first).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(second).succeedsWithin(WAIT).isEqualTo(1);
		assertThat(third).succeedsWithin(WAIT).isEqualTo(2);
		assertAllSucceeded(List.of(firstResumed, secondResumed));
		assertThat(order).containsExactly("first resumed; second done: false", "cancel second: false",
				"second resumed");
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_reset_barrier
	@Test
	void resetBarrier() {
		AsyncBarrier barrier = barrier("batch", 1);
		barrier.reset();
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
		assertThat(barrier.await()).succeedsWithin(WAIT).isEqualTo(0);
	}

	// test_reset_barrier_while_tasks_waiting
	@Test
	void resetBarrierWhileTasksWaiting() {
		AsyncBarrier barrier = barrier("batch", N);
		List<String> results = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Integer>> waiters = new ArrayList<>();
		List<CompletableFuture<Integer>> handled = new ArrayList<>();
		for (int i = 0; i < N - 1; i++) {
			CompletableFuture<Integer> waiter = barrier.await();
			handled.add(waiter.exceptionally((ex) -> {
				results.add(ex.getMessage());
				return null;
			}));
			waiters.add(waiter);
		}
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isEqualTo(N - 1);
		barrier.reset();
		assertAllSucceeded(handled);
		assertThat(results).containsExactly(ABORT_OR_RESET, ABORT_OR_RESET, ABORT_OR_RESET, ABORT_OR_RESET);
		assertThat(waiters)
			.allSatisfy((waiter) -> assertThat(failureOf(waiter)).isInstanceOf(BarrierBrokenException.class));
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
		// not left "resetting": a full round passes
		List<CompletableFuture<Integer>> round = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			round.add(barrier.await());
		}
		assertAllSucceeded(round);
	}

	// test_reset_barrier_when_tasks_half_draining: the reset, by the third party out while the
	// last two have not resumed, does not reach them (see the core's test)
	@Test
	void resetBarrierWhenTasksHalfDraining() {
		AsyncBarrier barrier = barrier("batch", N);
		int restOfTasks = N / 2;
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<Integer> indices = Collections.synchronizedList(new ArrayList<>());
		List<Boolean> laterPartyDoneAtReset = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Integer>> round = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Integer>> bodies = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			CompletableFuture<Integer> waiter = barrier.await();
			round.add(waiter);
			bodies.add(waiter.whenComplete((index, ex) -> {
				if (ex instanceof BarrierBrokenException) {
					results1.add(true);
					return;
				}
				indices.add(index);
				if (indices.size() == N - restOfTasks) {
					laterPartyDoneAtReset.add(round.get(N - restOfTasks).isDone());
					barrier.reset();
				}
			}));
		}
		assertAllSucceeded(bodies);
		Cluster.roundTrip(instance());
		assertThat(laterPartyDoneAtReset).containsExactly(false); // the reset came mid-release
		assertThat(results1).isEmpty();
		assertThat(indices).containsExactly(0, 1, 2, 3, 4);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_reset_barrier_when_tasks_half_draining_half_blocking: the released round is not reached
	// (results1 empty), the two re-arrivals are broken (see the core's test)
	@Test
	void resetBarrierWhenTasksHalfDrainingHalfBlocking() {
		AsyncBarrier barrier = barrier("batch", N);
		int blockingTasks = N / 2;
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<String> results2 = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger count = new AtomicInteger();
		List<CompletableFuture<Integer>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().handle((index, ex) -> {
				if (ex != null) {
					results1.add(true);
					return barrier.await();
				}
				if (count.incrementAndGet() == blockingTasks + 1) {
					barrier.reset(); // only this party resets, as in CPython
					return barrier.await();
				}
				return barrier.await().handle((again, broken) -> {
					if (broken == null) {
						return CompletableFuture.completedFuture(again);
					}
					results2.add(broken.getMessage());
					return barrier.await();
				}).thenCompose((next) -> next);
			}).thenCompose((next) -> next));
		}
		assertAllSucceeded(tasks);
		assertThat(results1).isEmpty();
		assertThat(results2).containsExactly(ABORT_OR_RESET, ABORT_OR_RESET);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_reset_barrier_while_tasks_waiting_and_waiting_again
	@Test
	void resetBarrierWhileTasksWaitingAndWaitingAgain() {
		AsyncBarrier barrier = barrier("batch", N);
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<Boolean> results2 = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<CompletableFuture<Integer>>> rearrived = new ArrayList<>();
		List<CompletableFuture<Boolean>> tasks = new ArrayList<>();
		for (int i = 0; i < N - 1; i++) {
			CompletableFuture<CompletableFuture<Integer>> again = barrier.await().handle((index, ex) -> {
				if (ex instanceof BarrierBrokenException) {
					results1.add(true);
				}
				return barrier.await(); // finally: wait again
			});
			rearrived.add(again);
			tasks.add(again.thenCompose((next) -> next).thenApply((index) -> results2.add(true)));
		}
		Cluster.roundTrip(instance());
		barrier.reset();
		assertAllSucceeded(rearrived);
		assertThat(results1).hasSize(N - 1);
		Cluster.roundTrip(instance());
		assertThat(barrier.numberWaiting()).isEqualTo(N - 1); // they have re-arrived
		tasks.add(barrier.await().thenApply((index) -> results2.add(true)));
		assertAllSucceeded(tasks);
		assertThat(barrier.isBroken()).isFalse();
		assertThat(results1).hasSize(N - 1);
		assertThat(results2).hasSize(N);
		assertThat(barrier.numberWaiting()).isZero();
	}

	// test_reset_barrier_while_tasks_draining: a reset with nobody in the next round yet, by the
	// first party out (see the core's test); the counts are CPython's
	@Test
	void resetBarrierWhileTasksDraining() {
		AsyncBarrier barrier = barrier("batch", N);
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<Boolean> results2 = Collections.synchronizedList(new ArrayList<>());
		List<Boolean> results3 = Collections.synchronizedList(new ArrayList<>());
		List<Integer> waitingAtReset = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger count = new AtomicInteger();
		List<CompletableFuture<Boolean>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().thenCompose((index) -> {
				if (count.incrementAndGet() == 1) {
					waitingAtReset.add(barrier.numberWaiting());
					barrier.reset();
					return barrier.await().thenAccept((second) -> { // wait here to reach the parties
					});
				}
				return barrier.await().<Void>handle((second, ex) -> { // second waiting
					(ex == null ? results1 : results2).add(true);
					return null;
				});
			}).thenCompose((ignored) -> barrier.await()).thenApply((index) -> results3.add(true)));
		}
		assertAllSucceeded(tasks);
		assertThat(waitingAtReset).containsExactly(0);
		assertThat(barrier.isBroken()).isFalse();
		assertThat(results1).hasSize(N - 1).containsOnly(true);
		assertThat(results2).isEmpty();
		assertThat(results3).hasSize(N);
		assertThat(barrier.numberWaiting()).isZero();
	}

	// test_abort_barrier
	@Test
	void abortBarrier() {
		AsyncBarrier barrier = barrier("batch", 1);
		barrier.abort();
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isTrue();
		CompletableFuture<Integer> late = barrier.await();
		assertThat(failureOf(late)).isInstanceOf(BarrierBrokenException.class).hasMessage(ABORTED);
	}

	// test_abort_barrier_when_tasks_half_draining_half_blocking: the released round is not reached
	// (results1 empty); the two re-arrivals are broken as in CPython
	@Test
	void abortBarrierWhenTasksHalfDrainingHalfBlocking() {
		AsyncBarrier barrier = barrier("batch", N);
		int blockingTasks = N / 2;
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<String> results2 = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger count = new AtomicInteger();
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().handle((index, ex) -> {
				if (ex != null) {
					results1.add(true);
					return CompletableFuture.<Void>completedFuture(null);
				}
				if (count.incrementAndGet() > blockingTasks) {
					barrier.abort();
					return CompletableFuture.<Void>completedFuture(null);
				}
				return barrier.await().handle((again, broken) -> {
					if (broken != null) {
						results2.add(broken.getMessage());
					}
					return (Void) null;
				});
			}).thenCompose((next) -> next));
		}
		assertAllSucceeded(tasks);
		assertThat(barrier.isBroken()).isTrue();
		assertThat(results1).isEmpty();
		assertThat(results2).containsExactly(ABORT_OR_RESET, ABORT_OR_RESET);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(failureOf(barrier.await())).hasMessage(ABORTED);
	}

	// test_abort_barrier_when_exception
	@Test
	void abortBarrierWhenException() {
		AsyncBarrier barrier = barrier("batch", N);
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<String> results2 = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(passTwiceOrAbort(barrier, results1, results2));
		}
		assertAllSucceeded(tasks);
		assertThat(barrier.isBroken()).isTrue();
		assertThat(results1).isEmpty();
		// the two already waiting for the second round, then the two arriving after the abort
		assertThat(results2).containsExactlyInAnyOrder(ABORT_OR_RESET, ABORT_OR_RESET, ABORTED, ABORTED);
		assertThat(barrier.numberWaiting()).isZero();
	}

	// test_abort_barrier_when_exception_then_resetting (threading's test_abort_and_reset)
	@Test
	void abortBarrierWhenExceptionThenResetting() {
		AsyncBarrier barrier1 = barrier("batch", N);
		AsyncBarrier barrier2 = barrier("sync", N);
		List<Boolean> results1 = Collections.synchronizedList(new ArrayList<>());
		List<String> results2 = Collections.synchronizedList(new ArrayList<>());
		List<Boolean> results3 = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Boolean>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(passTwiceOrAbort(barrier1, results1, results2)
				// synchronize, so that everyone has left barrier1 before the reset ...
				.thenCompose((ignored) -> barrier2.await())
				.thenCompose((index) -> {
					if (index == N / 2) {
						barrier1.reset();
					}
					// ... and again, so that nobody enters it before the reset
					return barrier2.await();
				})
				.thenCompose((ignored) -> barrier1.await())
				.thenApply((index) -> results3.add(true)));
		}
		assertAllSucceeded(tasks);
		assertThat(barrier1.isBroken()).isFalse();
		assertThat(results1).isEmpty();
		assertThat(results2).hasSize(N - 1);
		assertThat(results3).hasSize(N);
		assertThat(barrier1.numberWaiting()).isZero();
	}

	/** As the core's: CPython's body that passes twice, or raises at index {@code N // 2} and aborts. */
	private static CompletableFuture<Void> passTwiceOrAbort(AsyncBarrier barrier, List<Boolean> results1,
			List<String> results2) {
		return barrier.await().thenCompose((index) -> {
			if (index == N / 2) {
				throw new IllegalStateException("boom");
			}
			return barrier.await();
		}).handle((index, ex) -> {
			Throwable failure = Outcomes.unwrap(ex);
			if (failure == null) {
				results1.add(true);
			}
			else if (failure instanceof BarrierBrokenException) {
				results2.add(failure.getMessage());
			}
			else {
				assertThat(failure).hasMessage("boom");
				barrier.abort();
			}
			return null;
		});
	}

	private static void assertAllSucceeded(List<? extends CompletableFuture<?>> tasks) {
		assertThat(tasks).allSatisfy((task) -> assertThat(task).succeedsWithin(WAIT));
	}

}
