package io.github.lockstep.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The two connections of one instance: a command connection for the scripts and a pub/sub
 * connection subscribed to the instance's inbox, on which grants are announced.
 *
 * <p>Both are the application's {@link RedisClient}'s, so they reconnect as it is configured to:
 * Lettuce re-subscribes the inbox and re-sends commands whose replies the disconnect lost (every
 * script is idempotent for that reason). Each re-subscription is reported, since messages
 * published meanwhile are lost and the instance must reconcile its waiters with Redis.
 *
 * <p>The first connection is tried once by the constructor's caller; if Redis is unreachable then,
 * calls fail at once with the connection's failure and a daemon thread retries with backoff until
 * it connects or the link is closed.
 */
final class RedisLink implements AutoCloseable {

	/** Where the link reports what arrives on the inbox. */
	interface Listener {

		/**
		 * The grant of {@code wid}, with its fencing token and the state right after it, was
		 * announced; {@code cause} is the wid whose release handed the permit on, or {@code null}.
		 */
		void granted(String wid, long fence, Snapshot state, String cause);

		/** The inbox was subscribed again after a reconnect: messages may have been lost. */
		void resubscribed();

		/** An event's or a barrier's message arrived: it starts with {@code '!'}, which no wid does. */
		void signalled(String message);

	}

	private static final System.Logger log = System.getLogger(RedisLink.class.getName());

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private static final Duration LAST_RETRY = Duration.ofSeconds(2);

	private final RedisClient client;

	private final String inbox;

	private final Listener listener;

	private final AtomicInteger subscriptions = new AtomicInteger();

	/** The scripts Redis has run on this link since it last forgot scripts (see {@link #eval}). */
	private final Set<String> loaded = ConcurrentHashMap.newKeySet();

	private volatile StatefulRedisConnection<String, String> commands;

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	private volatile RuntimeException connectFailure;

	private volatile boolean closed;

	/** Test seam: inbox messages for which it returns true are dropped, as a lossy network would. */
	volatile Predicate<String> dropMessage = (message) -> false;

	RedisLink(RedisClient client, String inbox, Listener listener) {
		this.client = client;
		this.inbox = inbox;
		this.listener = listener;
	}

	/** Connects, or starts retrying in the background; returns whether it is connected now. */
	boolean start() {
		if (connect()) {
			return true;
		}
		Thread retry = new Thread(this::retry, "lockstep-redis-connect");
		retry.setDaemon(true);
		retry.start();
		return false;
	}

	private boolean connect() {
		StatefulRedisConnection<String, String> connection = null;
		StatefulRedisPubSubConnection<String, String> subscriber = null;
		try {
			connection = this.client.connect(StringCodec.UTF8);
			subscriber = this.client.connectPubSub(StringCodec.UTF8);
			subscriber.addListener(new Inbox());
			subscriber.sync().subscribe(this.inbox);
			this.pubSub = subscriber;
			this.commands = connection;
			this.connectFailure = null;
			if (this.closed) {
				close();
			}
			return true;
		}
		catch (RuntimeException ex) {
			this.connectFailure = ex;
			closeQuietly(subscriber);
			closeQuietly(connection);
			return false;
		}
	}

	private void retry() {
		long delay = FIRST_RETRY.toMillis();
		while (!this.closed) {
			try {
				Thread.sleep(delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (this.closed || connect()) {
				return;
			}
			delay = Math.min(delay * 2, LAST_RETRY.toMillis());
		}
	}

	/** Whether both connections are up (not reconnecting). */
	boolean isConnected() {
		StatefulRedisConnection<String, String> connection = this.commands;
		StatefulRedisPubSubConnection<String, String> subscriber = this.pubSub;
		return connection != null && connection.isOpen() && subscriber != null && subscriber.isOpen();
	}

	/** How long a call may take before it fails: the connection's command timeout. */
	Duration timeout() {
		StatefulRedisConnection<String, String> connection = this.commands;
		return (connection != null) ? connection.getTimeout() : Duration.ZERO;
	}

	/**
	 * Runs a script by its SHA-1, and by its text if Redis does not know it (after a restart or a
	 * {@code SCRIPT FLUSH}). The future fails if there is no answer within the command timeout:
	 * Lettuce's own command expiry sees to that when it applies the connection's timeout, as it does
	 * by default; otherwise (timeouts disabled, or a {@code TimeoutSource} of the application's)
	 * a timer of this link does.
	 *
	 * <p>A script's first call on a connection sends its text: the fallback after a
	 * {@code NOSCRIPT} reply is sent only when that reply comes, after calls sent meanwhile, so it
	 * would reorder calls that must run in the order they were made (an arrival and its withdrawal).
	 */
	CompletableFuture<List<Object>> eval(LuaScript script, String[] keys, String[] args) {
		StatefulRedisConnection<String, String> connection = this.commands;
		if (this.closed) {
			return CompletableFuture.failedFuture(new RedisException("the Redis primitives are closed"));
		}
		if (connection == null) {
			RuntimeException failure = this.connectFailure;
			return CompletableFuture.failedFuture(new RedisConnectionException("not connected to Redis"
					+ ((failure != null) ? ": " + failure.getMessage() : ""), failure));
		}
		RedisAsyncCommands<String, String> async = connection.async();
		if (!this.loaded.contains(script.sha())) {
			return timed(async.<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args)
				.toCompletableFuture()
				.whenComplete((reply, ex) -> {
					if (ex == null) {
						this.loaded.add(script.sha());
					}
				}), connection);
		}
		CompletableFuture<List<Object>> reply = async.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((ex) -> (unwrap(ex) instanceof RedisNoScriptException && forgetScripts())
					? async.<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args).toCompletableFuture()
					: CompletableFuture.failedFuture(unwrap(ex)));
		return timed(reply, connection);
	}

	/**
	 * Bounds a call by the command timeout where Lettuce does not: one timer per command is enough,
	 * and a second one costs the caller's thread some µs (and the JDK's delay thread a wake-up).
	 */
	private CompletableFuture<List<Object>> timed(CompletableFuture<List<Object>> call,
			StatefulRedisConnection<String, String> connection) {
		TimeoutOptions options = this.client.getOptions().getTimeoutOptions();
		if (options.isTimeoutCommands() && options.isApplyConnectionTimeout()) {
			return call;
		}
		return call.orTimeout(connection.getTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Redis forgot its scripts: every script's next call sends its text. */
	private boolean forgetScripts() {
		this.loaded.clear();
		return true;
	}

	static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.pubSub);
		closeQuietly(this.commands);
	}

	private static void closeQuietly(AutoCloseable connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (Exception ex) {
				log.log(System.Logger.Level.DEBUG, "closing a Redis connection failed", ex);
			}
		}
	}

	private final class Inbox extends RedisPubSubAdapter<String, String> {

		@Override
		public void message(String channel, String message) {
			if (RedisLink.this.dropMessage.test(message)) {
				return;
			}
			if (message.startsWith("!")) {
				RedisLink.this.listener.signalled(message);
				return;
			}
			// '<wid> <fence> <avail> <queued> <held> <version> <cause>'
			String[] fields = message.split(" ");
			try {
				String cause = (fields.length > 6 && !"-".equals(fields[6])) ? fields[6] : null;
				RedisLink.this.listener.granted(fields[0], Long.parseLong(fields[1]),
						Snapshot.of(List.of(fields[2], fields[3], fields[4], fields[5]), 0), cause);
			}
			catch (RuntimeException ex) {
				log.log(System.Logger.Level.WARNING, "lockstep-redis: could not handle inbox message " + message, ex);
			}
		}

		@Override
		public void subscribed(String channel, long count) {
			if (RedisLink.this.subscriptions.incrementAndGet() > 1) {
				// Redis may have restarted without its scripts
				forgetScripts();
				RedisLink.this.listener.resubscribed();
			}
		}

	}

}
