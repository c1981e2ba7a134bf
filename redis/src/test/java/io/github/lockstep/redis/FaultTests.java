package io.github.lockstep.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Hold;
import io.github.lockstep.LeaseLostException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What happens when things go wrong: an instance killed, paused or cut off, Redis restarted or
 * unreachable, connections killed, messages lost. After each, no permit has been granted twice
 * and none is lost. All on loopback; every wait is bounded.
 */
class FaultTests {

	/** A lease of 1 s is renewed every 333 ms; a dead instance's permit must be back well within this. */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	/** For the hammer, which must not lose a hold to a renewal that a loaded machine delays. */
	@RegisterExtension
	final Cluster longLease = new Cluster(redis, Duration.ofSeconds(5));

	@Test
	void aKilledInstanceLosesItsPermitWithinTheLeaseAndTheNextWaiterGetsIt() throws Exception {
		Process peer = startPeer("pool", 1);
		try {
			long peerToken = Long.parseLong(readLine(peer).substring("HELD ".length()));
			AsyncSemaphore semaphore = this.cluster.instance().bounded("pool", 1);
			CompletableFuture<Hold> waiter = semaphore.acquireHold();
			this.cluster.awaitQueued("pool", 1);
			// the peer keeps renewing: its permit stays its own for longer than a lease
			assertThat(waiter).failsWithin(Cluster.LEASE.multipliedBy(2)).withThrowableOfType(java.util.concurrent.TimeoutException.class);
			long killed = System.nanoTime();
			peer.destroyForcibly();
			assertThat(peer.waitFor(10, TimeUnit.SECONDS)).isTrue();
			Hold hold = waiter.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
			Duration recovered = Duration.ofNanos(System.nanoTime() - killed);
			assertThat(recovered).isLessThan(Cluster.LEASE.plus(Cluster.LEASE.dividedBy(3)).plusSeconds(1));
			assertThat(hold.fencingToken()).isGreaterThan(peerToken);
			hold.release();
			this.cluster.assertAllReturned("pool", 1);
		}
		finally {
			peer.destroyForcibly();
		}
	}

	@Test
	void aKilledInstanceLosesItsQueuePlaceWithinTheLeaseAndThePermitSkipsIt() throws Exception {
		// a lease of 5 s: the holder and the peer, a JVM just started, must not lose theirs to a loaded machine
		AsyncSemaphore holder = this.longLease.instance().bounded("pool", 1);
		Hold held = holder.acquireHold().get(5, TimeUnit.SECONDS);
		Process peer = startPeer(this.longLease, "pool", 1, "queue");
		try {
			readLine(peer, "QUEUED");
			this.longLease.awaitQueued("pool", 1);
			CompletableFuture<Hold> waiter = this.longLease.instance().bounded("pool", 1).acquireHold();
			this.longLease.awaitQueued("pool", 2);
			long killed = System.nanoTime();
			peer.destroyForcibly();
			assertThat(peer.waitFor(10, TimeUnit.SECONDS)).isTrue();
			// the living instances' renewals reap the dead one's place
			Cluster.await(() -> redis.admin().zcard(this.longLease.key("pool", "q")) == 1,
					this.longLease.lease().multipliedBy(3), () -> "the dead instance's place reaped");
			Duration reaped = Duration.ofNanos(System.nanoTime() - killed);
			assertThat(reaped).isLessThan(this.longLease.lease().plus(this.longLease.lease().dividedBy(3)).plusSeconds(1));
			assertThat(waiter).isNotDone();
			held.release();
			Hold next = waiter.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
			next.release();
			this.longLease.assertAllReturned("pool", 1);
		}
		finally {
			peer.destroyForcibly();
		}
	}

	/**
	 * Another call of the stalled instance, sent after its lease ran out, takes the lease up again
	 * in Redis (and its reply confirms it): that does not cover the hold from before, which Redis
	 * reaped and gave on. Its release still waits for Redis and throws, before the renewal finds it.
	 */
	/** A hold of {@code lock} on {@code instance}, reaped after its renewal stalled, and {@code granted} to {@code other}. */
	private record Stalled(RedisPrimitives instance, AsyncLock lock, Hold held, AsyncLock other, Hold granted) {
	}

	/**
	 * One instance holds the lock and another queues for it; the first's renewal is paused (it
	 * stays paused) until Redis has reaped its hold and given the lock to the second.
	 */
	private Stalled stallUntilTheHoldIsGivenOn() throws Exception {
		RedisPrimitives stalled = this.cluster.instance();
		AsyncLock first = stalled.lock("ledger");
		AsyncLock second = this.cluster.instance().lock("ledger");
		Hold held = first.acquireHold().get(5, TimeUnit.SECONDS);
		CompletableFuture<Hold> next = second.acquireHold();
		stalled.engine().renewal.paused = true;
		Hold granted = next.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
		return new Stalled(stalled, first, held, second, granted);
	}

	@Test
	void aLeaseTakenUpAgainByALaterCallDoesNotCoverTheHoldItLost() throws Exception {
		Stalled stalled = stallUntilTheHoldIsGivenOn();
		// a try on the same lock renews the stalled instance's lease in Redis and is refused
		assertThat(stalled.lock().tryAcquireAsync()).succeedsWithin(RECOVERY).isEqualTo(false);
		assertThat(stalled.held().isValid()).isFalse();
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(stalled.held()::release)
			.withMessageContaining("fencing token " + stalled.held().fencingToken());
		stalled.instance().engine().renewal.paused = false;
		assertThat(stalled.other().isLocked()).isTrue();
		stalled.granted().release();
		this.cluster.assertAllReturned("ledger", 1);
	}

	@Test
	void aHoldWhoseLeaseRunsOutIsReportedLostAndTheNextHolderHasAHigherToken() throws Exception {
		Stalled stalledHold = stallUntilTheHoldIsGivenOn();
		RedisPrimitives stalled = stalledHold.instance();
		AsyncLock second = stalledHold.other();
		Hold held = stalledHold.held();
		Hold granted = stalledHold.granted();
		// by the time Redis gave the lock on, the stalled instance no longer counts its hold as valid
		assertThat(held.isValid()).isFalse();
		assertThat(granted.isValid()).isTrue();
		assertThat(granted.fencingToken()).isGreaterThan(held.fencingToken());
		stalled.engine().renewal.paused = false;
		LeaseLostException lost = held.lost().toCompletableFuture().get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(lost.fencingToken()).isEqualTo(held.fencingToken());
		assertThat(lost).hasMessageStartingWith("Lock 'ledger': the hold with fencing token " + held.fencingToken()
				+ " lost its lease");
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(held::release);
		assertThat(stalled.lostLeases()).isEqualTo(1);
		assertThat(second.isLocked()).isTrue();
		granted.release();
		this.cluster.assertAllReturned("ledger", 1);
	}

	@Test
	void lostGrantAnnouncementsAreMadeUpByTheRenewal() throws Exception {
		RedisPrimitives deaf = this.cluster.instance();
		AtomicInteger dropped = new AtomicInteger();
		deaf.engine().link.dropMessage = (message) -> dropped.incrementAndGet() > 0;
		AsyncSemaphore holder = this.cluster.instance().semaphore("pool", 1);
		AsyncSemaphore waiting = deaf.semaphore("pool", 1);
		assertThat(holder.acquire()).succeedsWithin(RECOVERY);
		CompletableFuture<Void> waiter = waiting.acquire();
		this.cluster.awaitQueued("pool", 1);
		holder.release();
		assertThat(waiter).succeedsWithin(RECOVERY);
		assertThat(dropped).hasValue(1);
		waiting.release();
		this.cluster.assertAllReturned("pool", 1);
	}

	@Test
	void aKilledSubscriptionIsReconciledWhenItComesBack() throws Exception {
		AsyncSemaphore holder = this.cluster.instance().semaphore("pool", 1);
		AsyncSemaphore waiting = this.cluster.instance().semaphore("pool", 1);
		assertThat(holder.acquire()).succeedsWithin(RECOVERY);
		CompletableFuture<Void> waiter = waiting.acquire();
		this.cluster.awaitQueued("pool", 1);
		assertThat(redis.admin().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub())).isEqualTo(2);
		holder.release(); // announced while the subscriber reconnects, most likely to nobody
		assertThat(waiter).succeedsWithin(RECOVERY);
		waiting.release();
		this.cluster.assertAllReturned("pool", 1);
	}

	@Test
	void killedConnectionsUnderLoadNeitherDuplicateNorLoseAPermit() throws Exception {
		List<RedisPrimitives> instances = List.of(this.longLease.instance(), this.longLease.instance());
		Hammer hammer = new Hammer(2);
		for (RedisPrimitives instance : instances) {
			hammer.start((PermitPrimitive) instance.bounded("pool", 2), 3, 300);
		}
		int kills = 0;
		for (int i = 0; i < 6 && !hammer.isDone(); i++) {
			// kill only connections that are up and subscribed again, while the hammer runs
			Cluster.await(() -> instances.stream().allMatch((instance) -> instance.engine().link.isConnected())
					&& redis.clients(true) == instances.size() && redis.clients(false) == instances.size(), RECOVERY,
					() -> "reconnected and resubscribed");
			long before = hammer.granted();
			io.lettuce.core.KillArgs kill = (i % 2 == 0) ? io.lettuce.core.KillArgs.Builder.typeNormal().skipme()
					: io.lettuce.core.KillArgs.Builder.typePubsub();
			assertThat(redis.admin().clientKill(kill)).as("connections killed").isPositive();
			kills++;
			Cluster.await(() -> hammer.granted() > before || hammer.isDone(), RECOVERY, () -> "grants go on after a kill");
		}
		assertThat(kills).as("kills while the hammer ran").isGreaterThanOrEqualTo(2);
		hammer.join(Duration.ofSeconds(60));
		hammer.assertSafe();
		this.longLease.assertAllReturned("pool", 2);
	}

	@Test
	void aRedisRestartLosesTheHoldsWhichAreReportedAndTheQueueIsRebuilt() throws Exception {
		RedisPrimitives holding = this.cluster.instance();
		AsyncLock first = holding.lock("ledger");
		AsyncLock second = this.cluster.instance().lock("ledger");
		Hold held = first.acquireHold().get(5, TimeUnit.SECONDS);
		CompletableFuture<Hold> next = second.acquireHold();
		this.cluster.awaitQueued("ledger", 1);
		redis.kill();
		redis.restart();
		// Redis forgot both: the holder learns its hold is lost, the waiter queues again and gets it
		LeaseLostException lost = held.lost().toCompletableFuture().get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(lost.fencingToken()).isEqualTo(held.fencingToken());
		Hold granted = next.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(granted.fencingToken()).as("tokens grow across the restart").isGreaterThan(held.fencingToken());
		assertThat(redis.admin().zcard(this.cluster.key("ledger", "h"))).isEqualTo(1);
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(held::release);
		granted.release();
		this.cluster.assertAllReturned("ledger", 1);
	}

	@Test
	void redisUnreachableAtStartupFailsAcquisitionsByNameUntilItIsThere() throws Exception {
		int port = RedisServer.freePort();
		RedisServer late = new RedisServer();
		RedisClient client = RedisClient.create(io.lettuce.core.RedisURI.builder().withHost("127.0.0.1").withPort(port)
			.withTimeout(Duration.ofSeconds(1)).build());
		try (RedisPrimitives instance = RedisPrimitives.create(client, this.cluster.options())) {
			AsyncSemaphore semaphore = instance.semaphore("pool", 1);
			assertThat(semaphore.acquire()).failsWithin(RECOVERY)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(RedisUnavailableException.class)
				.withMessageStartingWith("Semaphore 'pool': Redis unavailable (not connected to Redis");
			assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(semaphore::tryAcquire);
			late.startOn(port);
			Cluster.await(instance.engine().link::isConnected, RECOVERY, () -> "connected once Redis is there");
			assertThat(semaphore.acquire()).succeedsWithin(RECOVERY);
			semaphore.release();
		}
		finally {
			client.shutdown();
			late.afterAll(null);
		}
	}

	@Test
	void redisDownMidWaitFailsNewCallsAfterTheCommandTimeoutWhileQueuedWaitersKeepTheirDeadline()
			throws Exception {
		AsyncSemaphore holder = this.cluster.instance().semaphore("pool", 1);
		AsyncSemaphore waiting = this.cluster.instance(Duration.ofSeconds(1)).semaphore("pool", 1);
		Hold held = holder.acquireHold().get(5, TimeUnit.SECONDS);
		long queuedAt = System.nanoTime();
		CompletableFuture<Void> timed = waiting.acquire(Duration.ofSeconds(4));
		this.cluster.awaitQueued("pool", 1);
		// answered after the acquisition on the same connection: the instance knows it is queued
		assertThat(waiting.tryAcquire()).isFalse();
		redis.kill();
		try {
			long asked = System.nanoTime();
			assertThat(waiting.acquire()).failsWithin(RECOVERY)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(RedisUnavailableException.class)
				.withMessageStartingWith("Semaphore 'pool': Redis unavailable");
			// at once if the client already knows the connection is gone, else after its command timeout
			assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("within the command timeout")
				.isLessThan(Duration.ofMillis(2500));
			assertThat(timed).as("a queued waiter keeps its own deadline").isNotDone();
			assertThat(timed).failsWithin(RECOVERY)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(AcquireTimeoutException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - queuedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(3900));
		}
		finally {
			redis.restart();
		}
		// the data went with the server: the hold is reported lost, and the permits are whole again
		assertThat(held.lost().toCompletableFuture()).succeedsWithin(RECOVERY);
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(held::release);
		this.cluster.assertAllReturned("pool", 1);
	}

	@Test
	void aCallRedisDoesNotAnswerFailsAfterTheCommandTimeoutEvenWithLettucesOwnTimeoutsOff() throws Exception {
		RedisClient client = redis.client(Duration.ofSeconds(1));
		client.setOptions(ClientOptions.builder()
			.timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
			.build());
		try (RedisPrimitives instance = RedisPrimitives.create(client, this.cluster.options())) {
			AsyncSemaphore semaphore = instance.semaphore("pool", 1);
			semaphore.acquire().get(5, TimeUnit.SECONDS);
			semaphore.release();
			redis.pauseWrites(Duration.ofSeconds(10));
			try {
				long asked = System.nanoTime();
				assertThat(semaphore.acquire()).failsWithin(RECOVERY)
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOf(RedisUnavailableException.class)
					.withMessageStartingWith("Semaphore 'pool': Redis unavailable");
				assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("after the command timeout, not Redis's pause")
					.isBetween(Duration.ofMillis(900), Duration.ofMillis(4000));
			}
			finally {
				redis.unpause();
			}
			// Redis ran the acquisition once unpaused; the instance withdrew it, so the permit comes back
			this.cluster.assertAllReturned("pool", 1);
		}
	}

	private Process startPeer(String name, int permits) throws Exception {
		return startPeer(this.cluster, name, permits);
	}

	private Process startPeer(Cluster instances, String name, int permits, String... mode) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				PeerMain.class.getName(), Integer.toString(redis.port()), instances.prefix(), name,
				Integer.toString(permits), Long.toString(instances.lease().toMillis())));
		command.addAll(List.of(mode));
		return new ProcessBuilder(command)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private static String readLine(Process process) throws Exception {
		return readLine(process, "HELD ");
	}

	private static String readLine(Process process, String expected) throws Exception {
		BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = CompletableFuture.supplyAsync(() -> {
			try {
				return reader.readLine();
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}).get(30, TimeUnit.SECONDS);
		assertThat(line).as("the peer's first line").startsWith(expected);
		return line;
	}

}
