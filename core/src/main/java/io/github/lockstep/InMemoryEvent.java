package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/** {@link AsyncEvent} as a flag and a queue of waiters. */
final class InMemoryEvent implements AsyncEvent, Waiter.Owner, Instrumented {

	private final String name;

	private final ReentrantLock lock = new ReentrantLock();

	private final WaitQueue queue = new WaitQueue();

	private volatile boolean set;

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	InMemoryEvent(String name) {
		this.name = name;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public PrimitiveKind kind() {
		return PrimitiveKind.EVENT;
	}

	@Override
	public PrimitiveProbe probe() {
		return this.probe;
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.probe = Objects.requireNonNull(probe, "probe");
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
			woken = new ArrayList<>(this.queue.size());
			for (Waiter<?> waiter = this.queue.poll(); waiter != null; waiter = this.queue.poll()) {
				waiter.grant(null);
				woken.add(waiter);
			}
		}
		finally {
			this.lock.unlock();
		}
		for (Waiter<?> waiter : woken) {
			Trampoline.run(waiter::settle);
		}
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
		if (nanos <= 0) {
			return Waiter.refused(this.probe, new AcquireTimeoutException(kind().displayName(), this.name, timeout));
		}
		Waiter<Void> waiter = new Waiter<>(this);
		CompletableFuture<Void> result = enqueue(waiter);
		if (result == waiter) {
			waiter.startTimer(timeout, nanos);
		}
		return result;
	}

	private CompletableFuture<Void> enqueue(Waiter<Void> waiter) {
		this.lock.lock();
		try {
			if (this.set) {
				return Settled.ACQUIRED;
			}
			waiter.queued();
			this.queue.add(waiter);
			return waiter;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean withdraw(Waiter<?> waiter) {
		this.lock.lock();
		try {
			return this.queue.remove(waiter);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public int queueLength() {
		this.lock.lock();
		try {
			return this.queue.size();
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
			return PrimitiveState.event(this.name, this.set, this.queue.size());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		int waiters = queueLength();
		return "Event '" + this.name + "' [" + (this.set ? "set" : "unset") + ((waiters > 0) ? ", waiters:" + waiters : "")
				+ "]";
	}

}
