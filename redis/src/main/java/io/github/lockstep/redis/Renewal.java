package io.github.lockstep.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one renewal of an instance: every interval (and at once after the inbox was re-subscribed)
 * a RENEW call per {@value #CHUNK} primitives extends the instance's lease in each, reaps dead
 * instances there, and returns this instance's holds and queue places, which each primitive then
 * reconciles with its local waiters and holders. One call runs at a time; a failed one is retried
 * at the next interval, and logged once per outage.
 */
final class Renewal {

	private static final System.Logger log = System.getLogger(Renewal.class.getName());

	/** Primitives per call, as Redisson's watchdog batches its renewals. */
	static final int CHUNK = 100;

	private final RedisBackend backend;

	private final AtomicBoolean running = new AtomicBoolean();

	private volatile boolean again;

	private volatile boolean failing;

	private volatile ScheduledFuture<?> task;

	/** Test seam: a paused renewal skips its ticks, as a stalled instance would. */
	volatile boolean paused;

	Renewal(RedisBackend backend) {
		this.backend = backend;
	}

	void start() {
		this.task = this.backend.every(this.backend.renewalInterval, this::tick);
	}

	void stop() {
		ScheduledFuture<?> scheduled = this.task;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

	/** Renews and reconciles now (on the backend's thread), or right after the call in flight. */
	void now() {
		this.backend.execute(this::tick);
	}

	/**
	 * Renews and reconciles now.
	 * @return when every primitive has been reconciled
	 */
	CompletableFuture<Void> tick() {
		if (this.paused || this.backend.isClosed()) {
			return CompletableFuture.completedFuture(null);
		}
		if (!this.running.compareAndSet(false, true)) {
			this.again = true;
			return CompletableFuture.completedFuture(null);
		}
		List<RedisPermits> all = this.backend.primitives();
		List<CompletableFuture<?>> calls = new ArrayList<>();
		for (int from = 0; from < all.size(); from += CHUNK) {
			calls.add(renew(all.subList(from, Math.min(all.size(), from + CHUNK))));
		}
		calls.add(this.backend.syncs.renew());
		return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((ignored, ex) -> {
			this.running.set(false);
			if (this.again) {
				this.again = false;
				now();
			}
			return null;
		});
	}

	@SuppressWarnings("unchecked")
	private CompletableFuture<?> renew(List<RedisPermits> chunk) {
		List<String> keys = new ArrayList<>(chunk.size() * 6);
		List<String> args = new ArrayList<>(4 + chunk.size() * 4);
		args.add(this.backend.instance);
		args.add(this.backend.leaseMillis);
		args.add(this.backend.inboxPrefix);
		args.add(this.backend.retentionMillis());
		for (RedisPermits permits : chunk) {
			keys.addAll(List.of(permits.keys()));
			args.addAll(List.of(permits.renewArgs()));
		}
		long sequence = this.backend.sequence();
		long sent = System.nanoTime();
		return this.backend.link.eval(Script.RENEW, keys.toArray(String[]::new), args.toArray(String[]::new))
			.whenComplete((reply, ex) -> {
				if (ex != null) {
					if (!this.failing) {
						this.failing = true;
						log.log(System.Logger.Level.WARNING, "lockstep-redis: lease renewal failed, retrying every "
								+ this.backend.renewalInterval + "; holds are lost if it fails for longer than the lease ("
								+ RedisLink.unwrap(ex) + ")");
					}
					return;
				}
				if (this.failing) {
					this.failing = false;
					log.log(System.Logger.Level.INFO, "lockstep-redis: lease renewal works again");
				}
				for (int i = 0; i < chunk.size(); i++) {
					try {
						chunk.get(i).renewed((List<Object>) reply.get(i), sequence, sent);
					}
					catch (RuntimeException failure) {
						log.log(System.Logger.Level.ERROR, "lockstep-redis: reconciling " + chunk.get(i).kind + " '"
								+ chunk.get(i).name + "' failed", failure);
					}
				}
			});
	}

}
