package io.github.lockstep.sample.db;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.annotation.Throttled;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Repository;

/**
 * asyncio's {@code Semaphore} example: a database that takes at most 5 connections, and queries
 * that ask for one asynchronously. The 6th concurrent query waits for a permit holding no thread,
 * and its method only runs once it has one, so {@link #peakInFlight()} never exceeds 5.
 *
 * <pre>{@code
 * orders.findOrder(42, Duration.ofMillis(50))    // the caller gets the future at once
 *     .thenAccept(order -> log.info("{}", order.reference()));
 * }</pre>
 */
@Repository
public class OrderRepository {

	private final ScheduledExecutorService latency;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger peakInFlight = new AtomicInteger();

	private final Watcher watcher;

	public OrderRepository(ScheduledExecutorService latency, ObjectProvider<Watcher> watcher) {
		this.latency = latency;
		this.watcher = watcher.getIfAvailable(() -> Watcher.NONE);
	}

	/**
	 * Looks an order up, holding one of the pool's 5 permits from the moment this method is
	 * entered until the returned future completes.
	 * @param id the order
	 * @param latency how long the database takes to answer
	 * @return the order, once the database answered
	 */
	@Throttled(value = "db-pool", permits = 5)
	public CompletableFuture<Order> findOrder(long id, Duration latency) {
		this.watcher.started();
		this.peakInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
		AtomicBoolean ended = new AtomicBoolean();
		Runnable end = () -> {
			if (ended.compareAndSet(false, true)) {
				this.inFlight.decrementAndGet();
				this.watcher.ended();
			}
		};
		CompletableFuture<Order> answer = new CompletableFuture<>();
		ScheduledFuture<?> query = this.latency.schedule(() -> {
			end.run();
			answer.complete(new Order(id, "order-" + id));
		}, latency.toNanos(), TimeUnit.NANOSECONDS);
		// a cancelled answer (say the HTTP request timed out) withdraws the query, so the work stops
		// with the permit
		answer.whenComplete((order, failure) -> {
			query.cancel(false);
			end.run();
		});
		return answer;
	}

	/**
	 * Returns how many queries are running now.
	 * @return queries inside the pool
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * Returns the most queries that ever ran at once.
	 * @return at most 5
	 */
	public int peakInFlight() {
		return this.peakInFlight.get();
	}

	/**
	 * Told of each query as it starts and as it ends, both while it holds its permit: what a test
	 * needs to count the queries running in several instances at once. A bean of this type, if
	 * there is one, is the repository's watcher.
	 *
	 * <pre>{@code
	 * new SpringApplicationBuilder(SampleApplication.class)
	 *     .initializers((context) -> context.getBeanFactory().registerSingleton("watcher", sharedWatcher))
	 *     .run();
	 * }</pre>
	 */
	public interface Watcher {

		/** The watcher of a repository that has none. */
		Watcher NONE = new Watcher() {
			@Override
			public void started() {
			}

			@Override
			public void ended() {
			}
		};

		/** A query got its permit and starts. */
		void started();

		/** A query ended (answered or withdrawn) and is about to give its permit back. */
		void ended();

	}

	/**
	 * An order row.
	 * @param id its key
	 * @param reference its reference
	 */
	public record Order(long id, String reference) {
	}

}
