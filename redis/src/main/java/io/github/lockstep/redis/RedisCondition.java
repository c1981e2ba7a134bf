package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.WaitOutcome;

/**
 * {@link AsyncCondition} over a Redis lock: the waiters of every instance queue in Redis, in the
 * lock's hash slot.
 *
 * <p>Implementation notes. {@code await} sends CONDITION WAIT and then the lock's release on the
 * same connection, so Redis queues the wait before the lock is free and no signal can fall in
 * between. A signal (which needs the lock held by this instance) moves up to n waiters, FIFO, from
 * the waiting set to the signalled set and announces each to its instance; a signalled wait then
 * re-acquires the lock through the lock's own FIFO queue, as asyncio's does, completes once it
 * holds it, and tells Redis the signal was used. A wait asked to end (cancel, a failure, its
 * timeout) first leaves the condition in Redis (CONDITION LEAVE), which, if the wait had been
 * signalled, passes the signal on to the next waiter; it then re-acquires the lock too, and only
 * then completes, with the failure (or {@code false} for a timeout), so that a {@code finally
 * release()} is always right. A timeout that comes after the signal is ignored.
 *
 * <p>Each instance with waits holds a lease in the condition. When an instance stops renewing, the
 * next call reaps its waits, and each signal they had not used yet goes to the next waiter: a dead
 * waiter cannot absorb a signal. Announcements are hints: every renewal asks Redis about this
 * instance's unsignalled waits, so a lost one delays a wake-up by at most a renewal interval.
 *
 * <p>Round trips: {@code await} two calls (wait, release) and the re-acquisition; {@code signal…}
 * one call, which the synchronous forms wait for; {@code queueLength} counts this instance's waits
 * not yet signalled, and {@code isLocked} reads the lock's latest snapshot: no round trip.
 */
final class RedisCondition implements AsyncCondition, Instrumented {

	private static final String KIND = "Condition";

	private enum State {

		/** In Redis's waiting set, as far as this instance knows. */
		WAITING,

		/** Asked to end while waiting: CONDITION LEAVE sent. */
		LEAVING,

		/** Re-acquiring the lock, after a signal or a request to end. */
		ACQUIRING,

		/** Complete. */
		DONE

	}

	private final RedisBackend backend;

	private final String name;

	private final RedisLock lock;

	private final boolean ownsLock;

	private final String[] keys;

	private final Object mutex = new Object();

	/** This instance's waits by cwid (a wait that waits again after its predicate gets a new one). */
	private final Map<String, Wait<?>> waits = new ConcurrentHashMap<>();

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	RedisCondition(RedisBackend backend, String name, RedisLock lock, boolean ownsLock) {
		this.backend = backend;
		this.name = name;
		this.lock = lock;
		this.ownsLock = ownsLock;
		String lockKey = lock.permits().keys()[0];
		String tag = lockKey.substring(0, lockKey.lastIndexOf("}:") + 2) + "c:" + name + ":";
		this.keys = new String[] { tag + "m", tag + "w", tag + "s", tag + "o", tag + "l", tag + "t" };
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public AsyncLock lock() {
		return this.lock;
	}

	@Override
	public CompletableFuture<Void> acquire() {
		return this.lock.acquire();
	}

	@Override
	public CompletableFuture<Void> acquire(Duration timeout) {
		return this.lock.acquire(timeout);
	}

	@Override
	public boolean tryAcquire() {
		return this.lock.tryAcquire();
	}

	@Override
	public void release() {
		this.lock.release();
	}

	/**
	 * The lock's, from its latest snapshot, which already counts the releases that waits sent and
	 * Redis has not answered as done: no round trip.
	 */
	@Override
	public boolean isLocked() {
		return this.lock.isLocked();
	}

	// --- waits

	@Override
	public CompletableFuture<Void> await() {
		return park(new Wait<Void>(null, null, null));
	}

	@Override
	public CompletableFuture<Boolean> await(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		Wait<Boolean> wait = park(new Wait<>(null, Boolean.TRUE, Boolean.FALSE));
		wait.pending.timer(this.backend.schedule(wait::expire, timeout.isNegative() ? Duration.ZERO : timeout));
		return wait;
	}

	@Override
	public CompletableFuture<Void> awaitUntil(BooleanSupplier predicate) {
		Objects.requireNonNull(predicate, "predicate");
		if (predicate.getAsBoolean()) {
			return CompletableFuture.completedFuture(null);
		}
		return park(new Wait<Void>(predicate, null, null));
	}

	private <T> Wait<T> park(Wait<T> wait) {
		SyncRegistry.checkOpen(this.backend, KIND, this.name);
		checkHeld("cannot wait on un-acquired lock");
		wait.pending.started(this.probe);
		enqueue(wait);
		return wait;
	}

	/** Joins the waiting set in Redis, then releases the lock: both sent in this order on one connection. */
	private void enqueue(Wait<?> wait) {
		String old = wait.id;
		synchronized (this.mutex) {
			wait.id = this.backend.newWid();
			wait.state = State.WAITING;
			wait.signalled = false;
			wait.joined = false;
		}
		String id = wait.id;
		if (old != null) {
			forget(old);
		}
		this.waits.put(wait.id, wait);
		this.backend.syncs.register(this, wait.id);
		this.backend.link.eval(SyncScript.CONDITION_WAIT, this.keys, new String[] { this.backend.instance,
				this.backend.leaseMillis, this.backend.inboxPrefix, this.backend.retentionMillis(), wait.id })
			.whenComplete((reply, ex) -> {
				if (ex != null) {
					wait.end(SyncRegistry.failure(KIND, this.name, ex, null));
					return;
				}
				synchronized (this.mutex) {
					// from now on a renewal, sent after this reply, runs after the wait joined
					if (id.equals(wait.id)) {
						wait.joined = true;
					}
				}
			});
		this.lock.releaseAsync().whenComplete((released, ex) -> {
			if (ex != null) {
				wait.end(ex);
			}
		});
	}

	private void checkHeld(String message) {
		int[] counts = this.lock.permits().localCounts();
		if (counts[Acquisition.State.HELD.ordinal()] == 0) {
			throw new IllegalStateException(KIND + " '" + this.name + "': " + message);
		}
	}

	/** A signal for {@code id}: from an announcement, a signal's reply, or a renewal. */
	void signalled(String id) {
		Wait<?> found = this.waits.get(id);
		if (found == null) {
			return;
		}
		boolean acquire;
		synchronized (this.mutex) {
			acquire = found.state == State.WAITING && id.equals(found.id);
			if (acquire) {
				found.signalled = true;
				found.state = State.ACQUIRING;
			}
		}
		if (acquire) {
			found.pending.stopTimer();
			found.reacquire();
		}
	}

	// --- signals

	@Override
	public void signal() {
		signal(1);
	}

	@Override
	public void signal(int n) {
		SyncRegistry.run(this.backend, KIND, this.name, signalAsync(n));
	}

	@Override
	public void signalAll() {
		SyncRegistry.run(this.backend, KIND, this.name, signalAllAsync());
	}

	@Override
	public CompletableFuture<Void> signalAsync() {
		return signalAsync(1);
	}

	/** One call; this instance's waits it signals start re-acquiring before the future completes. */
	@Override
	public CompletableFuture<Void> signalAsync(int n) {
		try {
			checkHeld("cannot notify on un-acquired lock");
		}
		catch (IllegalStateException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return (n <= 0) ? CompletableFuture.completedFuture(null) : send(n);
	}

	@Override
	public CompletableFuture<Void> signalAllAsync() {
		try {
			checkHeld("cannot notify on un-acquired lock");
		}
		catch (IllegalStateException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return send(-1);
	}

	private CompletableFuture<Void> send(int n) {
		CompletableFuture<Void> result = new Answer<>(KIND, this.name);
		this.backend.syncs.call(SyncScript.CONDITION_SIGNAL, this.keys, new String[] { this.backend.instance,
				this.backend.inboxPrefix, this.backend.retentionMillis(), this.backend.newWid(), Integer.toString(n) })
			.whenComplete((reply, ex) -> {
				if (ex == null) {
					signalledIn(reply, 3);
				}
				Completions.run(() -> {
					if (ex != null) {
						result.completeExceptionally(SyncRegistry.failure(KIND, this.name, ex, null));
					}
					else {
						result.complete(null);
					}
				});
			});
		return result;
	}

	private void signalledIn(List<Object> reply, int from) {
		for (int i = from; i < reply.size(); i++) {
			signalled(String.valueOf(reply.get(i)));
		}
	}

	// --- queries, renewal, close

	/** This instance's waits not yet signalled: no round trip. */
	@Override
	public int queueLength() {
		synchronized (this.mutex) {
			int count = 0;
			for (Wait<?> wait : this.waits.values()) {
				if (wait.state == State.WAITING) {
					count++;
				}
			}
			return count;
		}
	}

	@Override
	public PrimitiveState state() {
		return PrimitiveState.condition(this.name, isLocked(), queueLength());
	}

	String[] keys() {
		return this.keys;
	}

	boolean hasWaits() {
		return !this.waits.isEmpty();
	}

	/**
	 * The ids of this instance's waits not yet signalled whose CONDITION WAIT Redis answered, for the
	 * renewal to ask about (a renewal sent before that call ran would find it unknown).
	 */
	List<String> waitingIds() {
		List<String> ids = new ArrayList<>();
		synchronized (this.mutex) {
			for (Wait<?> wait : this.waits.values()) {
				if (wait.state == State.WAITING && wait.joined) {
					ids.add(wait.id);
				}
			}
		}
		return ids;
	}

	/** A renewal's answer {@code {waiting, cwid, status, ...}}: a signalled or unknown wait re-acquires. */
	void renewed(List<Object> entry) {
		for (int i = 1; i + 1 < entry.size(); i += 2) {
			// unknown to Redis (reaped, or Redis lost its data): a spurious wake-up, rather than a hang
			signalled(String.valueOf(entry.get(i)));
		}
	}

	/** Fails this instance's waits, for {@code close()}; their leases run out in Redis. */
	void leave() {
		RedisUnavailableException closed = new RedisUnavailableException(KIND, this.name,
				new IllegalStateException("the RedisPrimitives were closed"));
		for (Wait<?> wait : new ArrayList<>(this.waits.values())) {
			wait.finish(closed);
		}
	}

	private void forget(String id) {
		this.waits.remove(id);
		this.backend.syncs.unregister(this, id);
	}

	private void leaveCall(Wait<?> wait, String id, String mode) {
		this.backend.syncs.call(SyncScript.CONDITION_LEAVE, this.keys, new String[] { this.backend.instance,
				this.backend.inboxPrefix, this.backend.retentionMillis(), id, mode })
			.whenComplete((reply, ex) -> {
				if (ex == null) {
					signalledIn(reply, 3);
				}
				if (wait != null) {
					wait.left((ex != null) ? 2 : Snapshot.toLong(reply.get(0)), mode);
				}
			});
	}

	@Override
	public PrimitiveProbe probe() {
		return PendingWait.given(this.probe);
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.probe = PendingWait.guard(probe, KIND, this.name);
		if (this.ownsLock) {
			this.lock.probe(probe);
		}
	}

	@Override
	public String toString() {
		return KIND + " '" + this.name + "' [redis, " + (isLocked() ? "locked" : "unlocked") + ", waiters:"
				+ queueLength() + "]";
	}

	/**
	 * One wait: its future, which {@code cancel}, {@code completeExceptionally} and {@code orTimeout}
	 * only ask to end, and which completes once the lock is held again.
	 * @param <T> {@code Void}, or {@code Boolean} for timed waits
	 */
	private final class Wait<T> extends CompletableFuture<T> {

		private final BooleanSupplier predicate;

		private final T signalledValue;

		private final T timedOutValue;

		// guarded by mutex
		String id;

		State state = State.WAITING;

		boolean signalled;

		/** Whether Redis answered its CONDITION WAIT: only then may a renewal ask about it. */
		boolean joined;

		private boolean timedOut;

		private Throwable requested;

		final PendingWait pending = new PendingWait();

		Wait(BooleanSupplier predicate, T signalledValue, T timedOutValue) {
			this.predicate = predicate;
			this.signalledValue = signalledValue;
			this.timedOutValue = timedOutValue;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			return end(new CancellationException(KIND + " '" + RedisCondition.this.name + "': wait cancelled"));
		}

		@Override
		public boolean completeExceptionally(Throwable ex) {
			if (ex instanceof TimeoutException) {
				AcquireTimeoutException timeout = new AcquireTimeoutException(KIND, RedisCondition.this.name, null);
				timeout.initCause(ex);
				return end(timeout);
			}
			return end(ex);
		}

		@Override
		public boolean complete(T value) {
			throw new UnsupportedOperationException(KIND + " '" + RedisCondition.this.name
					+ "': a wait is completed by the condition; use cancel() to give it up");
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new CompletableFuture<>();
		}

		/** Refused where the lock's grant could never be read: a Lockstep continuation or a Lettuce thread. */
		@Override
		public T join() {
			refuseIfUnsafe();
			return super.join();
		}

		@Override
		public T get() throws InterruptedException, java.util.concurrent.ExecutionException {
			refuseIfUnsafe();
			return super.get();
		}

		@Override
		public T get(long timeout, java.util.concurrent.TimeUnit unit)
				throws InterruptedException, java.util.concurrent.ExecutionException, TimeoutException {
			refuseIfUnsafe();
			return super.get(timeout, unit);
		}

		private void refuseIfUnsafe() {
			if (!isDone()) {
				Completions.refuseBlocking(KIND + " '" + RedisCondition.this.name + "'");
			}
		}

		/**
		 * Asks the wait to end with {@code failure}, once the lock is held again. A wait not yet
		 * signalled leaves the condition first; a signalled one passes its signal on.
		 */
		boolean end(Throwable failure) {
			String leaving;
			synchronized (RedisCondition.this.mutex) {
				if (this.state == State.DONE || isDone()) {
					return false;
				}
				if (this.requested == null) {
					this.requested = failure;
				}
				if (this.state == State.WAITING) {
					this.state = State.LEAVING;
					leaving = "cancel";
				}
				else if (this.state == State.ACQUIRING && this.signalled) {
					this.signalled = false;
					leaving = "cancel";
				}
				else {
					leaving = null;
				}
			}
			this.pending.stopTimer();
			if (leaving != null) {
				leaveCall(this, this.id, leaving);
			}
			return true;
		}

		/** The timer of a timed wait: leaves without passing anything on, unless signalled first. */
		void expire() {
			synchronized (RedisCondition.this.mutex) {
				if (this.state != State.WAITING) {
					return;
				}
				this.state = State.LEAVING;
				this.timedOut = true;
			}
			leaveCall(this, this.id, "timeout");
		}

		/** CONDITION LEAVE answered: 0 it was waiting, 1 it was signalled, 2 unknown. */
		void left(long status, String mode) {
			boolean acquire;
			synchronized (RedisCondition.this.mutex) {
				acquire = this.state == State.LEAVING;
				if (acquire) {
					this.state = State.ACQUIRING;
					if (status == 1 && "timeout".equals(mode)) {
						// the signal came first: the wait completes as signalled, and uses it
						this.timedOut = false;
						this.signalled = true;
					}
				}
			}
			if (acquire) {
				reacquire();
			}
		}

		void reacquire() {
			CompletableFuture<Void> acquisition;
			try {
				acquisition = RedisCondition.this.lock.acquire();
			}
			catch (RuntimeException ex) {
				finish(ex);
				return;
			}
			acquisition.whenComplete((held, ex) -> {
				if (ex != null) {
					finish(ex);
				}
				else {
					lockHeld();
				}
			});
		}

		/** Holding the lock again: checks the predicate, uses the signal, and completes. */
		private void lockHeld() {
			boolean signalUsed;
			Throwable failure;
			synchronized (RedisCondition.this.mutex) {
				signalUsed = this.signalled;
				failure = this.requested;
			}
			if (this.predicate != null && failure == null) {
				boolean holds;
				try {
					holds = this.predicate.getAsBoolean();
				}
				catch (Throwable ex) {
					if (signalUsed) {
						// leaving by an exception after a signal passes the signal on
						leaveCall(null, this.id, "cancel");
					}
					finish(ex);
					return;
				}
				if (!holds) {
					if (signalUsed) {
						leaveCall(null, this.id, "done");
					}
					enqueue(this);
					return;
				}
			}
			if (signalUsed) {
				// a wait that fails after its signal passes the signal on
				leaveCall(null, this.id, (failure != null) ? "cancel" : "done");
			}
			if (failure != null) {
				finish(failure);
			}
			else {
				finish(null);
			}
		}

		/** Completes the wait: normally if {@code failure} is null. */
		void finish(Throwable failure) {
			boolean timedOutNow;
			synchronized (RedisCondition.this.mutex) {
				if (this.state == State.DONE) {
					return;
				}
				this.state = State.DONE;
				timedOutNow = this.timedOut;
			}
			this.pending.stopTimer();
			forget(this.id);
			this.pending.ended(RedisCondition.this.probe, (failure != null) ? SyncRegistry.outcome(failure)
					: timedOutNow ? WaitOutcome.TIMEOUT : WaitOutcome.ACQUIRED);
			Completions.run(() -> {
				if (failure != null) {
					super.completeExceptionally(failure);
				}
				else {
					super.complete(timedOutNow ? this.timedOutValue : this.signalledValue);
				}
			});
		}

	}

}
