package io.github.lockstep.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * Another instance of the service, in a JVM of its own, for the tests that kill one while it waits
 * at a barrier or on a condition: arrives (or waits, having taken the condition's lock), prints
 * {@code WAITING}, and waits until it is killed (or for a minute at most).
 *
 * <p>Arguments: port, key prefix, {@code barrier} or {@code condition}, name, parties (barrier),
 * lease in milliseconds.
 */
public final class SyncPeerMain {

	private SyncPeerMain() {
	}

	public static void main(String[] args) throws Exception {
		Thread limit = new Thread(() -> {
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				return;
			}
			System.exit(3);
		});
		limit.setDaemon(true);
		limit.start();
		RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1")
			.withPort(Integer.parseInt(args[0])).withTimeout(Duration.ofSeconds(2)).build());
		RedisPrimitives primitives = RedisPrimitives.create(client, RedisPrimitivesOptions.defaults()
			.withKeyPrefix(args[1]).withLease(Duration.ofMillis(Long.parseLong(args[5]))));
		CompletableFuture<?> waiting;
		if ("barrier".equals(args[2])) {
			waiting = primitives.barrier(args[3], Integer.parseInt(args[4])).await();
		}
		else {
			var condition = primitives.condition(args[3]);
			condition.acquire().get();
			waiting = condition.await();
		}
		System.out.println("WAITING " + waiting.isDone());
		System.out.flush();
		// wait until killed: the parent never writes, and closes the pipe only if it dies itself
		System.in.read();
		System.exit(2);
	}

}
