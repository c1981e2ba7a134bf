package io.github.lockstep.benchmarks;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.redis.RedisPrimitives;
import io.github.lockstep.redis.RedisPrimitivesOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.redisson.Redisson;
import org.redisson.api.RSemaphore;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * One instance of a service holding one cluster-wide lock or one-permit semaphore, through the
 * library a peer name picks, with a client (and so connections) of its own. The calls are each
 * library's synchronous ones: every peer's acquire and release block until Redis has answered,
 * except Lockstep's {@code release()}, which sends the release of a hold under a confirmed lease
 * and returns (the instance's next call goes after it on the same connection);
 * {@code lockstep-lock-awaited} waits for that answer too ({@code releaseAsync().join()}).
 *
 * <p>Names: {@code ping} (no lock: a Lettuce {@code PING}, the round trip every other result is
 * a multiple of), {@code lockstep-lock}, {@code lockstep-lock-awaited}, {@code lockstep-semaphore}, {@code redisson-lock}
 * ({@code RLock}), {@code redisson-fairlock} ({@code RFairLock}), {@code redisson-semaphore}
 * ({@code RSemaphore}), {@code si-lock-spin} and {@code si-lock-pubsub} (Spring Integration's
 * {@code RedisLockRegistry} in its two modes).
 */
abstract class RedisPeer implements AutoCloseable {

	static final String NAME = "bench";

	static RedisPeer create(String peer, RedisProcess redis) {
		return switch (peer) {
			case "ping" -> new Ping(redis);
			case "lockstep-lock", "lockstep-semaphore" -> new LockstepPeer(redis, peer.endsWith("lock"), false);
			case "lockstep-lock-awaited" -> new LockstepPeer(redis, true, true);
			case "redisson-lock", "redisson-fairlock" -> new RedissonLockPeer(redis, peer.endsWith("fairlock"));
			case "redisson-semaphore" -> new RedissonSemaphorePeer(redis);
			case "si-lock-spin", "si-lock-pubsub" -> new SpringIntegrationPeer(redis, peer.endsWith("pubsub"));
			default -> throw new IllegalArgumentException("Unknown Redis peer '" + peer + "'");
		};
	}

	/** Blocks until this instance holds the lock or permit. */
	abstract void acquire() throws Exception;

	/** Gives it back through the library's synchronous release. */
	abstract void release() throws Exception;

	@Override
	public abstract void close();

	/** The round trip: not a lock at all. */
	static final class Ping extends RedisPeer {

		private final RedisClient client;

		private final StatefulRedisConnection<String, String> connection;

		private final RedisCommands<String, String> commands;

		Ping(RedisProcess redis) {
			this.client = RedisClient.create(redis.uri());
			this.connection = this.client.connect();
			this.commands = this.connection.sync();
		}

		@Override
		void acquire() {
			this.commands.ping();
		}

		@Override
		void release() {
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}

	}

	static final class LockstepPeer extends RedisPeer {

		private final RedisClient client;

		private final RedisPrimitives primitives;

		private final AsyncLock lock;

		private final AsyncSemaphore semaphore;

		private final boolean awaited;

		LockstepPeer(RedisProcess redis, boolean lock, boolean awaited) {
			this.awaited = awaited;
			this.client = RedisClient.create(redis.uri());
			this.primitives = RedisPrimitives.create(this.client, RedisPrimitivesOptions.defaults().withKeyPrefix("bench"));
			this.lock = lock ? this.primitives.lock(NAME) : null;
			this.semaphore = lock ? null : this.primitives.bounded(NAME, 1);
		}

		@Override
		void acquire() {
			if (this.lock != null) {
				this.lock.acquire().join();
			}
			else {
				this.semaphore.acquire().join();
			}
		}

		@Override
		void release() {
			if (this.awaited) {
				this.lock.releaseAsync().join();
			}
			else if (this.lock != null) {
				this.lock.release();
			}
			else {
				this.semaphore.release();
			}
		}

		/** The lock, for benchmarks that queue waiters on it. */
		AsyncLock lock() {
			return this.lock;
		}

		@Override
		public void close() {
			this.primitives.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}

	}

	static final class RedissonLockPeer extends RedisPeer {

		private final RedissonClient redisson;

		private final Lock lock;

		RedissonLockPeer(RedisProcess redis, boolean fair) {
			this.redisson = redisson(redis);
			this.lock = fair ? this.redisson.getFairLock(NAME) : this.redisson.getLock(NAME);
		}

		@Override
		void acquire() {
			this.lock.lock();
		}

		@Override
		void release() {
			this.lock.unlock();
		}

		@Override
		public void close() {
			this.redisson.shutdown();
		}

	}

	static final class RedissonSemaphorePeer extends RedisPeer {

		private final RedissonClient redisson;

		private final RSemaphore semaphore;

		RedissonSemaphorePeer(RedisProcess redis) {
			this.redisson = redisson(redis);
			this.semaphore = this.redisson.getSemaphore(NAME);
			this.semaphore.trySetPermits(1);
		}

		@Override
		void acquire() throws InterruptedException {
			this.semaphore.acquire();
		}

		@Override
		void release() {
			this.semaphore.release();
		}

		@Override
		public void close() {
			this.redisson.shutdown();
		}

	}

	static RedissonClient redisson(RedisProcess redis) {
		Config config = new Config();
		config.useSingleServer().setAddress("redis://127.0.0.1:" + redis.port);
		return Redisson.create(config);
	}

	static final class SpringIntegrationPeer extends RedisPeer {

		private final LettuceConnectionFactory connections;

		private final RedisLockRegistry registry;

		private final Lock lock;

		SpringIntegrationPeer(RedisProcess redis, boolean pubSub) {
			this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port));
			this.connections.afterPropertiesSet();
			this.connections.start();
			this.registry = new RedisLockRegistry(this.connections, NAME);
			if (pubSub) {
				this.registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
			}
			this.lock = this.registry.obtain(NAME);
		}

		@Override
		void acquire() {
			this.lock.lock();
		}

		@Override
		void release() {
			this.lock.unlock();
		}

		@Override
		public void close() {
			this.registry.destroy();
			this.connections.destroy();
		}

	}

}
