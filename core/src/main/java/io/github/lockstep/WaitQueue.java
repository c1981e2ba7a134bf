package io.github.lockstep;

/**
 * A FIFO of waiters, linked through the waiters themselves so that taking one out from anywhere
 * costs O(1) and nothing else is allocated. Not thread-safe: the owning primitive guards it with
 * its lock.
 */
final class WaitQueue {

	/** Sentinel of a circular list; a waiter is queued exactly when its {@code next} is set. */
	private final Waiter<?> head = new Waiter<>(null);

	private int size;

	WaitQueue() {
		this.head.next = this.head;
		this.head.prev = this.head;
	}

	void add(Waiter<?> waiter) {
		Waiter<?> last = this.head.prev;
		waiter.prev = last;
		waiter.next = this.head;
		last.next = waiter;
		this.head.prev = waiter;
		this.size++;
	}

	/** Takes out the longest queued waiter, or returns {@code null} if there is none. */
	Waiter<?> poll() {
		Waiter<?> first = this.head.next;
		if (first == this.head) {
			return null;
		}
		unlink(first);
		return first;
	}

	/** Takes {@code waiter} out if it is queued here; returns whether it was. */
	boolean remove(Waiter<?> waiter) {
		if (waiter.next == null) {
			return false;
		}
		unlink(waiter);
		return true;
	}

	int size() {
		return this.size;
	}

	private void unlink(Waiter<?> waiter) {
		waiter.prev.next = waiter.next;
		waiter.next.prev = waiter.prev;
		waiter.prev = null;
		waiter.next = null;
		this.size--;
	}

}
