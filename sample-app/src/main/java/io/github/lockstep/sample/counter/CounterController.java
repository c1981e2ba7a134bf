package io.github.lockstep.sample.counter;

import java.time.Duration;
import java.util.Map;

import io.github.lockstep.sample.web.RequestLimits;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /counter?work=1ms} counts a visit under the lock; {@code GET /counter} reads the count.
 */
@RestController
@RequestMapping("/counter")
class CounterController {

	private final VisitCounter counter;

	CounterController(VisitCounter counter) {
		this.counter = counter;
	}

	@PostMapping
	Map<String, Long> increment(@RequestParam(defaultValue = "0ms") Duration work) {
		// the work runs holding the lock and a request thread: keep it short
		return Map.of("count", this.counter.increment(RequestLimits.atMost("work", work, Duration.ofSeconds(1))));
	}

	@GetMapping
	Map<String, Long> count() {
		return Map.of("count", this.counter.count());
	}

}
