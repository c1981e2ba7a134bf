package io.github.lockstep;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link AsyncEvent} as a flag and a queue of waiters. */
final class InMemoryEvent extends QueuedSync implements AsyncEvent, Instrumented {

	private volatile boolean set;

	InMemoryEvent(String name) {
		this(name, TimeoutScheduler.shared());
	}

	InMemoryEvent(String name, TimeoutScheduler scheduler) {
		super(PrimitiveKind.EVENT, name, scheduler);
	}

	@Override
	public void set() {
		if (this.set) {
			return;
		}
		List<Waiter<?>> woken;
		this.lock.lock();
		try {
			if (this.set) {
				return;
			}
			this.set = true;
			woken = takeAll();
			for (Waiter<?> waiter : woken) {
				waiter.grant(null);
			}
		}
		finally {
			this.lock.unlock();
		}
		settleAll(woken);
	}

	@Override
	public void clear() {
		this.set = false;
	}

	@Override
	public boolean isSet() {
		return this.set;
	}

	@Override
	public CompletableFuture<Void> await() {
		if (this.set) {
			return Settled.ACQUIRED;
		}
		return enqueue(new Waiter<>(this));
	}

	@Override
	public CompletableFuture<Void> await(Duration timeout) {
		long nanos = Timeouts.toNanos(timeout);
		if (this.set) {
			return Settled.ACQUIRED;
		}
		return (nanos > 0) ? timed(enqueue(new Waiter<>(this)), timeout, nanos) : refuseTimeout(timeout);
	}

	private CompletableFuture<Void> enqueue(Waiter<Void> waiter) {
		this.lock.lock();
		try {
			return this.set ? Settled.ACQUIRED : add(waiter);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** {@code set()} changes the flag and the queue holding the lock; {@code clear()} only the flag. */
	@Override
	public PrimitiveState state() {
		this.lock.lock();
		try {
			return PrimitiveState.event(name(), this.set, this.queue.size());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		int waiters = queueLength();
		return "Event '" + name() + "' [" + (this.set ? "set" : "unset") + ((waiters > 0) ? ", waiters:" + waiters : "")
				+ "]";
	}

}
