package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.LeaseLostException;
import io.github.lockstep.LockstepException;
import io.github.lockstep.PrimitiveKind;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.WaitOutcome;
import io.github.lockstep.redis.Acquisition.State;
import io.lettuce.core.RedisCommandExecutionException;

/**
 * The client side of one primitive's permits in Redis, shared by {@link RedisLock} (one permit,
 * bounded) and {@link RedisSemaphore}.
 *
 * <p>Implementation notes. Redis decides every grant (the scripts in {@code lua/}); this class
 * keeps this instance's view of its own acquisitions and makes it agree with Redis. An
 * {@link Acquisition} moves, under {@code lock}, through
 * <pre>
 * SENDING ─ACQUIRE reply QUEUED─▶ QUEUED ─grant (reply, inbox message or renewal)─▶ HELD ─release─▶ RELEASING ─▶ ENDED
 *    │  └────────────────ACQUIRE reply GRANTED──────────────────────────▶ HELD ─lease lost─▶ LOST ─release─▶ ENDED
 *    └──── cancel, timeout, failed call (from SENDING or QUEUED) ─▶ CANCELLING ─CANCEL reply─▶ ENDED
 * </pre>
 * A grant applies only to SENDING or QUEUED, a withdrawal only to those two states as well, so
 * whichever comes first wins locally; in Redis the CANCEL script passes on a grant that won there
 * ({@code PASSED_ON}), so a permit is never lost and never granted twice. Futures are completed
 * after {@code lock} is released, and calls to Redis are sent after it too.
 *
 * <p>Grants announced on the inbox are hints: Redis has recorded them before publishing. Every
 * renewal returns this instance's holds and the number of its queue places, and
 * {@link #renewed} compares them with the local acquisitions whose state is older than the
 * renewal ({@link Acquisition#since}): a waiter Redis lists as holder is granted (a lost
 * message), a local holder Redis no longer lists is LOST, and a mismatch in queue places asks
 * for the full list ({@link #inspected}): a waiter whose place is gone queues again under a new
 * id, and an id Redis has but this instance does not (a withdrawal whose reply never came) is
 * cancelled.
 */
final class RedisPermits {

	/** How a withdrawal ended. */
	enum Withdrawal {

		/** The wait was given up. */
		WITHDRAWN,

		/** The grant won the race: the caller holds the permit. */
		GRANTED,

		/** The wait had already ended otherwise (a failure is completing it). */
		ENDED

	}

	private static final System.Logger log = System.getLogger(RedisPermits.class.getName());

	// ACQUIRE replies
	private static final long GRANTED = 1;

	private static final long QUEUED = 2;

	private static final long BUSY = 3;

	// RELEASE replies
	private static final long RELEASED = 1;

	private static final long LOST = 2;

	// how a hold ended, in tombstones
	private static final long REAPED = 4;

	private static final long RETIRED = 5;

	/** Acknowledgements carried by one call; a renewal carries up to {@link #RENEW_ACKS}. */
	private static final int CALL_ACKS = 16;

	static final int RENEW_ACKS = 4096;

	/** Acknowledgements kept waiting at most; beyond, the tombstones expire by their retention. */
	private static final int MAX_ACKS = 65536;

	final RedisBackend backend;

	/** For messages: {@code "Lock"} or {@code "Semaphore"}. */
	final String kind;

	final String name;

	final int permits;

	final boolean bounded;

	private final String[] keys;

	private final ReentrantLock lock = new ReentrantLock();

	/** SENDING and QUEUED acquisitions, in the order they were made. */
	private final Set<Acquisition> waiting = new LinkedHashSet<>();

	/** HELD and LOST acquisitions, oldest first. */
	private final ArrayDeque<Acquisition> holds = new ArrayDeque<>();

	/** Ids whose every reply has arrived, so their tombstones can go. */
	private final ArrayDeque<String> acks = new ArrayDeque<>();

	private int cancelling;

	/** Holds whose release was sent and not yet answered. */
	private int releasing;

	/**
	 * How many waits have been granted here, ever; with its value when the renewal in flight was
	 * sent, how many of the places that renewal counted in Redis may have been granted since.
	 */
	private long grantedWaits;

	private long grantedWaitsAtRenewal;

	/** Waits sent but not yet answered: queued as far as this instance's callers can tell. */
	private int sending;

	/** Withdrawn waits that Redis had queued and whose withdrawal it has not answered yet. */
	private int withdrawing;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.UNKNOWN);

	/** Until when (System.nanoTime) Redis is known to keep this instance's lease here. */
	private volatile long leaseValidUntil;

	/**
	 * One more each time Redis confirmed the lease by a call sent when it may have run out: Redis
	 * may have reaped the holds from before, and that call taken the lease up again. A hold is
	 * covered by the lease only if it was granted in the current epoch. Guarded by the lock.
	 */
	private long leaseEpoch;

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	/** Test seam: how many times a renewal found the queue places differ and asked for the list. */
	final AtomicInteger inspections = new AtomicInteger();

	/** The probe's token for the hold of a lock. */
	private long holdToken;

	RedisPermits(RedisBackend backend, String kind, String name, int permits, boolean bounded) {
		this.backend = backend;
		this.kind = kind;
		this.name = name;
		this.permits = permits;
		this.bounded = bounded;
		String tag = "{" + backend.keyPrefix + ":" + name + "}:";
		this.keys = new String[] { tag + "m", tag + "q", tag + "h", tag + "o", tag + "l", tag + "d" };
		this.leaseValidUntil = System.nanoTime();
	}

	String[] keys() {
		return this.keys;
	}

	/** The shape Redis records, checked by every script: instances must agree on it. */
	String shape() {
		return "Lock".equals(this.kind) ? "lock" : "semaphore";
	}

	String boundedFlag() {
		return this.bounded ? "1" : "0";
	}

	/**
	 * The latest snapshot from Redis, adjusted by what this instance's callers have seen but Redis
	 * has not answered yet, as Redis will decide it unless another instance comes first: holds
	 * released, which go to the head waiters and beyond them back to the free permits; waits
	 * sent, which take the free permits if nobody is queued and queue beyond them; and waits
	 * withdrawn (gone as far as the callers can tell).
	 */
	Snapshot snapshot() {
		this.lock.lock();
		try {
			Snapshot latest = this.snapshot.get();
			if (this.sending == 0 && this.withdrawing == 0 && this.releasing == 0) {
				return latest;
			}
			int free = (latest.available() < 0) ? this.permits : latest.available();
			int queued = Math.max(0, latest.queued() - this.withdrawing);
			int released = Math.min(this.releasing, latest.held());
			int handedOn = Math.min(released, queued);
			queued -= handedOn;
			free += released - handedOn;
			int held = latest.held() - released + handedOn;
			// an announcement can overtake the reply to this instance's release (a hand-off through
			// another instance names no release of this one): whatever the snapshot says, this
			// instance's own holds are held
			int mine = heldHere();
			if (held < mine) {
				free = Math.max(0, free - (mine - held));
				held = mine;
			}
			int taking = (queued == 0) ? Math.min(free, this.sending) : 0;
			queued += this.sending - taking;
			return new Snapshot(free - taking, queued, held + taking, latest.version());
		}
		finally {
			this.lock.unlock();
		}
	}

	/** This instance's holds that Redis granted and no release has been sent for. Called holding the lock. */
	private int heldHere() {
		int held = 0;
		for (Acquisition acquisition : this.holds) {
			if (acquisition.state == State.HELD) {
				held++;
			}
		}
		return held;
	}

	private void leaveSending(Acquisition acquisition) {
		if (acquisition.state == State.SENDING && !acquisition.attempt) {
			this.sending--;
		}
	}

	/**
	 * Keeps the newer of the current snapshot and {@code state}. Replies come in order on the
	 * command connection, so a reply of the same version (a script that also announced grants)
	 * is that script's final state and wins over its announcements.
	 */
	private void observe(Snapshot state, boolean reply) {
		this.snapshot.updateAndGet((current) -> (state.version() > current.version()
				|| (reply && state.version() == current.version())) ? state : current);
	}

	PrimitiveProbe probe() {
		PrimitiveProbe current = this.probe;
		return (current instanceof GuardedProbe guarded) ? guarded.probe : current;
	}

	void probe(PrimitiveProbe probe) {
		Objects.requireNonNull(probe, "probe");
		this.probe = (probe == PrimitiveProbe.NONE) ? probe : new GuardedProbe(probe, this.kind + " '" + this.name + "'");
	}

	// --- acquire

	CompletableFuture<Void> acquire(Duration timeout, boolean attempt) {
		this.backend.checkOpen(this);
		Acquisition acquisition = new Acquisition(this, timeout, attempt);
		String wid;
		String acks;
		this.lock.lock();
		try {
			wid = this.backend.newWid();
			acquisition.wid = wid;
			acquisition.since = this.backend.sequence();
			acquisition.inFlight++;
			this.waiting.add(acquisition);
			this.backend.register(acquisition);
			if (!attempt) {
				this.sending++;
			}
			acks = drainAcks(CALL_ACKS);
		}
		finally {
			this.lock.unlock();
		}
		sendAcquire(acquisition, wid, acks);
		if (timeout != null && !attempt) {
			acquisition.timer = this.backend.schedule(acquisition.waiter::expire, timeout);
			if (acquisition.waiter.isDone()) {
				acquisition.stopTimer();
			}
		}
		return acquisition.waiter;
	}

	private void sendAcquire(Acquisition acquisition, String wid, String acks) {
		long sent = System.nanoTime();
		this.backend.link.eval(Script.ACQUIRE, this.keys, args(acks, wid, acquisition.attempt ? "try" : "wait"))
			.whenComplete((reply, ex) -> acquireAnswered(acquisition, wid, sent, reply, ex));
	}

	private void acquireAnswered(Acquisition acquisition, String wid, long sent, List<Object> reply, Throwable ex) {
		Runnable then = null;
		this.lock.lock();
		try {
			acquisition.inFlight--;
			if (ex != null) {
				acquisition.unanswered = true;
				if (acquisition.wid.equals(wid) && acquisition.state == State.SENDING) {
					LockstepException failure = failure(ex);
					Runnable cancel = withdrawLocked(acquisition);
					then = () -> {
						acquisition.stopTimer();
						cancel.run();
						endWait(acquisition, WaitOutcome.CANCELLED);
						acquisition.waiter.failed(failure);
					};
				}
			}
			else {
				observe(Snapshot.of(reply, 2), true);
				confirmLease(sent);
				long status = Snapshot.toLong(reply.get(0));
				boolean current = acquisition.wid.equals(wid);
				if (current && status == GRANTED && isWaiting(acquisition)) {
					then = hold(acquisition, Snapshot.toLong(reply.get(1)));
				}
				else if (current && status == QUEUED && acquisition.state == State.CANCELLING && !acquisition.withdrawing) {
					// withdrawn before Redis answered that it had queued it: counted until the CANCEL is answered
					acquisition.withdrawing = true;
					this.withdrawing++;
				}
				else if (current && status == QUEUED && acquisition.state == State.SENDING) {
					leaveSending(acquisition);
					acquisition.state = State.QUEUED;
					acquisition.since = this.backend.sequence();
					acquisition.waitToken = this.probe.waitStarted();
				}
				else if (current && status == BUSY && acquisition.state == State.SENDING) {
					leaveSending(acquisition);
					acquisition.state = State.ENDED;
					acquisition.unanswered = true; // nothing to acknowledge: it left no trace
					this.waiting.remove(acquisition);
					then = () -> acquisition.waiter.failed(refusal(acquisition));
				}
			}
			forgetIfEnded(acquisition, wid);
		}
		finally {
			this.lock.unlock();
		}
		if (then != null) {
			then.run();
		}
	}

	/** A zero-timeout acquire fails with a timeout; a try fails with a marker it maps to false. */
	private RuntimeException refusal(Acquisition acquisition) {
		if (acquisition.timeout != null) {
			this.probe.waitEnded(this.probe.waitStarted(), WaitOutcome.TIMEOUT);
			return new AcquireTimeoutException(this.kind, this.name, acquisition.timeout);
		}
		return Busy.INSTANCE;
	}

	/**
	 * An inbox message announced the grant of {@code wid} to {@code acquisition} (or to none of
	 * this primitive's, if {@code null}), caused by the release of {@code released} if not
	 * {@code null}: Redis has run that release, so the snapshot no longer counts it as pending,
	 * though its reply has not come (the announcement, on the other connection, may come first).
	 * The state and the release are taken in together, so that no query sees one without the other.
	 */
	void announced(Acquisition acquisition, String wid, long fence, Snapshot state, Acquisition released) {
		Runnable then = null;
		this.lock.lock();
		try {
			observe(state, false);
			if (released != null && released.owner == this && released.state == State.RELEASING
					&& !released.releaseRun) {
				released.releaseRun = true;
				this.releasing--;
			}
			if (acquisition != null && acquisition.wid.equals(wid) && isWaiting(acquisition)) {
				then = hold(acquisition, fence);
			}
		}
		finally {
			this.lock.unlock();
		}
		if (then != null) {
			then.run();
		}
	}

	private static boolean isWaiting(Acquisition acquisition) {
		return acquisition.state == State.SENDING || acquisition.state == State.QUEUED;
	}

	/** Records a grant; returns the completion to run once the lock is released. */
	private Runnable hold(Acquisition acquisition, long fence) {
		leaveSending(acquisition);
		this.grantedWaits++;
		acquisition.state = State.HELD;
		acquisition.fence = fence;
		acquisition.since = this.backend.sequence();
		acquisition.leaseEpoch = this.leaseEpoch;
		this.waiting.remove(acquisition);
		this.holds.addLast(acquisition);
		if (isLock()) {
			// a lock's acquire and release pair up; a semaphore's permits do not
			this.holdToken = this.probe.holdStarted();
		}
		return () -> grant(acquisition);
	}

	private void grant(Acquisition acquisition) {
		acquisition.stopTimer();
		endWait(acquisition, WaitOutcome.ACQUIRED);
		acquisition.waiter.granted();
	}

	private void endWait(Acquisition acquisition, WaitOutcome outcome) {
		long token = acquisition.waitToken;
		if (token != Long.MIN_VALUE) {
			acquisition.waitToken = Long.MIN_VALUE;
			this.probe.waitEnded(token, outcome);
		}
	}

	// --- withdraw

	/** Gives up a wait, for its future's cancel, timeout or failure. */
	Withdrawal withdraw(Acquisition acquisition, WaitOutcome outcome) {
		Runnable cancel;
		this.lock.lock();
		try {
			switch (acquisition.state) {
				case SENDING, QUEUED -> cancel = withdrawLocked(acquisition);
				case HELD, LOST, RELEASING -> {
					return Withdrawal.GRANTED;
				}
				default -> {
					return Withdrawal.ENDED;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		acquisition.stopTimer();
		cancel.run();
		endWait(acquisition, outcome);
		return Withdrawal.WITHDRAWN;
	}

	private Runnable withdrawLocked(Acquisition acquisition) {
		if (acquisition.state == State.QUEUED) {
			acquisition.withdrawing = true;
			this.withdrawing++;
		}
		leaveSending(acquisition);
		acquisition.state = State.CANCELLING;
		acquisition.inFlight++;
		this.waiting.remove(acquisition);
		this.cancelling++;
		String wid = acquisition.wid;
		String acks = drainAcks(CALL_ACKS);
		return () -> this.backend.link.eval(Script.CANCEL, this.keys, args(acks, wid))
			.whenComplete((reply, ex) -> cancelAnswered(acquisition, wid, reply, ex));
	}

	private void cancelAnswered(Acquisition acquisition, String wid, List<Object> reply, Throwable ex) {
		this.lock.lock();
		try {
			acquisition.inFlight--;
			if (ex != null) {
				// Redis may still have it: the next renewal finds it and cancels it again
				acquisition.unanswered = true;
			}
			else {
				observe(Snapshot.of(reply, 2), true);
			}
			if (acquisition.state == State.CANCELLING) {
				acquisition.state = State.ENDED;
				this.cancelling--;
				if (acquisition.withdrawing) {
					acquisition.withdrawing = false;
					this.withdrawing--;
				}
			}
			forgetIfEnded(acquisition, wid);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Cancels an id Redis has for this instance that no local acquisition answers to. */
	private void cancelOrphan(String wid) {
		String acks;
		this.lock.lock();
		try {
			acks = drainAcks(CALL_ACKS);
		}
		finally {
			this.lock.unlock();
		}
		this.backend.link.eval(Script.CANCEL, this.keys, args(acks, wid)).whenComplete((reply, ex) -> {
			if (ex == null) {
				observe(Snapshot.of(reply, 2), true);
			}
		});
	}

	private void forgetIfEnded(Acquisition acquisition, String wid) {
		if (acquisition.state == State.ENDED && acquisition.inFlight == 0) {
			this.backend.unregister(acquisition);
			if (!acquisition.unanswered && this.acks.size() < MAX_ACKS) {
				this.acks.add(wid);
			}
		}
	}

	// --- release

	/**
	 * Releases this instance's oldest hold, or, holding none, a permit as asyncio allows.
	 *
	 * <p>The release of a hold its lease covers (Redis confirmed the lease, and it has not lapsed
	 * since the grant: {@link #covered}), made while no other call of this instance's about this
	 * primitive awaits its reply, is sent and not waited for, as asyncio's {@code release()} does
	 * not wait: this instance's next calls go after it on the same connection, and other
	 * instances' waiters are granted when Redis has run it. Redis should not have reaped such a
	 * hold; should it answer that the hold is gone all the same (a release that reached Redis after
	 * the lease's deadline, Redis lost its data, or a release without a hold retired it), the loss
	 * is reported as every lost lease is:
	 * the hold's {@code lost()} stage, the log and the lost-lease count. A hold found lost, or
	 * whose lease is not confirmed, and a release without a hold, wait for Redis's answer, so
	 * that {@link LeaseLostException} and asyncio's errors are thrown here; except where that
	 * would block the thread that reads it: there it sends the release, returns, and logs a failure.
	 */
	void release() {
		this.backend.checkOpen(this);
		Taken taken = take(null);
		conclude(taken, (taken != null) ? send(taken) : releaseWithoutHold());
	}

	/** {@code Hold.release()}: what {@link #release()} does, for one hold. */
	void releaseHold(Acquisition held) {
		Taken taken = take(held);
		conclude(taken, (taken != null) ? send(taken) : notHeld(held));
	}

	private void conclude(Taken taken, CompletableFuture<Void> released) {
		if ((taken == null || !taken.covered()) && Completions.mayBlock()) {
			await(released);
		}
		else {
			logFailure(released);
		}
	}

	CompletableFuture<Void> releaseAsync() {
		this.backend.checkOpen(this);
		return release(null);
	}

	/**
	 * Releases one hold, or, given {@code null}, this instance's oldest hold (permits are alike),
	 * or without a hold if it has none.
	 * @return a future that fails with {@link LeaseLostException} if the hold's lease was lost, or
	 * with {@link IllegalStateException} if it is no longer held (released, or the primitives closed)
	 */
	CompletableFuture<Void> release(Acquisition held) {
		Taken taken = take(held);
		if (taken != null) {
			return send(taken);
		}
		return (held == null) ? releaseWithoutHold() : notHeld(held);
	}

	private CompletableFuture<Void> notHeld(Acquisition held) {
		return CompletableFuture.failedFuture(new IllegalStateException(this.kind + " '" + this.name
				+ "': the hold with fencing token " + held.fence + " is no longer held"));
	}

	/**
	 * A hold taken off this instance's list for its release.
	 * @param covered whether it was held under a lease Redis has confirmed, so it cannot be reaped,
	 * and nothing else of this primitive was in flight from this instance: its release need not be waited for
	 */
	private record Taken(Acquisition released, boolean wasLost, boolean covered, long token, String acks) {
	}

	/** Takes {@code held}, or the oldest hold if {@code null}, off the list; {@code null} if none. */
	private Taken take(Acquisition held) {
		this.lock.lock();
		try {
			Acquisition released = (held != null) ? (this.holds.remove(held) ? held : null) : this.holds.pollFirst();
			if (released == null) {
				return null;
			}
			boolean wasLost = released.state == State.LOST;
			// a grant announced on the inbox may overtake the replies on the command connection: with
			// nothing else of this instance in flight here, the snapshot counts this release alone as
			// pending, which the announcement it causes then settles (releaseRun); else the caller
			// waits, so that replies to the calls it made before come first, as they did
			boolean alone = this.sending == 0 && this.withdrawing == 0 && this.cancelling == 0 && this.releasing == 0;
			released.state = wasLost ? State.ENDED : State.RELEASING;
			if (wasLost) {
				forgetIfEnded(released, released.wid);
			}
			else {
				released.inFlight++;
				this.releasing++;
			}
			return new Taken(released, wasLost, !wasLost && alone && covered(released), this.holdToken,
					drainAcks(CALL_ACKS));
		}
		finally {
			this.lock.unlock();
		}
	}

	private CompletableFuture<Void> send(Taken taken) {
		Acquisition released = taken.released();
		if (isLock()) {
			this.probe.holdEnded(taken.token());
		}
		if (taken.wasLost()) {
			// the renewal that found it lost may still be reporting it: lost() returns its report
			return CompletableFuture.failedFuture(lost(released, "Redis no longer lists it"));
		}
		String wid = released.wid;
		CompletableFuture<Void> result = new Answer<>(this);
		this.backend.link.eval(Script.RELEASE, this.keys, args(taken.acks(), wid))
			.whenComplete((reply, ex) -> releaseAnswered(released, wid, reply, ex, result));
		return result;
	}

	private boolean isLock() {
		return "Lock".equals(this.kind);
	}

	private void releaseAnswered(Acquisition held, String wid, List<Object> reply, Throwable ex,
			CompletableFuture<Void> result) {
		this.lock.lock();
		try {
			held.inFlight--;
			if (held.state == State.RELEASING && !held.releaseRun) {
				this.releasing--;
			}
			held.state = State.ENDED;
			if (ex != null) {
				// Redis may still list the hold: the next renewal finds it and passes it on
				held.unanswered = true;
			}
			else {
				observe(Snapshot.of(reply, 2), true);
			}
			forgetIfEnded(held, wid);
		}
		finally {
			this.lock.unlock();
		}
		RuntimeException failure = null;
		if (ex != null) {
			failure = failure(ex);
		}
		else if (Snapshot.toLong(reply.get(0)) == LOST) {
			long how = Snapshot.toLong(reply.get(1));
			failure = lost(held, (how == RETIRED) ? "a release without a hold gave it back (asyncio semantics)"
					: (how == REAPED) ? "this instance did not renew its lease within " + this.backend.lease
							: "Redis no longer had it (its lease ran out, or Redis lost its data)");
		}
		complete(result, failure);
	}

	static void logFailure(CompletableFuture<?> call) {
		call.whenComplete((ignored, ex) -> {
			if (ex != null) {
				log.log(System.Logger.Level.WARNING, RedisLink.unwrap(ex).getMessage());
			}
		});
	}

	/** asyncio's release without an acquire: Redis decides whether a permit is outstanding. */
	private CompletableFuture<Void> releaseWithoutHold() {
		String acks;
		this.lock.lock();
		try {
			acks = drainAcks(CALL_ACKS);
		}
		finally {
			this.lock.unlock();
		}
		CompletableFuture<Void> result = new Answer<>(this);
		this.backend.link.eval(Script.RELEASE, this.keys, args(acks, "")).whenComplete((reply, ex) -> {
			if (ex != null) {
				complete(result, failure(ex));
				return;
			}
			observe(Snapshot.of(reply, 2), true);
			if (Snapshot.toLong(reply.get(0)) == RELEASED) {
				complete(result, null);
			}
			else {
				complete(result, new IllegalStateException(this.kind + " '" + this.name + "': "
						+ (isLock() ? "Lock is not acquired." : "BoundedSemaphore released too many times")));
			}
		});
		return result;
	}

	private static void complete(CompletableFuture<Void> result, RuntimeException failure) {
		Completions.run(() -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(null);
			}
		});
	}

	/** The blocking form of a call: waits at most the command timeout (and a little more). */
	<T> T await(CompletableFuture<T> call) {
		if (!Completions.mayBlock()) {
			throw new IllegalStateException(this.kind + " '" + this.name + "': this call needs a reply from Redis"
					+ " and would block the thread that reads it (a Lockstep continuation or a Lettuce thread);"
					+ " use its asynchronous form (tryAcquireAsync, releaseAsync)");
		}
		long millis = this.backend.link.timeout().toMillis() + 1000;
		try {
			return call.get(millis, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new RedisUnavailableException(this.kind, this.name, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new RedisUnavailableException(this.kind, this.name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisUnavailableException(this.kind, this.name, ex);
		}
	}

	// --- renewal and reconciliation

	/** The per-primitive arguments of a RENEW: shape and acknowledgements. */
	String[] renewArgs() {
		String acks;
		this.lock.lock();
		try {
			acks = drainAcks(RENEW_ACKS);
			this.grantedWaitsAtRenewal = this.grantedWaits;
		}
		finally {
			this.lock.unlock();
		}
		return new String[] { shape(), Integer.toString(this.permits), boundedFlag(), acks };
	}

	/**
	 * Reconciles with a RENEW reply: {@code {0, avail, queued, held, version, lease kept, my queued,
	 * wid, fence, …}}, or {@code {1, mismatch}}.
	 * @param sequence the backend's sequence number when the RENEW was sent
	 * @param sent when it was sent (System.nanoTime)
	 */
	void renewed(List<Object> reply, long sequence, long sent) {
		if (Snapshot.toLong(reply.get(0)) != 0) {
			this.backend.mismatch(this, failure(new RedisCommandExecutionException(String.valueOf(reply.get(1)))));
			return;
		}
		observe(Snapshot.of(reply, 1), true);
		List<Runnable> then = new ArrayList<>();
		boolean inspect;
		this.lock.lock();
		try {
			if (Snapshot.toLong(reply.get(5)) == 1) {
				confirmLease(sent);
			}
			Set<String> listed = reconcileHolds(reply, 7, sequence, then);
			// Redis must have every place queued here before the renewal, and may have besides the
			// places of waits sent, queued, withdrawn or granted since: more, or fewer, is a mismatch
			int expected = 0;
			int possible = 0;
			for (Acquisition acquisition : this.waiting) {
				if (acquisition.state == State.QUEUED && acquisition.since < sequence && !listed.contains(acquisition.wid)) {
					expected++;
				}
				possible++;
			}
			long queued = Snapshot.toLong(reply.get(6));
			inspect = queued < expected
					|| queued > possible + this.cancelling + (this.grantedWaits - this.grantedWaitsAtRenewal);
		}
		finally {
			this.lock.unlock();
		}
		then.forEach(Runnable::run);
		if (inspect) {
			inspect();
		}
	}

	/**
	 * Grants the local waiters Redis lists as holders, marks LOST the local holders it does not list
	 * (among those held before {@code sequence}), and cancels the ids it lists that no local
	 * acquisition answers to. Called holding the lock; adds what to run after it to {@code then}.
	 * @return the ids Redis listed
	 */
	private Set<String> reconcileHolds(List<Object> pairs, int from, long sequence, List<Runnable> then) {
		Set<String> listed = new HashSet<>();
		for (int i = from; i + 1 < pairs.size(); i += 2) {
			String wid = String.valueOf(pairs.get(i));
			listed.add(wid);
			Acquisition acquisition = this.backend.find(wid);
			if (acquisition == null || acquisition.owner != this) {
				then.add(() -> cancelOrphan(wid));
			}
			else if (acquisition.wid.equals(wid) && isWaiting(acquisition)) {
				then.add(hold(acquisition, Snapshot.toLong(pairs.get(i + 1))));
			}
		}
		for (Acquisition held : this.holds) {
			if (held.state == State.HELD && held.since < sequence && !listed.contains(held.wid)) {
				held.state = State.LOST;
				then.add(() -> log.log(System.Logger.Level.WARNING, lost(held,
						"Redis no longer lists it (this instance did not renew its lease within " + this.backend.lease
								+ ", or Redis lost its data)").getMessage()));
			}
		}
		return listed;
	}

	private void inspect() {
		this.inspections.incrementAndGet();
		long sequence = this.backend.sequence();
		String acks;
		this.lock.lock();
		try {
			acks = drainAcks(CALL_ACKS);
		}
		finally {
			this.lock.unlock();
		}
		this.backend.link.eval(Script.INSPECT, this.keys, args(acks)).whenComplete((reply, ex) -> {
			if (ex == null) {
				inspected(reply, sequence);
			}
		});
	}

	/**
	 * Reconciles with an INSPECT reply: {@code {avail, queued, held, version, {my queued wids},
	 * {wid, fence, …}}}.
	 */
	@SuppressWarnings("unchecked")
	private void inspected(List<Object> reply, long sequence) {
		observe(Snapshot.of(reply, 0), true);
		List<Object> queuedWids = (List<Object>) reply.get(4);
		List<Runnable> then = new ArrayList<>();
		this.lock.lock();
		try {
			Set<String> listed = reconcileHolds((List<Object>) reply.get(5), 0, sequence, then);
			Set<String> queued = new HashSet<>();
			for (Object wid : queuedWids) {
				queued.add(String.valueOf(wid));
				Acquisition acquisition = this.backend.find(String.valueOf(wid));
				if (acquisition == null || acquisition.owner != this) {
					then.add(() -> cancelOrphan(String.valueOf(wid)));
				}
			}
			for (Acquisition acquisition : this.waiting) {
				if (acquisition.state == State.QUEUED && acquisition.since < sequence
						&& !queued.contains(acquisition.wid) && !listed.contains(acquisition.wid)) {
					then.add(queueAgain(acquisition));
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		then.forEach(Runnable::run);
	}

	/** A waiter whose place Redis lost (lease expired, data lost) queues again, under a new id. */
	private Runnable queueAgain(Acquisition acquisition) {
		this.backend.unregister(acquisition);
		String wid = this.backend.newWid();
		acquisition.wid = wid;
		acquisition.state = State.SENDING;
		this.sending++;
		acquisition.since = this.backend.sequence();
		acquisition.inFlight++;
		this.backend.register(acquisition);
		String acks = drainAcks(CALL_ACKS);
		return () -> sendAcquire(acquisition, wid, acks);
	}

	/** Takes in that Redis has extended the lease by a call sent at {@code sent}. Called holding the lock. */
	private void confirmLease(long sent) {
		// a call sent in the last third of the lease (renewals come every third) or after it may
		// have reached Redis after the deadline, and found this instance's holds reaped
		if (sent - (this.leaseValidUntil - this.backend.leaseNanos / 3) > 0) {
			this.leaseEpoch++;
		}
		long until = sent + this.backend.leaseNanos;
		if (until - this.leaseValidUntil > 0) {
			this.leaseValidUntil = until;
		}
	}

	/** Withdraws everything this instance has here, for {@code close()}; returns the calls. */
	List<CompletableFuture<?>> leave() {
		List<String> wids = new ArrayList<>();
		List<Acquisition> waits;
		this.lock.lock();
		try {
			waits = new ArrayList<>(this.waiting);
			for (Acquisition acquisition : this.waiting) {
				leaveSending(acquisition);
				acquisition.state = State.ENDED;
				wids.add(acquisition.wid);
			}
			this.waiting.clear();
			for (Acquisition held : this.holds) {
				held.state = State.ENDED;
				wids.add(held.wid);
			}
			this.holds.clear();
		}
		finally {
			this.lock.unlock();
		}
		RedisUnavailableException closed = new RedisUnavailableException(this.kind, this.name,
				new IllegalStateException("the RedisPrimitives were closed"));
		for (Acquisition acquisition : waits) {
			acquisition.stopTimer();
			endWait(acquisition, WaitOutcome.CANCELLED);
			acquisition.waiter.failed(closed);
		}
		List<CompletableFuture<?>> calls = new ArrayList<>();
		for (String wid : wids) {
			calls.add(this.backend.link.eval(Script.CANCEL, this.keys, args("", wid)));
		}
		return calls;
	}

	// --- helpers

	private String drainAcks(int max) {
		if (this.acks.isEmpty()) {
			return "";
		}
		StringBuilder joined = new StringBuilder();
		for (int i = 0; i < max && !this.acks.isEmpty(); i++) {
			if (i > 0) {
				joined.append(' ');
			}
			joined.append(this.acks.poll());
		}
		return joined.toString();
	}

	private String[] args(String acks, String... op) {
		String[] args = new String[8 + op.length];
		args[0] = this.backend.instance;
		args[1] = this.backend.leaseMillis;
		args[2] = this.backend.inboxPrefix;
		args[3] = this.backend.retentionMillis();
		args[4] = shape();
		args[5] = Integer.toString(this.permits);
		args[6] = boundedFlag();
		args[7] = acks;
		System.arraycopy(op, 0, args, 8, op.length);
		return args;
	}

	/**
	 * Records that a hold's lease was lost, counts it, and tells its {@code lost()} stage. Not
	 * called holding the lock.
	 * @return the failure its release reports
	 */
	private LeaseLostException lost(Acquisition held, String reason) {
		LeaseLostException failure = new LeaseLostException(primitiveKind(), this.name, held.fence, reason);
		CompletableFuture<LeaseLostException> stage;
		this.lock.lock();
		try {
			if (held.lostWith != null) {
				return held.lostWith;
			}
			held.lostWith = failure;
			stage = held.lost;
		}
		finally {
			this.lock.unlock();
		}
		this.backend.leaseLost(this);
		if (stage != null) {
			Completions.run(() -> stage.complete(failure));
		}
		return failure;
	}

	/** The stage of {@code Hold.lost()}: completes once the hold is found lost. */
	CompletionStage<LeaseLostException> lost(Acquisition held) {
		this.lock.lock();
		try {
			if (held.lost == null) {
				held.lost = new CompletableFuture<>();
				if (held.lostWith != null) {
					held.lost.complete(held.lostWith);
				}
			}
			return held.lost.minimalCompletionStage();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether a hold is still held and covered by the lease Redis last confirmed. */
	boolean isValid(Acquisition held) {
		this.lock.lock();
		try {
			return held.state == State.HELD && covered(held);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether Redis cannot have reaped {@code held}: it was granted under the lease as Redis last
	 * confirmed it, and that lease has not run out. Called holding the lock.
	 */
	private boolean covered(Acquisition held) {
		return held.leaseEpoch == this.leaseEpoch && leaseCurrent();
	}

	PrimitiveKind primitiveKind() {
		return isLock() ? PrimitiveKind.LOCK : PrimitiveKind.SEMAPHORE;
	}

	/** What a failed call means for the caller: a shape mismatch, or Redis unavailable. */
	LockstepException failure(Throwable ex) {
		Throwable cause = RedisLink.unwrap(ex);
		if (cause instanceof LockstepException lockstep) {
			return lockstep;
		}
		String message = String.valueOf(cause.getMessage());
		int at = message.indexOf("LOCKSTEP_MISMATCH ");
		if (cause instanceof RedisCommandExecutionException && at >= 0) {
			String[] found = message.substring(at + "LOCKSTEP_MISMATCH ".length()).trim().split(" ");
			String there = (found.length == 3) ? describe(found[0], found[1], "1".equals(found[2])) : message;
			return new LockstepException(this.name, this.kind + " '" + this.name + "': Redis already has '" + this.name
					+ "' as " + there + ", but this instance asks for " + describe(shape(), Integer.toString(this.permits),
							this.bounded)
					+ "; give it the same definition on every instance, or another name");
		}
		return new RedisUnavailableException(this.kind, this.name, cause);
	}

	private static String describe(String shape, String permits, boolean bounded) {
		return "lock".equals(shape) ? "a lock"
				: "a " + (bounded ? "bounded " : "") + "semaphore of " + permits + " permits";
	}

	/** Number of acquisitions of this instance in each state, for tests. */
	int[] localCounts() {
		this.lock.lock();
		try {
			int[] counts = new int[State.values().length];
			this.waiting.forEach((acquisition) -> counts[acquisition.state.ordinal()]++);
			this.holds.forEach((acquisition) -> counts[acquisition.state.ordinal()]++);
			return counts;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether this instance's holds here are still covered by a lease Redis confirmed. */
	boolean leaseCurrent() {
		return System.nanoTime() - this.leaseValidUntil < 0;
	}

	/** The failure a try that found no permit completes with, mapped to {@code false}. */
	static final class Busy extends RuntimeException {

		private static final long serialVersionUID = 1L;

		static final Busy INSTANCE = new Busy();

		private Busy() {
			super("no permit free", null, false, false);
		}

	}

}
