package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Hold;
import io.github.lockstep.Instrumented;
import io.github.lockstep.LockstepException;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.WaitOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis semaphore and lock on one instance: what SPEC §2 asks, as far as a network backend
 * can give it (a hand-off completes a moment after the release, not before it returns), and what
 * the Redis implementation adds: fencing tokens, the key layout, shape checks across instances.
 */
class RedisSemaphoreTests {

	private static final Duration WITHIN = Duration.ofSeconds(5);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	@Test
	void acquiresUpToThePermitsThenQueuesAndAReleaseHandsOff() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 2);
		assertThat(semaphore.acquire()).succeedsWithin(WITHIN);
		assertThat(semaphore.isLocked()).isFalse();
		assertThat(semaphore.tryAcquire()).isTrue();
		assertThat(semaphore.isLocked()).isTrue();
		assertThat(semaphore.availablePermits()).isZero();
		CompletableFuture<Void> waiter = semaphore.acquire();
		// counted as soon as it is sent, before Redis answers
		assertThat(semaphore.queueLength()).isEqualTo(1);
		this.cluster.awaitQueued("pool", 1);
		assertThat(waiter).isNotDone();
		assertThat(semaphore.queueLength()).isEqualTo(1);
		semaphore.release();
		assertThat(waiter).succeedsWithin(WITHIN);
		assertThat(semaphore.availablePermits()).isZero();
		assertThat(semaphore.queueLength()).isZero();
		semaphore.release();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(2);
		this.cluster.assertAllReturned("pool", 2);
	}

	@Test
	void releasesServeWaitersInArrivalOrder() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 0);
		List<Integer> order = new CopyOnWriteArrayList<>();
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			int position = i;
			// wait for the recording itself: a waiter's own dependents may run after allOf has seen it
			waiters.add(semaphore.acquire().thenRun(() -> order.add(position)));
		}
		for (int i = 0; i < 5; i++) {
			semaphore.release();
		}
		assertThat(CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new))).succeedsWithin(WITHIN);
		assertThat(order).containsExactly(0, 1, 2, 3, 4);
	}

	@Test
	void tryAcquireDoesNotPassAQueuedWaiter() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 0);
		CompletableFuture<Void> waiter = semaphore.acquire();
		this.cluster.awaitQueued("pool", 1);
		// a permit comes back while the waiter is queued: it is the waiter's, not the newcomer's
		semaphore.release();
		assertThat(semaphore.tryAcquire()).isFalse();
		assertThat(waiter).succeedsWithin(WITHIN);
	}

	@Test
	void cancelledWaiterLeavesTheQueueAndThePermitGoesToTheNext() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 0);
		CompletableFuture<Void> first = semaphore.acquire();
		CompletableFuture<Void> second = semaphore.acquire();
		this.cluster.awaitQueued("pool", 2);
		assertThat(first.cancel(false)).isTrue();
		assertThat(first).isCancelled();
		// gone as soon as it is withdrawn, before Redis answers
		assertThat(semaphore.queueLength()).isEqualTo(1);
		semaphore.release();
		assertThat(second).succeedsWithin(WITHIN);
		assertThat(semaphore.availablePermits()).isZero();
		semaphore.release();
		// a plain semaphore of 0 released twice, acquired once
		this.cluster.assertAllReturned("pool", 1);
	}

	@Test
	void cancelAfterTheGrantKeepsThePermitWithTheCaller() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 0);
		CompletableFuture<Void> waiter = semaphore.acquire();
		semaphore.release();
		assertThat(waiter).succeedsWithin(WITHIN);
		assertThat(waiter.cancel(false)).isFalse();
		assertThat(semaphore.availablePermits()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(1);
	}

	@Test
	void timedOutWaiterNeverHoldsAPermit() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 0);
		CompletableFuture<Void> timed = semaphore.acquire(Duration.ofMillis(100));
		assertThat(timed).failsWithin(WITHIN)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage("Semaphore 'pool': wait timed out after 100ms");
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(1);
		this.cluster.assertAllReturned("pool", 1);
	}

	@Test
	void zeroTimeoutDoesNotWait() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 1);
		assertThat(semaphore.acquire(Duration.ZERO)).succeedsWithin(WITHIN);
		assertThat(semaphore.acquire(Duration.ZERO)).failsWithin(WITHIN)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(AcquireTimeoutException.class);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void boundedSemaphoreRefusesOverRelease() {
		AsyncSemaphore semaphore = this.cluster.instance().bounded("payment-api", 2);
		assertThat(semaphore.isBounded()).isTrue();
		assertThat(semaphore.acquire()).succeedsWithin(WITHIN);
		semaphore.release();
		assertThatIllegalStateException().isThrownBy(semaphore::release)
			.withMessage("Semaphore 'payment-api': BoundedSemaphore released too many times");
		assertThat(semaphore.availablePermits()).isEqualTo(2);
	}

	@Test
	void plainSemaphoreMayBeReleasedAboveItsInitialValue() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 1);
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(2);
		assertThat(semaphore.isBounded()).isFalse();
	}

	@Test
	void lockReleasedWithoutBeingHeldFailsAsAsyncioDoes() {
		AsyncLock lock = this.cluster.instance().lock("inventory");
		assertThatIllegalStateException().isThrownBy(lock::release).withMessage("Lock 'inventory': Lock is not acquired.");
		assertThat(lock.acquire()).succeedsWithin(WITHIN);
		assertThat(lock.isLocked()).isTrue();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void negativePermitsAreRefusedNamingTheSemaphore() {
		RedisPrimitives instance = this.cluster.instance();
		assertThatIllegalArgumentException().isThrownBy(() -> instance.semaphore("pool", -1))
			.withMessage("Semaphore 'pool': initial value must be >= 0, but was -1");
	}

	@Test
	void instancesThatDisagreeOnTheShapeFailTheAcquisitionNamingBoth() {
		AsyncSemaphore five = this.cluster.instance().semaphore("pool", 5);
		AsyncSemaphore three = this.cluster.instance().bounded("pool", 3);
		assertThat(five.acquire()).succeedsWithin(WITHIN);
		assertThat(three.acquire()).failsWithin(WITHIN)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isExactlyInstanceOf(LockstepException.class)
			.withMessage("Semaphore 'pool': Redis already has 'pool' as a semaphore of 5 permits, but this instance"
					+ " asks for a bounded semaphore of 3 permits; give it the same definition on every instance,"
					+ " or another name");
		AsyncLock lock = this.cluster.instance().lock("pool");
		assertThatThrownBy(lock::tryAcquire).isExactlyInstanceOf(LockstepException.class)
			.hasMessageContaining("asks for a lock");
	}

	@Test
	void oneNameIsOnePrimitiveOnAnInstance() {
		RedisPrimitives instance = this.cluster.instance();
		instance.semaphore("pool", 2);
		assertThatIllegalArgumentException().isThrownBy(() -> instance.lock("pool"))
			.withMessage("Lock 'pool': this instance already has 'pool' as a semaphore of 2 permits; one name is one"
					+ " primitive");
	}

	@Test
	void holdsCarryFencingTokensThatGrowAcrossInstancesFromTheServerClock() {
		AsyncLock first = this.cluster.instance().lock("ledger");
		AsyncLock second = this.cluster.instance().lock("ledger");
		long serverMicros = Long.parseLong(redis.admin().time().get(0)) * 1_000_000;
		long previous = 0;
		for (int i = 0; i < 6; i++) {
			Hold hold = ((i % 2 == 0) ? first : second).acquireHold().join();
			assertThat(hold.fencingToken()).isGreaterThan(previous).isGreaterThanOrEqualTo(serverMicros);
			assertThat(hold.isValid()).isTrue();
			assertThat(hold.primitive().name()).isEqualTo("ledger");
			previous = hold.fencingToken();
			hold.release();
			assertThat(hold.isValid()).isFalse();
			assertThatIllegalStateException().isThrownBy(hold::release).withMessageContaining("already released");
		}
		this.cluster.assertAllReturned("ledger", 1);
	}

	@Test
	void holdOfASemaphoreReleasesItsOwnPermit() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 2);
		Hold first = semaphore.acquireHold().join();
		Hold second = semaphore.acquireHold().join();
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(semaphore.releaseAsync()).succeedsWithin(WITHIN); // the oldest: first's
		assertThat(second.releaseAsync()).succeedsWithin(WITHIN);
		assertThat(first.releaseAsync()).failsWithin(WITHIN).withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(IllegalStateException.class);
		this.cluster.assertAllReturned("pool", 2);
	}

	@Test
	void asynchronousFormsAnswerOnceRedisHas() {
		AsyncLock lock = this.cluster.instance().lock("inventory");
		assertThat(lock.tryAcquireAsync()).succeedsWithin(WITHIN).isEqualTo(true);
		assertThat(lock.tryAcquireAsync()).succeedsWithin(WITHIN).isEqualTo(false);
		assertThat(lock.state().locked()).hasValue(true);
		assertThat(lock.releaseAsync()).succeedsWithin(WITHIN);
		assertThat(lock.state().locked()).hasValue(false);
		assertThat(lock.releaseAsync()).failsWithin(WITHIN).withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Lock 'inventory': Lock is not acquired.");
	}

	@Test
	void releaseOfAHoldDoesNotWaitForRedisAndTheInstancesNextCallsComeAfterIt() throws Exception {
		AsyncLock lock = this.cluster.instance().lock("inventory");
		AsyncLock other = this.cluster.instance().lock("inventory");
		assertThat(lock.acquire()).succeedsWithin(WITHIN);
		// scripts write, so Redis holds them back; reads by other clients still run
		redis.pauseWrites(Duration.ofSeconds(10));
		try {
			lock.release();
			// release() returned before Redis ran the release: Redis still counts the lock as held
			assertThat(this.cluster.field("inventory", "avail")).isEqualTo("0");
			assertThat(lock.isLocked()).as("this instance's view counts the release at once").isFalse();
			CompletableFuture<Void> again = lock.acquire();
			CompletableFuture<Boolean> elsewhere = other.tryAcquireAsync();
			assertThat(again).isNotDone();
			redis.unpause();
			// the acquire sent after the release on the same connection finds the lock free
			assertThat(again).succeedsWithin(WITHIN);
			assertThat(elsewhere).succeedsWithin(WITHIN).isEqualTo(false);
		}
		finally {
			redis.unpause();
		}
		lock.release();
		this.cluster.assertAllReturned("inventory", 1);
	}

	@Test
	void aLossThatRedisReportsToAReleaseNotWaitedForIsReportedOnTheHoldAndCounted() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		AsyncLock lock = instance.lock("ledger");
		Hold held = lock.acquireHold().get(5, TimeUnit.SECONDS);
		// Redis loses the data behind the instance's back (a restart without persistence would)
		redis.admin().del(this.cluster.key("ledger", "m"), this.cluster.key("ledger", "h"),
				this.cluster.key("ledger", "o"));
		held.release();
		assertThat(held.lost()).succeedsWithin(WITHIN)
			.satisfies((lost) -> assertThat(lost.fencingToken()).isEqualTo(held.fencingToken()));
		Cluster.await(() -> instance.lostLeases() == 1, WITHIN, () -> "the lost lease counted");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void keepsItsStateUnderOneHashTag() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("payment-api", 1);
		assertThat(semaphore.acquire()).succeedsWithin(WITHIN);
		CompletableFuture<Void> waiter = semaphore.acquire();
		this.cluster.awaitQueued("payment-api", 1);
		assertThat(redis.admin().keys("*" + this.cluster.prefix() + "*"))
			.allMatch((key) -> key.startsWith("{" + this.cluster.prefix() + ":payment-api}:"))
			.contains(this.cluster.key("payment-api", "m"), this.cluster.key("payment-api", "q"),
					this.cluster.key("payment-api", "h"), this.cluster.key("payment-api", "o"),
					this.cluster.key("payment-api", "l"));
		waiter.cancel(false);
		semaphore.release();
	}

	@Test
	void blockingCallsAreRefusedInsideAContinuation() {
		RedisPrimitives instance = this.cluster.instance();
		AsyncLock lock = instance.lock("a");
		AsyncLock other = instance.lock("b");
		// "a" is held elsewhere, so the continuation below runs when the grant arrives, not at once
		AsyncLock elsewhere = this.cluster.instance().lock("a");
		assertThat(elsewhere.acquire()).succeedsWithin(WITHIN);
		assertThat(other.acquire()).succeedsWithin(WITHIN);
		CompletableFuture<Void> queued = other.acquire();
		CompletableFuture<Void> granted = lock.acquire();
		assertThat(granted).isNotDone();
		CompletableFuture<List<String>> refusals = granted.thenApply((held) -> {
			List<String> failures = new ArrayList<>();
			for (Runnable call : List.<Runnable>of(other::tryAcquire, queued::join)) {
				try {
					call.run();
				}
				catch (IllegalStateException ex) {
					failures.add(ex.getMessage());
				}
			}
			lock.release(); // never blocks: sent from here, answered later
			return failures;
		});
		elsewhere.release();
		assertThat(refusals).succeedsWithin(WITHIN).satisfies((failures) -> assertThat(failures).hasSize(2));
		assertThat(queued).isNotDone();
		other.release();
		assertThat(queued).succeedsWithin(WITHIN);
		other.release();
		this.cluster.assertAllReturned("a", 1);
		this.cluster.assertAllReturned("b", 1);
	}

	@Test
	void interruptedJoinGivesUpThePlace() throws InterruptedException {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 0);
		CompletableFuture<Void> waiter = semaphore.acquire();
		Thread current = Thread.currentThread();
		Thread interrupter = new Thread(() -> {
			this.cluster.awaitQueued("pool", 1);
			current.interrupt();
		});
		interrupter.start();
		assertThatThrownBy(waiter::join).isInstanceOf(java.util.concurrent.CancellationException.class);
		assertThat(Thread.interrupted()).isTrue();
		interrupter.join();
		semaphore.release();
		this.cluster.assertAllReturned("pool", 1);
	}

	@Test
	void withPermitLimitsConcurrentActionsAndReleasesEach() {
		AsyncSemaphore semaphore = this.cluster.instance().semaphore("pool", 2);
		List<CompletableFuture<String>> works = new ArrayList<>();
		List<CompletableFuture<String>> results = new ArrayList<>();
		List<Integer> started = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 4; i++) {
			CompletableFuture<String> work = new CompletableFuture<>();
			works.add(work);
			int index = i;
			results.add(semaphore.withPermit(() -> {
				started.add(index);
				return work;
			}));
		}
		Cluster.await(() -> started.size() == 2, WITHIN, () -> "two started: " + started);
		works.get(started.get(0)).complete("a");
		Cluster.await(() -> started.size() == 3, WITHIN, () -> "a third started: " + started);
		works.forEach((work) -> work.complete("done"));
		assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))).succeedsWithin(WITHIN);
		this.cluster.assertAllReturned("pool", 2);
	}

	@Test
	void probeHearsOfWaitsAndALocksHoldsAndAThrowingProbeChangesNothing() {
		AsyncLock lock = this.cluster.instance().lock("ledger");
		List<String> events = new CopyOnWriteArrayList<>();
		((Instrumented) lock).probe(new PrimitiveProbe() {
			@Override
			public long waitStarted() {
				events.add("wait");
				throw new IllegalStateException("a broken meter");
			}

			@Override
			public void waitEnded(long started, WaitOutcome outcome) {
				events.add(outcome.name());
			}

			@Override
			public long holdStarted() {
				events.add("hold");
				return 0;
			}

			@Override
			public void holdEnded(long started) {
				events.add("held");
			}
		});
		assertThat(lock.acquire()).succeedsWithin(WITHIN);
		CompletableFuture<Void> timed = lock.acquire(Duration.ofMillis(200));
		assertThat(timed).failsWithin(WITHIN);
		CompletableFuture<Void> waiter = lock.acquire();
		Cluster.await(() -> events.size() == 4, WITHIN, () -> "queued: " + events);
		lock.release();
		assertThat(waiter).succeedsWithin(WITHIN);
		lock.release();
		assertThat(events).containsExactly("hold", "wait", "TIMEOUT", "wait", "held", "hold", "ACQUIRED", "held");
	}

	@Test
	void closingAnInstancePassesItsHoldsOnAtOnceAndFailsItsWaits() {
		RedisPrimitives leaving = this.cluster.instance();
		AsyncSemaphore mine = leaving.semaphore("pool", 1);
		AsyncSemaphore theirs = this.cluster.instance().semaphore("pool", 1);
		assertThat(mine.acquire()).succeedsWithin(WITHIN);
		CompletableFuture<Void> waiter = theirs.acquire();
		this.cluster.awaitQueued("pool", 1);
		CompletableFuture<Void> alsoMine = mine.acquire();
		long closed = System.nanoTime();
		leaving.close();
		assertThat(alsoMine).isCompletedExceptionally();
		assertThat(waiter).succeedsWithin(WITHIN);
		assertThat(Duration.ofNanos(System.nanoTime() - closed)).as("sooner than the lease").isLessThan(Cluster.LEASE);
		assertThatIllegalStateException().isThrownBy(mine::acquire).withMessage("Semaphore 'pool': the RedisPrimitives are closed");
		theirs.release();
		this.cluster.assertAllReturned("pool", 1);
	}

}
