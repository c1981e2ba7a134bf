package io.github.lockstep.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import io.github.lockstep.LeaseLostException;

/**
 * One call to acquire a permit, from the request to the release: its id in Redis ({@code wid}), its
 * state, its fencing token once granted, and the future its caller holds. Every field but the
 * final ones is guarded by the owning {@link RedisPermits}'s lock.
 */
final class Acquisition {

	/** Where an acquisition is; see {@link RedisPermits} for the transitions. */
	enum State {

		/** ACQUIRE sent, no reply yet. */
		SENDING,

		/** Redis has it in the queue. */
		QUEUED,

		/** Granted: the caller holds the permit. */
		HELD,

		/** Was held, but Redis no longer lists it: the lease ran out. */
		LOST,

		/** RELEASE sent. */
		RELEASING,

		/** Given up (cancel, timeout, failure) while waiting; CANCEL sent. */
		CANCELLING,

		/** Over; forgotten once no call about it is in flight. */
		ENDED

	}

	final RedisPermits owner;

	final RedisWaiter waiter;

	/** The timeout of a timed acquire, for its exception; {@code null} if none. */
	final Duration timeout;

	/** Whether it may not queue: {@code tryAcquire}, or a zero timeout. */
	final boolean attempt;

	String wid;

	State state = State.SENDING;

	long fence;

	/** The backend's sequence number when {@code state} last changed; see {@link RedisBackend#sequence()}. */
	long since;

	/** The lease epoch it was granted in (see {@code RedisPermits.leaseEpoch}). */
	long leaseEpoch;

	/** Calls about this acquisition whose reply has not come. */
	int inFlight;

	/** Whether a call failed without a reply: Redis may still run it, so its tombstone must stay. */
	boolean unanswered;

	/** Whether it is counted in {@code RedisPermits.withdrawing}. */
	boolean withdrawing;

	/** Whether it is RELEASING and no longer counted in {@code RedisPermits.releasing}: Redis has run the release. */
	boolean releaseRun;

	/** The probe's token for the wait, when it had to queue. */
	long waitToken = Long.MIN_VALUE;

	volatile ScheduledFuture<?> timer;

	/** Why the hold was lost, once it was. */
	LeaseLostException lostWith;

	/** Completed with {@code lostWith}; created when a hold asks for it. */
	CompletableFuture<LeaseLostException> lost;

	Acquisition(RedisPermits owner, Duration timeout, boolean attempt) {
		this.owner = owner;
		this.timeout = timeout;
		this.attempt = attempt;
		this.waiter = new RedisWaiter(this);
	}

	void stopTimer() {
		ScheduledFuture<?> task = this.timer;
		if (task != null) {
			task.cancel(false);
		}
	}

}
