package io.github.lockstep.sample.counter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.lockstep.annotation.Guarded;

import org.springframework.stereotype.Service;

/**
 * asyncio's {@code Lock} example: a read-modify-write of a shared counter that would lose updates
 * without the lock. The increment reads, pauses (standing in for work), and writes back; under
 * {@code @Guarded("counter")} no two run at once, so the count is exact however many requests race.
 *
 * <pre>{@code
 * long count = counter.increment(Duration.ZERO);   // blocks while another increment holds the lock
 * }</pre>
 */
@Service
public class VisitCounter {

	// guarded by the "counter" lock; volatile only so that unguarded readers see a recent value
	private volatile long count;

	// increments running now in this instance: 0 or 1, whether the lock is in memory or on Redis
	private final AtomicInteger inside = new AtomicInteger();

	/**
	 * Counts a visit. A synchronous method: a caller that finds the lock taken waits on its own
	 * thread (cheap on a virtual thread).
	 * @param work how long the read-modify-write takes
	 * @return the count after this visit
	 */
	@Guarded("counter")
	public long increment(Duration work) {
		this.inside.incrementAndGet();
		try {
			long seen = this.count;
			if (!work.isZero()) {
				LockSupport.parkNanos(work.toNanos());
			}
			else {
				Thread.yield();
			}
			this.count = seen + 1;
			return this.count;
		}
		finally {
			this.inside.decrementAndGet();
		}
	}

	/**
	 * Returns how many increments of this instance run now, holding the lock.
	 * @return 0 or 1
	 */
	public int holding() {
		return this.inside.get();
	}

	/**
	 * Returns the count.
	 * @return the visits counted
	 */
	public long count() {
		return this.count;
	}

}
