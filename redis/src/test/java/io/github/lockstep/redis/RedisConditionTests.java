package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The condition across instances (each a {@link RedisPrimitives} on a client of its own) and when
 * things go wrong: a signalled waiter's instance dies, a dead waiter, lost announcements.
 */
class RedisConditionTests {

	/** A lease of 1 s is renewed every 333 ms: a dead waiter or a lost message is dealt with well within this. */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	@Test
	void signalWakesExactlyThatManyWaitersAcrossInstancesTheFirstToWait() throws Exception {
		List<AsyncCondition> conditions = List.of(condition(this.cluster.instance()), condition(this.cluster.instance()),
				condition(this.cluster.instance()));
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		List<Integer> woken = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			AsyncCondition condition = conditions.get(i % 3);
			condition.acquire().get(5, TimeUnit.SECONDS);
			int me = i;
			CompletableFuture<Void> waiter = condition.await();
			// each woken waiter holds the lock: it notes its turn and gives the lock back
			waiter.thenRun(() -> {
				synchronized (woken) {
					woken.add(me);
				}
				condition.releaseAsync();
			});
			waiters.add(waiter);
			awaitWaiting(i + 1);
		}
		AsyncCondition signaller = conditions.get(0);
		signaller.acquire().get(5, TimeUnit.SECONDS);
		signaller.signal(4);
		assertThat(redis.admin().zcard(this.cluster.key("account", "c:account:w"))).isEqualTo(2);
		signaller.release();
		Cluster.await(() -> {
			synchronized (woken) {
				return woken.size() == 4;
			}
		}, RECOVERY, () -> "4 woken: " + woken);
		// every signal used (none left to wake anyone), and the lock free again
		Cluster.await(() -> redis.admin().zcard(this.cluster.key("account", "c:account:s")) == 0
				&& redis.admin().zcard(this.cluster.key("account", "h")) == 0, RECOVERY, () -> "signals used");
		synchronized (woken) {
			// the four that waited first; they re-acquire the lock in the order their signals reach them
			assertThat(woken).containsExactlyInAnyOrder(0, 1, 2, 3);
		}
		assertThat(waiters.subList(4, 6)).noneMatch(CompletableFuture::isDone);
		assertThat(conditions.get(1).queueLength() + conditions.get(2).queueLength()).isEqualTo(2);
	}

	@Test
	void aSignalledWaiterWhoseInstanceDiesPassesTheSignalOn() throws Exception {
		RedisPrimitives dying = this.cluster.instance();
		AsyncCondition there = condition(dying);
		AsyncCondition here = condition(this.cluster.instance());
		AsyncCondition signaller = condition(this.cluster.instance());
		there.acquire().get(5, TimeUnit.SECONDS);
		CompletableFuture<Void> doomed = there.await();
		awaitWaiting(1);
		here.acquire().get(5, TimeUnit.SECONDS);
		CompletableFuture<Void> waiting = here.await();
		awaitWaiting(2);
		signaller.acquire().get(5, TimeUnit.SECONDS);
		signaller.signal(1);
		// the dying instance's waiter got the signal and queues for the lock the signaller holds
		this.cluster.awaitQueued("account", 1);
		assertThat(here.queueLength()).isEqualTo(1);
		dying.engine().crash();
		signaller.release();
		assertThat(waiting).succeedsWithin(RECOVERY);
		assertThat(doomed).isNotDone();
		here.release();
		// the waiter told Redis it used the signal on the command connection; the admin asks on another
		Cluster.await(() -> redis.admin().zcard(this.cluster.key("account", "c:account:s")) == 0, RECOVERY,
				() -> "the passed-on signal used");
	}

	@Test
	void aDeadWaiterDoesNotTakeASignal() throws Exception {
		RedisPrimitives dying = this.cluster.instance();
		AsyncCondition there = condition(dying);
		AsyncCondition here = condition(this.cluster.instance());
		there.acquire().get(5, TimeUnit.SECONDS);
		there.await();
		awaitWaiting(1);
		dying.engine().crash();
		here.acquire().get(5, TimeUnit.SECONDS);
		CompletableFuture<Void> waiting = here.await();
		here.acquire().get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
		here.signal(1);
		here.release();
		assertThat(waiting).succeedsWithin(RECOVERY);
		here.release();
	}

	@Test
	void lostAnnouncementsAreMadeUpByTheRenewal() throws Exception {
		RedisPrimitives deaf = this.cluster.instance();
		AtomicInteger dropped = new AtomicInteger();
		deaf.engine().link.dropMessage = (message) -> message.startsWith("!c ") && dropped.incrementAndGet() > 0;
		AsyncCondition there = condition(deaf);
		AsyncCondition here = condition(this.cluster.instance());
		there.acquire().get(5, TimeUnit.SECONDS);
		CompletableFuture<Void> waiting = there.await();
		awaitWaiting(1);
		here.acquire().get(5, TimeUnit.SECONDS);
		here.signal();
		here.release();
		assertThat(waiting).succeedsWithin(RECOVERY);
		assertThat(dropped).hasValue(1);
		there.release();
	}

	/**
	 * A wait's release hands the lock to an acquirer queued behind it: the lock stays locked. The
	 * condition took the wait's unanswered release off the lock's snapshot, which had taken it off
	 * already, and said unlocked until Redis answered.
	 */
	@Test
	void aWaitThatHandsTheLockToAQueuedAcquirerLeavesItLocked() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		AsyncCondition condition = condition(instance);
		condition.acquire().get(5, TimeUnit.SECONDS);
		CompletableFuture<Void> next = condition.acquire();
		this.cluster.awaitQueued("account", 1);
		Cluster.roundTrip(instance);
		CompletableFuture<Void> waiting = condition.await();
		assertThat(condition.isLocked()).as("locked, by the acquirer the wait handed it to").isTrue();
		assertThat(next).succeedsWithin(RECOVERY);
		assertThat(condition.isLocked()).isTrue();
		condition.release();
		assertThat(waiting).isNotDone();
	}

	private static AsyncCondition condition(RedisPrimitives instance) {
		return instance.condition("account");
	}

	/** Waits until Redis has {@code count} waits not yet signalled. */
	private void awaitWaiting(int count) {
		Cluster.await(() -> redis.admin().zcard(this.cluster.key("account", "c:account:w")) == count, RECOVERY,
				() -> count + " waiting in Redis");
	}

}
