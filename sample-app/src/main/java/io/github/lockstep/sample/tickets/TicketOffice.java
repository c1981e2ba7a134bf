package io.github.lockstep.sample.tickets;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncSemaphore;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * asyncio's {@code BoundedSemaphore} example: 3 tickets that callers take and give back by hand.
 * Giving back a ticket nobody took is a bug in the caller. The bounded semaphore catches it when it
 * would put more than 3 tickets in the office, with {@link IllegalStateException}; a stray return
 * while a ticket is out cannot be told from the real one, as with asyncio.
 *
 * <pre>{@code
 * office.take(Duration.ofSeconds(2))
 *     .thenCompose(left -> useTheTicket())
 *     .whenComplete((done, failure) -> office.giveBack());   // exactly once per ticket taken
 * }</pre>
 */
@Service
public class TicketOffice {

	private final AsyncSemaphore tickets;

	// tickets taken through this office and not given back through it: this instance's share
	private final AtomicInteger taken = new AtomicInteger();

	public TicketOffice(@Qualifier("tickets") AsyncSemaphore tickets) {
		this.tickets = tickets;
	}

	/**
	 * Takes a ticket, waiting up to {@code timeout} for one to come back.
	 * @param timeout how long to wait
	 * @return the tickets left, once one is taken; fails with
	 * {@link io.github.lockstep.AcquireTimeoutException} if none came back in time
	 */
	public CompletableFuture<Integer> take(Duration timeout) {
		return this.tickets.acquire(timeout).thenApply((granted) -> {
			this.taken.incrementAndGet();
			return this.tickets.availablePermits();
		});
	}

	/**
	 * Gives a ticket back.
	 * @return the tickets left
	 * @throws IllegalStateException if every ticket is already back
	 */
	public int giveBack() {
		// counted out before the release: the ticket may be taken elsewhere the moment it is back
		int before = this.taken.getAndUpdate((held) -> Math.max(0, held - 1));
		try {
			this.tickets.release();
		}
		catch (RuntimeException ex) {
			if (before > 0) {
				this.taken.incrementAndGet();
			}
			throw ex;
		}
		return this.tickets.availablePermits();
	}

	/**
	 * Returns the tickets taken through this office (this instance) and not yet given back.
	 * @return at most 3
	 */
	public int taken() {
		return this.taken.get();
	}

	/**
	 * Returns the tickets that can be taken now.
	 * @return at most 3
	 */
	public int available() {
		return this.tickets.availablePermits();
	}

}
