package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * CPython's {@code BarrierTests} ({@code Lib/test/test_asyncio/test_locks.py}, 3.13, catalogue
 * #54–75 in {@code asyncio-semantics.md} §2), ported to {@link AsyncBarrier} through its public
 * API. Each test is named after the Python one, which a comment gives; {@code N = 5} unless a test
 * says otherwise.
 *
 * <p>A CPython task becomes a chain of futures. Lockstep completes a round synchronously (SPEC §2):
 * when the last party arrives, the other parties' futures are completed on its thread, in arrival
 * order, before its {@code await} returns, and its own future is already complete. So every test
 * runs on the test thread, and the order in which continuations run is recorded in a list.
 *
 * <p>Cases without a Java meaning:
 * <ul>
 * <li>#54 {@code test_barrier}: {@code await barrier} raising {@code TypeError} and the
 * {@code repr()} text; there is no awaiting of an object in Java.</li>
 * <li>#55 {@code test_repr}: the regular expression over {@code repr()}. The states it walks
 * through are checked with {@code numberWaiting()}, {@code parties()} and {@code isBroken()}.</li>
 * </ul>
 *
 * <p>Where the SPEC deliberately differs from asyncio the tests check Lockstep's behaviour and say
 * so. Indices are unique within a round, also after a waiter left (gh-155233). There is no
 * draining or resetting phase: a round ends the instant it trips, every party of it has its index
 * from then on, and an arrival after the trip counts toward the next round at once (asyncio blocks
 * it until the round has drained). So a reset or abort after a trip never reaches the released
 * round (#63, #64, #68, #69, #71, #73); it breaks the parties that have already arrived for the
 * next round.
 */
class CpythonBarrierTests {

	private static final int N = 5;

	private static final String ABORT_OR_RESET = "Barrier 'batch': Abort or reset of barrier";

	private static final String ABORTED = "Barrier 'batch': Barrier aborted";

	// test_repr: the states the regex reads, through the public API
	@Test
	void repr() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		assertThat(barrier.parties()).isEqualTo(N);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();

		List<CompletableFuture<Integer>> waiters = new ArrayList<>();
		waiters.add(barrier.await());
		waiters.add(barrier.await());
		assertThat(barrier.numberWaiting()).isEqualTo(2); // "filling, waiters:2/5"

		while (barrier.numberWaiting() > 0) {
			waiters.add(barrier.await());
		}
		// CPython: "draining"; here the round is over and the barrier fills again
		assertThat(waiters).hasSize(N).allMatch(CompletableFuture::isDone);
		assertThat(barrier.numberWaiting()).isZero();

		CompletableFuture<Integer> resetFirst = barrier.await();
		CompletableFuture<Integer> resetSecond = barrier.await();
		barrier.reset();
		// CPython: "resetting" until the broken waiters have left; here they have left on return
		assertThat(failureOf(resetFirst)).isInstanceOf(BarrierBrokenException.class);
		assertThat(failureOf(resetSecond)).isInstanceOf(BarrierBrokenException.class);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();

		CompletableFuture<Integer> abortFirst = barrier.await();
		CompletableFuture<Integer> abortSecond = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		barrier.abort();
		assertThat(barrier.isBroken()).isTrue(); // "broken"
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(failureOf(abortFirst)).isInstanceOf(BarrierBrokenException.class);
		assertThat(failureOf(abortSecond)).isInstanceOf(BarrierBrokenException.class);
	}

	// test_barrier_parties
	@Test
	void barrierParties() {
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncBarrier.create("batch", 0))
			.withMessage("Barrier 'batch': parties must be >= 1, but was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncBarrier.create("batch", -4))
			.withMessage("Barrier 'batch': parties must be >= 1, but was -4");
		assertThat(AsyncBarrier.create("batch", N).parties()).isEqualTo(N);
	}

	// test_context_manager
	@Test
	void contextManager() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 3);
		List<Integer> results = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			barrier.await().thenAccept(results::add);
		}
		// arrival order; the tripping party (2) resumes last, once its await has returned
		assertThat(results).containsExactly(0, 1, 2);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_one_task
	@Test
	void fillingOneTask() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 1);
		assertThat(barrier.await()).isCompletedWithValue(0);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_one_task_twice
	@Test
	void fillingOneTaskTwice() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 1);
		CompletableFuture<Integer> t1 = barrier.await();
		assertThat(barrier.numberWaiting()).isZero();
		CompletableFuture<Integer> t2 = barrier.await();
		assertThat(t1).isCompletedWithValue(0);
		assertThat(t2).isCompletedWithValue(0);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_task_by_task
	@Test
	void fillingTaskByTask() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 3);
		CompletableFuture<Integer> t1 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		CompletableFuture<Integer> t2 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		assertThat(t1).isNotDone();
		assertThat(t2).isNotDone();
		CompletableFuture<Integer> t3 = barrier.await();
		assertThat(t1).isCompletedWithValue(0);
		assertThat(t2).isCompletedWithValue(1);
		assertThat(t3).isCompletedWithValue(2);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_filling_tasks_wait_twice
	@Test
	void fillingTasksWaitTwice() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		List<Boolean> results = new ArrayList<>();
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
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		List<Boolean> results1 = new ArrayList<>();
		List<Boolean> results2 = new ArrayList<>();
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
		assertThat(results1).hasSize(N).containsOnly(true);
		assertThat(results2).hasSize(N).containsOnly(true);
		assertThat(tasks.stream().map(CompletableFuture::join).toList()).containsExactly(0, 1, 2, 3, 4);
	}

	// test_draining_state. CPython: the first N-1 bodies see "draining", the last sees "filling".
	// Here every body sees the next round already filling, with the parties that resumed before it
	// counted toward it.
	@Test
	void drainingState() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		List<Integer> resumed = new ArrayList<>();
		List<Integer> waitingSeen = new ArrayList<>();
		List<CompletableFuture<Integer>> nextRound = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			barrier.await().thenAccept((index) -> {
				resumed.add(index);
				waitingSeen.add(barrier.numberWaiting());
				nextRound.add(barrier.await());
			});
		}
		assertThat(resumed).containsExactly(0, 1, 2, 3, 4);
		assertThat(waitingSeen).containsExactly(0, 1, 2, 3, 4);
		assertThat(nextRound.stream().map(CompletableFuture::join).toList()).containsExactly(0, 1, 2, 3, 4);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_blocking_tasks_while_draining. CPython blocks the re-arrivals until the round has drained;
	// here they count toward the next round at once. Success is still: no deadlock.
	@Test
	void blockingTasksWhileDraining() {
		int rewait = 2;
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		AsyncBarrier noWaiting = AsyncBarrier.create("no-waiting", N - rewait);
		int[] rewaitN = { rewait };
		List<Integer> waitingSeenByRewaiters = new ArrayList<>();
		List<CompletableFuture<Integer>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().thenCompose((first) -> {
				if (rewaitN[0] > 0) {
					rewaitN[0]--;
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
		AsyncBarrier barrier = AsyncBarrier.create("batch", 3);
		List<Boolean> results = new ArrayList<>();
		CompletableFuture<Integer> t1 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		CompletableFuture<Integer> t2 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);

		assertThat(t1.cancel(false)).isTrue();
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		assertThat(t1).isCancelled();
		assertThat(failureOf(t1)).isInstanceOf(CancellationException.class);
		assertThat(barrier.isBroken()).isFalse(); // asyncio's rule, unlike CyclicBarrier

		CompletableFuture<Integer> t3 = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		CompletableFuture<Integer> t4 = barrier.await();
		for (CompletableFuture<Integer> task : List.of(t2, t3, t4)) {
			task.thenRun(() -> results.add(true));
		}
		assertThat(results).hasSize(3).containsOnly(true);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// gh-155233 (open in CPython, where C gets B's index 1 again and 0 is never returned): indices
	// stay unique within a round after a waiter leaves
	@Test
	void cancelledWaiterLeavesNoDuplicateIndex() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 3);
		CompletableFuture<Integer> a = barrier.await();
		CompletableFuture<Integer> b = barrier.await();
		assertThat(a.cancel(false)).isTrue();
		CompletableFuture<Integer> c = barrier.await();
		assertThat(c).isNotDone();
		CompletableFuture<Integer> d = barrier.await();
		assertThat(List.of(b.join(), c.join(), d.join())).containsExactly(0, 1, 2);
		assertThat(a).isCancelled();
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// gh-155233 with a timeout instead of a cancellation: the timed-out waiter just leaves
	@Test
	void timedOutWaiterLeavesWithoutBreakingTheBarrierOrItsIndices() {
		ManualScheduler time = new ManualScheduler();
		AsyncBarrier barrier = new InMemoryBarrier("batch", 3, time);
		CompletableFuture<Integer> a = barrier.await(Duration.ofMillis(20));
		CompletableFuture<Integer> b = barrier.await();
		assertThat(a).isNotDone();
		time.advance(Duration.ofMillis(20));
		assertThat(a).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessageContaining("Barrier 'batch'");
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		assertThat(barrier.isBroken()).isFalse();
		CompletableFuture<Integer> c = barrier.await();
		CompletableFuture<Integer> d = barrier.await();
		assertThat(List.of(b.join(), c.join(), d.join())).containsExactly(0, 1, 2);
	}

	// §5 trace: Barrier(3), the third arrival trips it, waiter 0 is cancelled before it resumes.
	// CPython: waiter 0 ends with CancelledError. Here the round ended at the trip, so the cancel
	// comes too late: it returns false and the waiter keeps its index.
	@Test
	void cancelAfterTripBeforeResumingKeepsTheIndex() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 3);
		CompletableFuture<Integer> first = barrier.await();
		CompletableFuture<Integer> second = barrier.await();
		List<String> order = new ArrayList<>();
		first.thenRun(() -> {
			order.add("first resumed; second done: " + second.isDone());
			order.add("cancel second: " + second.cancel(false));
			order.add("second done: " + second.isDone());
		});
		second.thenRun(() -> order.add("second resumed"));
		CompletableFuture<Integer> third = barrier.await();
		// the late cancel completes the future with its index before it returns
		assertThat(order).containsExactly("first resumed; second done: false", "second resumed",
				"cancel second: false", "second done: true");
		assertThat(first).isCompletedWithValue(0);
		assertThat(second).isCompletedWithValue(1);
		assertThat(third).isCompletedWithValue(2);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_reset_barrier
	@Test
	void resetBarrier() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 1);
		barrier.reset();
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
		assertThat(barrier.await()).isCompletedWithValue(0);
	}

	// test_reset_barrier_while_tasks_waiting
	@Test
	void resetBarrierWhileTasksWaiting() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		List<String> results = new ArrayList<>();
		List<CompletableFuture<Integer>> waiters = new ArrayList<>();
		for (int i = 0; i < N - 1; i++) {
			CompletableFuture<Integer> waiter = barrier.await();
			waiter.exceptionally((ex) -> {
				results.add(ex.getMessage());
				return null;
			});
			waiters.add(waiter);
		}
		assertThat(barrier.numberWaiting()).isEqualTo(N - 1);
		barrier.reset();
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

	// test_reset_barrier_when_tasks_half_draining. CPython: the drained party that resets while two
	// others have not resumed yet breaks those two (results1 == [True] * 2). Here the round ended at
	// the trip, when each party got its index, so the reset does not reach them.
	@Test
	void resetBarrierWhenTasksHalfDraining() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		int restOfTasks = N / 2;
		List<Boolean> results1 = new ArrayList<>();
		List<Integer> indices = new ArrayList<>();
		List<Boolean> laterPartyDoneAtReset = new ArrayList<>();
		List<CompletableFuture<Integer>> round = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			CompletableFuture<Integer> waiter = barrier.await();
			round.add(waiter);
			waiter.whenComplete((index, ex) -> {
				if (ex instanceof BarrierBrokenException) {
					results1.add(true);
					return;
				}
				indices.add(index);
				if (indices.size() == N - restOfTasks) {
					laterPartyDoneAtReset.add(round.get(N - restOfTasks).isDone());
					barrier.reset();
				}
			});
		}
		assertThat(laterPartyDoneAtReset).containsExactly(false); // the reset came mid-release
		assertThat(results1).isEmpty();
		assertThat(indices).containsExactly(0, 1, 2, 3, 4);
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isFalse();
	}

	// test_reset_barrier_when_tasks_half_draining_half_blocking. CPython: the first two parties out
	// re-arrive and block (draining), the third resets, which breaks the two still draining
	// (results1 == [True] * 2) but not the blocked ones (results2 == []). Here it is the other way
	// round: the released round is not reached (results1 empty), and the two re-arrivals, which
	// already count toward the next round, are broken (results2 has two entries). Everybody
	// re-arrives after a break, so the next round fills.
	@Test
	void resetBarrierWhenTasksHalfDrainingHalfBlocking() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		int blockingTasks = N / 2;
		List<Boolean> results1 = new ArrayList<>();
		List<String> results2 = new ArrayList<>();
		int[] count = { 0 };
		List<CompletableFuture<Integer>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().handle((index, ex) -> {
				if (ex != null) {
					results1.add(true);
					return barrier.await();
				}
				count[0]++;
				if (count[0] == blockingTasks + 1) {
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
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		List<Boolean> results1 = new ArrayList<>();
		List<Boolean> results2 = new ArrayList<>();
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < N - 1; i++) {
			tasks.add(barrier.await().handle((index, ex) -> {
				if (ex instanceof BarrierBrokenException) {
					results1.add(true);
				}
				return barrier.await(); // finally: wait again
			}).thenCompose((again) -> again).thenRun(() -> results2.add(true)));
		}
		barrier.reset();
		assertThat(results1).hasSize(N - 1);
		assertThat(barrier.numberWaiting()).isEqualTo(N - 1); // they have re-arrived already
		tasks.add(barrier.await().thenRun(() -> results2.add(true)));
		assertAllSucceeded(tasks);
		assertThat(barrier.isBroken()).isFalse();
		assertThat(results1).hasSize(N - 1);
		assertThat(results2).hasSize(N);
		assertThat(barrier.numberWaiting()).isZero();
	}

	// test_reset_barrier_while_tasks_draining. CPython: the last party out resets when the others
	// are blocked outside (count 0), which is harmless. Here the others re-arrive as soon as they
	// resume and would be broken by that reset (see the test above); a reset with nobody in the new
	// round yet is the first party's, so the first one out resets. The counts are CPython's.
	@Test
	void resetBarrierWhileTasksDraining() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		List<Boolean> results1 = new ArrayList<>();
		List<Boolean> results2 = new ArrayList<>();
		List<Boolean> results3 = new ArrayList<>();
		int[] count = { 0 };
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().thenCompose((index) -> {
				count[0]++;
				if (count[0] == 1) {
					assertThat(barrier.numberWaiting()).isZero();
					barrier.reset();
					return barrier.await().thenAccept((second) -> { // wait here to reach the parties
					});
				}
				return barrier.await().<Void>handle((second, ex) -> { // second waiting
					(ex == null ? results1 : results2).add(true);
					return null;
				});
			}).thenCompose((ignored) -> barrier.await()).thenRun(() -> results3.add(true)));
		}
		assertAllSucceeded(tasks);
		assertThat(barrier.isBroken()).isFalse();
		assertThat(results1).hasSize(N - 1).containsOnly(true);
		assertThat(results2).isEmpty();
		assertThat(results3).hasSize(N);
		assertThat(barrier.numberWaiting()).isZero();
	}

	// test_abort_barrier
	@Test
	void abortBarrier() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", 1);
		barrier.abort();
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(barrier.isBroken()).isTrue();
		CompletableFuture<Integer> late = barrier.await();
		assertThat(failureOf(late)).isInstanceOf(BarrierBrokenException.class).hasMessage(ABORTED);
	}

	// test_abort_barrier_when_tasks_half_draining_half_blocking. CPython: the abort breaks the two
	// parties still draining (results1 == [True] * 2) and the two blocked re-arrivals (results2).
	// Here the released round is not reached (results1 empty); the two re-arrivals are broken as in
	// CPython.
	@Test
	void abortBarrierWhenTasksHalfDrainingHalfBlocking() {
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		int blockingTasks = N / 2;
		List<Boolean> results1 = new ArrayList<>();
		List<String> results2 = new ArrayList<>();
		int[] count = { 0 };
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(barrier.await().handle((index, ex) -> {
				if (ex != null) {
					results1.add(true);
					return CompletableFuture.<Void>completedFuture(null);
				}
				count[0]++;
				if (count[0] > blockingTasks) {
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
		AsyncBarrier barrier = AsyncBarrier.create("batch", N);
		List<Boolean> results1 = new ArrayList<>();
		List<String> results2 = new ArrayList<>();
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < N; i++) {
			tasks.add(passTwiceOrAbort(barrier, results1, results2));
		}
		assertAllSucceeded(tasks);
		assertThat(barrier.isBroken()).isTrue();
		assertThat(results1).isEmpty();
		// the two already waiting for the second round, then the two arriving after the abort
		assertThat(results2).containsExactly(ABORT_OR_RESET, ABORT_OR_RESET, ABORTED, ABORTED);
		assertThat(barrier.numberWaiting()).isZero();
	}

	// test_abort_barrier_when_exception_then_resetting (threading's test_abort_and_reset)
	@Test
	void abortBarrierWhenExceptionThenResetting() {
		AsyncBarrier barrier1 = AsyncBarrier.create("batch", N);
		AsyncBarrier barrier2 = AsyncBarrier.create("sync", N);
		List<Boolean> results1 = new ArrayList<>();
		List<String> results2 = new ArrayList<>();
		List<Boolean> results3 = new ArrayList<>();
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
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
				.thenRun(() -> results3.add(true)));
		}
		assertAllSucceeded(tasks);
		assertThat(barrier1.isBroken()).isFalse();
		assertThat(results1).isEmpty();
		assertThat(results2).hasSize(N - 1);
		assertThat(results3).hasSize(N);
		assertThat(barrier1.numberWaiting()).isZero();
	}

	/**
	 * CPython's {@code try: async with barrier as i: (if i == N // 2: raise RuntimeError); async
	 * with barrier: results1.append(True) except BrokenBarrierError: results2.append(True) except
	 * RuntimeError: await barrier.abort()}, recording the broken message in {@code results2}.
	 */
	private static CompletableFuture<Void> passTwiceOrAbort(AsyncBarrier barrier, List<Boolean> results1,
			List<String> results2) {
		return barrier.await().thenCompose((index) -> {
			if (index == N / 2) {
				throw new IllegalStateException("boom");
			}
			return barrier.await();
		}).handle((index, ex) -> {
			Throwable failure = unwrap(ex);
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
		assertThat(tasks).allSatisfy((task) -> assertThat(task).isCompleted());
	}

	/** The failure a completed future holds, unwrapped. */
	private static Throwable failureOf(CompletableFuture<?> future) {
		assertThat(future).isDone();
		return unwrap(future.handle((value, ex) -> ex).join());
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
