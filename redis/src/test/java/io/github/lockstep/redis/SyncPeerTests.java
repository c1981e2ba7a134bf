package io.github.lockstep.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.BarrierBrokenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second JVM ({@link SyncPeerMain}) waits at a barrier or on a condition and is killed: its
 * party breaks the round within the lease, and a signal it was given goes on to the next waiter.
 */
class SyncPeerTests {

	private static final Duration RECOVERY = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	@Test
	void aKilledJvmsPartyBreaksTheRoundWithinTheLease() throws Exception {
		Process peer = startPeer("barrier", "batch", 3);
		try {
			assertThat(readLine(peer)).isEqualTo("WAITING false");
			AsyncBarrier barrier = this.cluster.instance().barrier("batch", 3);
			CompletableFuture<Integer> waiting = barrier.await();
			Cluster.await(() -> redis.admin().zcard(this.cluster.key("batch", "b:a")) == 2, RECOVERY, () -> "2 arrivals");
			// the peer renews: the round waits for its third party, for longer than a lease (a timed get
			// of the wait itself would give it up: its copy is asked instead)
			assertThat(waiting.copy()).failsWithin(Cluster.LEASE.multipliedBy(2))
				.withThrowableOfType(java.util.concurrent.TimeoutException.class);
			peer.destroyForcibly();
			assertThat(peer.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(waiting).failsWithin(RECOVERY)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(BarrierBrokenException.class)
				.withMessageContaining("a party's instance lost its lease");
			assertThat(barrier.isBroken()).isTrue();
		}
		finally {
			peer.destroyForcibly();
		}
	}

	@Test
	void aKilledJvmsSignalGoesToTheNextWaiter() throws Exception {
		Process peer = startPeer("condition", "account", 0);
		try {
			assertThat(readLine(peer)).isEqualTo("WAITING false");
			Cluster.await(() -> redis.admin().zcard(this.cluster.key("account", "c:account:w")) == 1, RECOVERY,
					() -> "the peer waits");
			AsyncCondition condition = this.cluster.instance().condition("account");
			condition.acquire().get(10, TimeUnit.SECONDS);
			CompletableFuture<Void> waiting = condition.await();
			Cluster.await(() -> redis.admin().zcard(this.cluster.key("account", "c:account:w")) == 2, RECOVERY,
					() -> "both wait");
			peer.destroyForcibly();
			assertThat(peer.waitFor(10, TimeUnit.SECONDS)).isTrue();
			// the peer's wait is first in line: this signal goes to it, then on to the next once it is reaped
			condition.acquire().get(10, TimeUnit.SECONDS);
			condition.signal();
			condition.release();
			assertThat(waiting).succeedsWithin(RECOVERY);
			condition.release();
		}
		finally {
			peer.destroyForcibly();
		}
	}

	private Process startPeer(String kind, String name, int parties) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SyncPeerMain.class.getName(),
				Integer.toString(redis.port()), this.cluster.prefix(), kind, name, Integer.toString(parties),
				Long.toString(Cluster.LEASE.toMillis()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private static String readLine(Process process) throws Exception {
		BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		return CompletableFuture.supplyAsync(() -> {
			try {
				return reader.readLine();
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}).get(30, TimeUnit.SECONDS);
	}

}
