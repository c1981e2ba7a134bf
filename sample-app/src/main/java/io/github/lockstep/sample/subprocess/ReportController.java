package io.github.lockstep.sample.subprocess;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.web.RequestLimits;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /subprocesses/render?runTime=300ms} runs a process once one of the permits is free
 * and answers when it has exited; {@code GET /subprocesses} shows how many run now and the most
 * that ever ran at once.
 */
@RestController
@RequestMapping("/subprocesses")
class ReportController {

	private final ReportRenderer renderer;

	ReportController(ReportRenderer renderer) {
		this.renderer = renderer;
	}

	@PostMapping("/render")
	CompletableFuture<ReportRenderer.Rendered> render(@RequestParam(defaultValue = "300ms") Duration runTime) {
		return this.renderer.render(RequestLimits.atMost("runTime", runTime, RequestLimits.WORK));
	}

	@GetMapping
	Map<String, Integer> state() {
		return Map.of("running", this.renderer.running(), "peakRunning", this.renderer.peakRunning());
	}

}
