package io.github.lockstep.redis;

import java.time.Duration;

import io.github.lockstep.Hold;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * Another instance of the service, in a JVM of its own, for the tests that kill one: takes a
 * permit, prints {@code HELD <fencing token>}, and holds it until it is killed (or for a minute
 * at most, so that a test that forgets it leaves nothing behind).
 *
 * <p>Arguments: port, key prefix, semaphore name, permits, lease in milliseconds, and optionally
 * {@code queue}: then it only asks for a permit, prints {@code QUEUED}, and waits until killed.
 */
public final class PeerMain {

	private PeerMain() {
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
			.withKeyPrefix(args[1]).withLease(Duration.ofMillis(Long.parseLong(args[4]))));
		if (args.length > 5 && "queue".equals(args[5])) {
			// wait instead: the place in the queue is what dies with this JVM
			primitives.bounded(args[2], Integer.parseInt(args[3])).acquire();
			System.out.println("QUEUED");
		}
		else {
			Hold hold = primitives.bounded(args[2], Integer.parseInt(args[3])).acquireHold().get();
			System.out.println("HELD " + hold.fencingToken());
		}
		System.out.flush();
		// hold until killed: the parent never writes, and closes the pipe only if it dies itself
		System.in.read();
		System.exit(2);
	}

}
