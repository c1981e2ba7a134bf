package io.github.lockstep.sample.db;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.web.RequestLimits;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /db/orders/42?latency=50ms} queries through the 5-connection pool;
 * {@code GET /db} shows how many queries run now and the most that ever ran at once.
 */
@RestController
@RequestMapping("/db")
class OrderController {

	private final OrderRepository orders;

	OrderController(OrderRepository orders) {
		this.orders = orders;
	}

	@GetMapping("/orders/{id}")
	CompletableFuture<OrderRepository.Order> order(@PathVariable long id,
			@RequestParam(defaultValue = "50ms") Duration latency) {
		return this.orders.findOrder(id, RequestLimits.atMost("latency", latency, RequestLimits.WORK));
	}

	@GetMapping
	Map<String, Integer> pool() {
		return Map.of("inFlight", this.orders.inFlight(), "peakInFlight", this.orders.peakInFlight());
	}

}
