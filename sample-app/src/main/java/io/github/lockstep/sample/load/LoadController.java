package io.github.lockstep.sample.load;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /load?duration=30s} drives every scenario at once (409 while a run is going);
 * {@code GET /load} reports on it; {@code DELETE /load} stops it. With
 * {@code sample.load.at-startup=60s} (the {@code load} profile sets it) a run starts with the app.
 */
@RestController
@RequestMapping("/load")
class LoadController {

	private final LoadGenerator load;

	private final Duration atStartup;

	LoadController(LoadGenerator load, @Value("${sample.load.at-startup:0s}") Duration atStartup) {
		this.load = load;
		this.atStartup = atStartup;
	}

	@EventListener(ApplicationReadyEvent.class)
	void startWithTheApp() {
		if (!this.atStartup.isZero()) {
			this.load.start(this.atStartup);
		}
	}

	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	LoadStatus start(@RequestParam(defaultValue = "30s") Duration duration) {
		return this.load.start(duration);
	}

	@GetMapping
	LoadStatus status() {
		return this.load.status();
	}

	@DeleteMapping
	LoadStatus stop() {
		return this.load.stop();
	}

	@ExceptionHandler
	ProblemDetail alreadyRunning(IllegalStateException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

}
