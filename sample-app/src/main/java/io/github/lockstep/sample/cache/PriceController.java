package io.github.lockstep.sample.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.web.RequestLimits;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /cache/prices/apple} waits for a warm catalog; {@code POST /cache/warm-up?loadTime=1s}
 * loads it; {@code POST /cache/refresh} marks it stale; {@code GET /cache} says whether it is warm.
 */
@RestController
@RequestMapping("/cache")
class PriceController {

	private final PriceCatalog catalog;

	PriceController(PriceCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/prices/{sku}")
	CompletableFuture<PriceCatalog.Price> price(@PathVariable String sku) {
		return this.catalog.price(sku);
	}

	@PostMapping("/warm-up")
	CompletableFuture<Map<String, Integer>> warmUp(@RequestParam(defaultValue = "1s") Duration loadTime) {
		return this.catalog.warmUp(RequestLimits.atMost("loadTime", loadTime, RequestLimits.WORK)).thenApply((version) -> Map.of("version", version));
	}

	@PostMapping("/refresh")
	Map<String, Object> refresh() {
		this.catalog.refresh();
		return state();
	}

	@GetMapping
	Map<String, Object> state() {
		return Map.of("warm", this.catalog.isWarm(), "version", this.catalog.version());
	}

	@ExceptionHandler
	ProblemDetail neverLoaded(IllegalStateException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("Catalog not loaded");
		return problem;
	}

}
