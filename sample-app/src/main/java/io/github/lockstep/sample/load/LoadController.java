package io.github.lockstep.sample.load;

import java.net.URI;
import java.time.Duration;

import io.github.lockstep.sample.cluster.Peers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@code POST /load?duration=30s} drives every scenario at once (409 while a run is going), here
 * and on every peer ({@code sample.cluster.peers}; {@code &scope=instance}: here only);
 * {@code GET /load} reports on this instance's run; {@code DELETE /load} stops it, here and on
 * the peers. With
 * {@code sample.load.at-startup=60s} (the {@code load} profile sets it) a run starts with the app.
 */
@RestController
@RequestMapping("/load")
class LoadController {

	private static final Logger logger = LoggerFactory.getLogger(LoadController.class);

	private final LoadGenerator load;

	private final Peers peers;

	private final Duration atStartup;

	LoadController(LoadGenerator load, Peers peers, @Value("${sample.load.at-startup:0s}") Duration atStartup) {
		this.load = load;
		this.peers = peers;
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
	LoadStatus start(@RequestParam(defaultValue = "30s") Duration duration,
			@RequestParam(defaultValue = "cluster") String scope) {
		LoadStatus status = this.load.start(duration);
		if (toPeers(scope)) {
			toPeers("POST", "/load?scope=instance&duration=" + duration);
		}
		return status;
	}

	@GetMapping
	LoadStatus status() {
		return this.load.status();
	}

	@DeleteMapping
	LoadStatus stop(@RequestParam(defaultValue = "cluster") String scope) {
		if (toPeers(scope)) {
			toPeers("DELETE", "/load?scope=instance");
		}
		return this.load.stop();
	}

	/** Tells every peer, without waiting: a peer that is down or already running misses this run. */
	private void toPeers(String method, String path) {
		for (URI peer : this.peers.urls()) {
			this.peers.send(peer, method, path)
				.whenComplete((answer, failure) -> {
					if (failure != null) {
						logger.info("{} {} on peer {} failed: {}", method, path, peer, failure.getMessage());
					}
				});
		}
	}

	/**
	 * {@code cluster}: this instance and its peers; {@code instance}: this one only, which is how
	 * an instance passes a start or a stop on.
	 */
	private static boolean toPeers(String scope) {
		return switch (scope) {
			case "cluster" -> true;
			case "instance" -> false;
			default -> throw new IllegalArgumentException("scope must be cluster or instance, but was '" + scope + "'");
		};
	}

	@ExceptionHandler
	ProblemDetail alreadyRunning(IllegalStateException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

}
