package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TimeoutScheduler} whose clock moves only when a test calls {@link #advance}: the due
 * tasks then run on the test's thread, in the order of their deadlines (and of scheduling, for
 * equal deadlines). Thread-safe, so that stress and model-checking tests can share one.
 *
 * <pre>{@code
 * ManualScheduler time = new ManualScheduler();
 * AsyncLock lock = new InMemoryLock("inventory", time);
 * CompletableFuture<Void> timed = lock.acquire(Duration.ofSeconds(2));
 * time.advance(Duration.ofSeconds(2));   // the timeout runs here
 * }</pre>
 */
final class ManualScheduler implements TimeoutScheduler {

	private final List<Task> tasks = new ArrayList<>();

	private long now;

	private long sequence;

	@Override
	public synchronized Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
		long nanos = unit.toNanos(delay);
		Task scheduled = new Task(task, (nanos > Long.MAX_VALUE - this.now) ? Long.MAX_VALUE : this.now + nanos,
				this.sequence++);
		this.tasks.add(scheduled);
		return scheduled;
	}

	/** Moves the clock on by {@code time}, running every task that falls due, in deadline order. */
	void advance(Duration time) {
		long until;
		synchronized (this) {
			until = this.now + time.toNanos();
		}
		for (Task next = takeDue(until); next != null; next = takeDue(until)) {
			next.run();
			next.assertRanCleanly();
		}
		synchronized (this) {
			this.now = until;
		}
	}

	/** Tasks scheduled and neither run nor cancelled. */
	synchronized int pending() {
		this.tasks.removeIf(Task::isCancelled);
		return this.tasks.size();
	}

	/** Scheduled tasks not yet run, cancelled ones included. */
	synchronized int scheduled() {
		return this.tasks.size();
	}

	private synchronized Task takeDue(long until) {
		Task first = null;
		for (Task task : this.tasks) {
			if (task.deadline <= until && (first == null || task.deadline < first.deadline
					|| (task.deadline == first.deadline && task.sequence < first.sequence))) {
				first = task;
			}
		}
		if (first != null) {
			this.tasks.remove(first);
			this.now = Math.max(this.now, first.deadline);
		}
		return first;
	}

	/** A scheduled task; cancelling it before it runs means it never does. */
	private static final class Task extends FutureTask<Void> {

		final long deadline;

		final long sequence;

		Task(Runnable task, long deadline, long sequence) {
			super(task, null);
			this.deadline = deadline;
			this.sequence = sequence;
		}

		/** A timeout task must not throw: it would be lost on a real scheduler's thread. */
		void assertRanCleanly() {
			try {
				get();
			}
			catch (ExecutionException ex) {
				throw new AssertionError("a timeout task threw", ex.getCause());
			}
			catch (CancellationException ex) {
				// cancelled while it ran: the wait ended meanwhile
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt(); // not reached: get() on a done task does not wait
			}
		}

	}

}
