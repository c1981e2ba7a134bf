package io.github.lockstep.sample.batch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.web.RequestLimits;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /batch/shards/3?work=100ms} answers once 5 shards have arrived and this one's work is
 * done; {@code GET /batch} counts the shards started and finished.
 */
@RestController
@RequestMapping("/batch")
class BatchController {

	private final BatchJob job;

	BatchController(BatchJob job) {
		this.job = job;
	}

	@PostMapping("/shards/{shard}")
	CompletableFuture<BatchJob.ShardReport> process(@PathVariable int shard,
			@RequestParam(defaultValue = "100ms") Duration work) {
		return this.job.process(shard, RequestLimits.atMost("work", work, RequestLimits.WORK));
	}

	@GetMapping
	Map<String, Integer> state() {
		return Map.of("started", this.job.started(), "finished", this.job.finished());
	}

}
