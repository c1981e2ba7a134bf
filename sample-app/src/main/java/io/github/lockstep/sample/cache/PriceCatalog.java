package io.github.lockstep.sample.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.SetEvent;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * asyncio's {@code Event} example: requests that need a warm cache wait, holding no thread, until
 * the warm-up has finished. {@link #price} starts only once the {@code cache-warm} event is set,
 * and {@link #warmUp} sets it when its load completes, so no price is served from a cold catalog.
 * {@link #refresh} clears the event: requests that arrive while the next load runs wait for it.
 *
 * <pre>{@code
 * catalog.price("apple");                    // waits, holding no thread, while the catalog is cold
 * catalog.warmUp(Duration.ofSeconds(1));     // once loaded, sets cache-warm: the price is answered
 * }</pre>
 */
@Service
public class PriceCatalog {

	private final AsyncEvent warm;

	private final ScheduledExecutorService latency;

	private final AtomicInteger loads = new AtomicInteger();

	// replaced whole by each load, never by an older one; empty until the first load completes
	private final AtomicReference<Catalog> catalog = new AtomicReference<>(new Catalog(0, Map.of()));

	public PriceCatalog(@Qualifier("cache-warm") AsyncEvent warm, ScheduledExecutorService latency) {
		this.warm = warm;
		this.latency = latency;
	}

	/**
	 * Loads the catalog, taking {@code loadTime}, and sets {@code cache-warm} when it is in place.
	 * @param loadTime how long the load takes
	 * @return the version loaded
	 */
	@SetEvent("cache-warm")
	public CompletableFuture<Integer> warmUp(Duration loadTime) {
		int version = this.loads.incrementAndGet();
		CompletableFuture<Integer> loaded = new CompletableFuture<>();
		this.latency.schedule(() -> {
			BigDecimal step = BigDecimal.valueOf(version, 2);
			Catalog next = new Catalog(version, Map.of("apple", new BigDecimal("0.50").add(step), "pear",
					new BigDecimal("0.70").add(step), "plum", new BigDecimal("0.90").add(step)));
			// two loads may overlap: the newer one stays in place
			this.catalog.accumulateAndGet(next, (current, load) -> (load.version() > current.version()) ? load : current);
			loaded.complete(version);
		}, loadTime.toNanos(), TimeUnit.NANOSECONDS);
		return loaded;
	}

	/**
	 * Marks the catalog stale: requests from now on wait for the next {@link #warmUp}.
	 */
	public void refresh() {
		this.warm.clear();
	}

	/**
	 * Prices one item from the warm catalog.
	 * @param sku the item
	 * @return its price, and the catalog version it came from
	 * @throws IllegalStateException if no load has completed yet, which happens only when the event
	 * was set by hand (the Actuator endpoint, the page's "set" button) before any warm-up
	 * @throws IllegalArgumentException if the item is unknown
	 */
	@AwaitEvent(value = "cache-warm", timeout = "10s")
	public CompletableFuture<Price> price(String sku) {
		Catalog current = this.catalog.get();
		if (current.version() == 0) {
			throw new IllegalStateException("Price of '" + sku + "' asked before the catalog was ever loaded: "
					+ "'cache-warm' was set by hand before a warm-up (POST /cache/warm-up loads it)");
		}
		BigDecimal price = current.prices().get(sku);
		if (price == null) {
			throw new IllegalArgumentException("Unknown item '" + sku + "': try one of " + current.prices().keySet());
		}
		return CompletableFuture.completedFuture(new Price(sku, price, current.version()));
	}

	/**
	 * Returns whether the catalog is warm now.
	 * @return whether {@code cache-warm} is set
	 */
	public boolean isWarm() {
		return this.warm.isSet();
	}

	/**
	 * Returns the version of the catalog in place.
	 * @return 0 before the first load
	 */
	public int version() {
		return this.catalog.get().version();
	}

	private record Catalog(int version, Map<String, BigDecimal> prices) {
	}

	/**
	 * A price.
	 * @param sku the item
	 * @param price what it costs
	 * @param catalogVersion the load it came from
	 */
	public record Price(String sku, BigDecimal price, int catalogVersion) {
	}

}
