package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.WaitOutcome;

/**
 * {@link AsyncEvent} over Redis: the flag and a generation count live in Redis, the waiters only
 * in the instance that waits.
 *
 * <p>Implementation notes. A set that finds the event clear counts one more generation; a set and
 * a clear that change the flag are announced to every instance that has the event (an instance
 * registers its interest when it creates the event, and every renewal extends it). A wait registers
 * interest and reads {@code {set, gen}} in one call (EVENT WAIT): if set, it completes; otherwise
 * it remembers the generation it joined and completes once this instance sees any higher one, from
 * an announcement (of a set, or of a clear that followed a set whose announcement was lost), a
 * reply or a renewal. A waiter is therefore woken by every set after it joined, even if a
 * {@code clear()} follows at once, and a lost announcement delays a wake-up by at most a renewal
 * interval: every renewal reads the generation of each event. Nothing in Redis belongs to a waiter,
 * so cancel and timeout are local.
 *
 * <p>An {@code await} never trusts this instance's view of the flag: it asks Redis. Between a
 * {@code clear()} on another instance and its announcement arriving here, {@link #isSet()} may
 * still say set, but an {@code await} in that window waits, since Redis answers that the event is
 * clear; the annotations' waits do the same. The view is right again once the announcement lands,
 * or at the next renewal if it was lost.
 *
 * <p>The probe hears of every wait that Redis found clear, once: when its answer comes, or, if the
 * wait was woken, cancelled or timed out before that, at its end (as a wait that starts and ends
 * at once; a wait cancelled or timed out before the answer is reported so even if Redis then
 * finds the event set). A wait that Redis found set completed at once and is not reported, nor
 * one whose call failed before Redis answered.
 *
 * <p>Round trips: {@code await} one call; {@code set} and {@code clear} one call each, which the
 * synchronous forms wait for; {@code isSet}, {@code queueLength} and {@code state} none (the latest
 * state this instance has seen, kept by the announcements and refreshed at least every renewal).
 * {@code queueLength} counts this instance's waiters only.
 */
final class RedisEvent implements AsyncEvent, Instrumented {

	private static final String KIND = "Event";

	private static final long UNKNOWN = Long.MIN_VALUE;

	private final RedisBackend backend;

	private final String name;

	private final String[] keys;

	private final ReentrantLock lock = new ReentrantLock();

	/** This instance's waiters, in the order they started. */
	private final Set<Wait> waiting = new LinkedHashSet<>();

	// the latest state seen, guarded by lock
	private boolean set;

	private long version = UNKNOWN;

	/** The highest generation seen from any source: waiters that joined below it are woken. */
	private long generation = UNKNOWN;

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	RedisEvent(RedisBackend backend, String name) {
		this.backend = backend;
		this.name = name;
		String tag = SyncRegistry.tag(backend, name);
		this.keys = new String[] { tag + "e", tag + "e:i", tag + "e:t" };
	}

	/** One wait: its future and the generation Redis had when it joined. */
	private final class Wait {

		final SyncWaiter<Void> future = new SyncWaiter<>(KIND, RedisEvent.this.name);

		final Duration timeout;

		/** The generation when the wait joined, once Redis has answered. */
		long joined = UNKNOWN;

		final PendingWait pending = new PendingWait();

		Wait(Duration timeout) {
			this.timeout = timeout;
		}

	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public CompletableFuture<Void> await() {
		return start(null);
	}

	@Override
	public CompletableFuture<Void> await(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		return start(timeout);
	}

	private CompletableFuture<Void> start(Duration timeout) {
		SyncRegistry.checkOpen(this.backend, KIND, this.name);
		Wait wait = new Wait(timeout);
		boolean now = timeout != null && (timeout.isZero() || timeout.isNegative());
		if (!now) {
			this.lock.lock();
			try {
				this.waiting.add(wait);
			}
			finally {
				this.lock.unlock();
			}
			wait.future.leaveBy((failure) -> leave(wait, failure));
		}
		this.backend.syncs.call(SyncScript.EVENT_WAIT, this.keys,
				new String[] { this.backend.instance, this.backend.leaseMillis })
			.whenComplete((reply, ex) -> joined(wait, now, reply, ex));
		if (timeout != null && !now) {
			wait.pending.timer(this.backend.schedule(() -> wait.future.end(wait.future.timeout(timeout)), timeout));
			if (wait.future.isDone()) {
				wait.pending.stopTimer();
			}
		}
		return wait.future;
	}

	private void joined(Wait wait, boolean now, List<Object> reply, Throwable ex) {
		List<Wait> woken = new ArrayList<>();
		Runnable then = null;
		this.lock.lock();
		try {
			if (ex != null) {
				if (now || this.waiting.remove(wait)) {
					RedisUnavailableException failure = new RedisUnavailableException(KIND, this.name, RedisLink.unwrap(ex));
					// a wait Redis may never have seen: reported only if its start was
					then = () -> {
						wait.pending.stopTimer();
						wait.pending.ended(this.probe, WaitOutcome.CANCELLED);
						wait.future.fail(failure);
					};
				}
			}
			else {
				boolean wasSet = Snapshot.toLong(reply.get(0)) == 1;
				long gen = Snapshot.toLong(reply.get(1));
				observe(wasSet, gen, Snapshot.toLong(reply.get(2)), woken);
				// a set that came after the wait joined, whose announcement arrived before this reply
				boolean setSince = this.generation > gen;
				if (now) {
					then = (wasSet || setSince) ? () -> wait.future.succeed(null) : () -> refuse(wait);
				}
				else if (this.waiting.contains(wait)) {
					if (wasSet) {
						// in at once: not a wait for the probe
						this.waiting.remove(wait);
						then = () -> {
							wait.pending.stopTimer();
							wait.future.succeed(null);
						};
					}
					else if (setSince) {
						this.waiting.remove(wait);
						woken.add(wait);
					}
					else {
						wait.joined = gen;
						wait.pending.started(this.probe);
					}
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		wake(woken);
		if (then != null) {
			then.run();
		}
	}

	/** A zero timeout on a clear event: reported as a wait that starts and ends at once. */
	private void refuse(Wait wait) {
		PendingWait.refused(this.probe, WaitOutcome.TIMEOUT);
		wait.future.fail(wait.future.timeout(wait.timeout));
	}

	/** For the future's cancel and timeout: nothing in Redis belongs to a wait. */
	private boolean leave(Wait wait, Throwable failure) {
		this.lock.lock();
		try {
			if (!this.waiting.remove(wait)) {
				return false;
			}
		}
		finally {
			this.lock.unlock();
		}
		wait.pending.stopTimer();
		wait.pending.waited(this.probe, SyncRegistry.outcome(failure));
		return true;
	}

	/**
	 * Takes in a state of the event from any source; collects in {@code woken} the waiters that
	 * joined before its generation. Called holding the lock.
	 */
	private void observe(boolean set, long gen, long version, List<Wait> woken) {
		if (version >= this.version) {
			this.version = version;
			this.set = set;
		}
		if (gen > this.generation) {
			this.generation = gen;
			// one pass: removeAll with a list as long as the set would be quadratic
			for (Iterator<Wait> waits = this.waiting.iterator(); waits.hasNext();) {
				Wait wait = waits.next();
				if (wait.joined != UNKNOWN && wait.joined < gen) {
					woken.add(wait);
					waits.remove();
				}
			}
		}
	}

	private void wake(List<Wait> woken) {
		for (Wait wait : woken) {
			wait.pending.stopTimer();
			wait.pending.waited(this.probe, WaitOutcome.ACQUIRED);
			wait.future.succeed(null);
		}
	}

	private void end(Wait wait, WaitOutcome outcome, Throwable failure) {
		wait.pending.stopTimer();
		wait.pending.waited(this.probe, outcome);
		wait.future.fail(failure);
	}

	/** An announcement ({@code '!e <gen> <v> <name>'}, {@code '!x ...'}) or a renewal's read of the event. */
	void observed(boolean set, long gen, long version) {
		List<Wait> woken = new ArrayList<>();
		this.lock.lock();
		try {
			observe(set, gen, version, woken);
		}
		finally {
			this.lock.unlock();
		}
		wake(woken);
	}

	// --- commands

	/** Waits for Redis's answer, except on a thread that reads Redis's replies; see {@link #setAsync()}. */
	@Override
	public void set() {
		SyncRegistry.run(this.backend, KIND, this.name, setAsync());
	}

	@Override
	public void clear() {
		SyncRegistry.run(this.backend, KIND, this.name, clearAsync());
	}

	/**
	 * One call: sets the event in Redis, which announces it to the other instances with waiters; this
	 * instance's waiters are woken by the reply, before the future completes.
	 */
	@Override
	public CompletableFuture<Void> setAsync() {
		SyncRegistry.checkOpen(this.backend, KIND, this.name);
		return command(SyncScript.EVENT_SET, this.backend.instance, this.backend.inboxPrefix,
				this.backend.retentionMillis(), this.backend.newWid(), this.name);
	}

	/**
	 * One call: clears the event in Redis, which announces it to the other instances that have it;
	 * waiters the event already woke stay woken.
	 */
	@Override
	public CompletableFuture<Void> clearAsync() {
		SyncRegistry.checkOpen(this.backend, KIND, this.name);
		return command(SyncScript.EVENT_CLEAR, this.backend.instance, this.backend.inboxPrefix,
				this.backend.retentionMillis(), this.backend.newWid(), this.name);
	}

	private CompletableFuture<Void> command(SyncScript script, String... args) {
		CompletableFuture<Void> result = new Answer<>(KIND, this.name);
		this.backend.syncs.call(script, this.keys, args).whenComplete((reply, ex) -> {
			if (ex == null) {
				observed(reply);
			}
			Completions.run(() -> {
				if (ex != null) {
					result.completeExceptionally(new RedisUnavailableException(KIND, this.name, RedisLink.unwrap(ex)));
				}
				else {
					result.complete(null);
				}
			});
		});
		return result;
	}

	void observed(List<Object> state) {
		observed(Snapshot.toLong(state.get(0)) == 1, Snapshot.toLong(state.get(1)), Snapshot.toLong(state.get(2)));
	}

	// --- queries and renewal

	/** The latest state this instance has seen: no round trip. */
	@Override
	public boolean isSet() {
		this.lock.lock();
		try {
			return this.set;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** This instance's waiters: no round trip. */
	@Override
	public int queueLength() {
		this.lock.lock();
		try {
			return this.waiting.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public PrimitiveState state() {
		this.lock.lock();
		try {
			return PrimitiveState.event(this.name, this.set, this.waiting.size());
		}
		finally {
			this.lock.unlock();
		}
	}

	String[] keys() {
		return this.keys;
	}

	/** Test seam: this instance's waits that Redis has answered (their joined generation is known). */
	int joined() {
		this.lock.lock();
		try {
			return (int) this.waiting.stream().filter((wait) -> wait.joined != UNKNOWN).count();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Fails this instance's waits, for {@code close()}. */
	void leave() {
		List<Wait> all;
		this.lock.lock();
		try {
			all = new ArrayList<>(this.waiting);
			this.waiting.clear();
		}
		finally {
			this.lock.unlock();
		}
		RedisUnavailableException closed = new RedisUnavailableException(KIND, this.name,
				new IllegalStateException("the RedisPrimitives were closed"));
		all.forEach((wait) -> end(wait, WaitOutcome.CANCELLED, closed));
	}

	@Override
	public PrimitiveProbe probe() {
		return PendingWait.given(this.probe);
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.probe = PendingWait.guard(probe, KIND, this.name);
	}

	@Override
	public String toString() {
		int waiters = queueLength();
		return KIND + " '" + this.name + "' [redis, " + (isSet() ? "set" : "unset")
				+ ((waiters > 0) ? ", waiters:" + waiters : "") + "]";
	}

}
