package io.github.lockstep.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.lockstep.LockstepException;
import io.lettuce.core.RedisClient;

/**
 * One instance's membership of the cluster: its id, its two connections, its renewal, the
 * timer thread for timed waits, and the registry that routes inbox messages to acquisitions.
 */
final class RedisBackend implements RedisLink.Listener {

	private static final System.Logger log = System.getLogger(RedisBackend.class.getName());

	private static final Duration SHORTEST_RETENTION = Duration.ofSeconds(10);

	/** 16 random bytes, base64url: a different id for every start. */
	final String instance;

	final String keyPrefix;

	final String inboxPrefix;

	final String leaseMillis;

	final long leaseNanos;

	final Duration renewalInterval;

	final Duration lease;

	final RedisLink link;

	final Renewal renewal;

	/** This instance's events and barriers. */
	final SyncRegistry syncs;

	private final ScheduledThreadPoolExecutor scheduler;

	private final AtomicLong wids = new AtomicLong();

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, Acquisition> acquisitions = new ConcurrentHashMap<>();

	private final Map<String, RedisPermits> primitives = new ConcurrentHashMap<>();

	private final Set<String> mismatches = ConcurrentHashMap.newKeySet();

	private final LongAdder lostLeases = new LongAdder();

	private volatile boolean closed;

	RedisBackend(RedisClient client, RedisPrimitivesOptions options) {
		byte[] id = new byte[16];
		new SecureRandom().nextBytes(id);
		this.instance = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
		this.keyPrefix = options.keyPrefix();
		this.inboxPrefix = options.keyPrefix() + ":inbox:";
		this.leaseMillis = Long.toString(options.lease().toMillis());
		this.leaseNanos = options.lease().toNanos();
		this.renewalInterval = options.renewalInterval();
		this.lease = options.lease();
		this.scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "lockstep-redis-" + this.instance.substring(0, 6));
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.link = new RedisLink(client, this.inboxPrefix + this.instance, this);
		this.renewal = new Renewal(this);
		this.syncs = new SyncRegistry(this);
	}

	void start() {
		this.link.start();
		this.renewal.start();
	}

	/** The primitive of that name on this instance, created on first use. */
	RedisPermits permits(String kind, String name, int permits, boolean bounded) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException(kind + " name must not be empty");
		}
		if (permits < 0) {
			throw new IllegalArgumentException(kind + " '" + name + "': initial value must be >= 0, but was " + permits);
		}
		if (this.closed) {
			throw new IllegalStateException(kind + " '" + name + "': the RedisPrimitives are closed");
		}
		RedisPermits created = this.primitives.computeIfAbsent(name,
				(key) -> new RedisPermits(this, kind, name, permits, bounded));
		if (!created.kind.equals(kind) || created.permits != permits || created.bounded != bounded) {
			throw new IllegalArgumentException(kind + " '" + name + "': this instance already has '" + name + "' as a "
					+ ((created.bounded && !"Lock".equals(created.kind)) ? "bounded " : "") + created.kind.toLowerCase()
					+ ("Lock".equals(created.kind) ? "" : " of " + created.permits + " permits")
					+ "; one name is one primitive");
		}
		return created;
	}

	List<RedisPermits> primitives() {
		return new ArrayList<>(this.primitives.values());
	}

	// --- acquisitions by id, for the inbox

	String newWid() {
		return this.instance + ":" + Long.toString(this.wids.incrementAndGet(), 36);
	}

	/**
	 * A number that increases with every call: state changes and reconciliation calls are ordered
	 * by it, so a reply is compared only with local state older than its call.
	 */
	long sequence() {
		return this.sequence.incrementAndGet();
	}

	void register(Acquisition acquisition) {
		this.acquisitions.put(acquisition.wid, acquisition);
	}

	void unregister(Acquisition acquisition) {
		this.acquisitions.remove(acquisition.wid, acquisition);
	}

	Acquisition find(String wid) {
		return this.acquisitions.get(wid);
	}

	int registered() {
		return this.acquisitions.size();
	}

	@Override
	public void granted(String wid, long fence, Snapshot state, String cause) {
		Acquisition released = (cause != null) ? this.acquisitions.get(cause) : null;
		Acquisition acquisition = this.acquisitions.get(wid);
		if (acquisition != null) {
			acquisition.owner.announced(acquisition, wid, fence, state, released);
		}
		else if (released != null) {
			// the grant of a wait withdrawn meanwhile: the release ran all the same
			released.owner.announced(null, wid, fence, state, released);
		}
		// an unknown id is a grant raced by a withdrawal, or an orphan the next renewal cancels
	}

	@Override
	public void resubscribed() {
		this.renewal.now();
	}

	@Override
	public void signalled(String message) {
		this.syncs.dispatch(message);
	}

	// --- timers

	ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		long nanos;
		try {
			nanos = delay.toNanos();
		}
		catch (ArithmeticException ex) {
			nanos = Long.MAX_VALUE;
		}
		return this.scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS);
	}

	ScheduledFuture<?> every(Duration interval, Runnable task) {
		long nanos = interval.toNanos();
		return this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				log.log(System.Logger.Level.ERROR, "lockstep-redis: renewal tick failed", ex);
			}
		}, nanos, nanos, TimeUnit.NANOSECONDS);
	}

	void execute(Runnable task) {
		if (!this.closed) {
			this.scheduler.execute(task);
		}
	}

	/** How long Redis keeps a tombstone nobody acknowledged: well past any re-sent call. */
	String retentionMillis() {
		long millis = Math.max(2 * this.leaseNanos / 1_000_000, 2 * this.link.timeout().toMillis());
		return Long.toString(Math.max(millis, SHORTEST_RETENTION.toMillis()));
	}

	// --- reports

	void leaseLost(RedisPermits permits) {
		this.lostLeases.increment();
	}

	long lostLeases() {
		return this.lostLeases.sum();
	}

	void mismatch(RedisPermits permits, LockstepException failure) {
		if (this.mismatches.add(permits.name)) {
			log.log(System.Logger.Level.ERROR, failure.getMessage());
		}
	}

	// --- lifecycle

	boolean isClosed() {
		return this.closed;
	}

	void checkOpen(RedisPermits permits) {
		if (this.closed) {
			throw new IllegalStateException(permits.kind + " '" + permits.name + "': the RedisPrimitives are closed");
		}
	}

	/**
	 * Leaves the cluster: local waits fail, and every queue place and hold of this instance is
	 * withdrawn in Redis (holds are passed on), waiting at most the command timeout.
	 */
	void close() {
		if (this.closed) {
			return;
		}
		this.renewal.stop();
		List<CompletableFuture<?>> calls = new ArrayList<>();
		for (RedisPermits permits : primitives()) {
			calls.addAll(permits.leave());
		}
		calls.addAll(this.syncs.leave());
		this.closed = true;
		try {
			CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
				.get(this.link.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			log.log(System.Logger.Level.DEBUG, "lockstep-redis: withdrawing on close did not finish", ex);
		}
		this.link.close();
		this.scheduler.shutdownNow();
	}

	/** Test seam: stops as a killed process would, leaving its holds and places to the lease. */
	void crash() {
		this.closed = true;
		this.renewal.stop();
		this.link.close();
		this.scheduler.shutdownNow();
	}

}
