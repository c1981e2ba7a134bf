package io.github.lockstep.sample.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Only in the {@code cluster} profile: {@code POST /cluster/halt} ends this instance abruptly,
 * as {@code kill -9} would ({@link Runtime#halt}: no shutdown hook, no graceful shutdown, its
 * holds in Redis left to the lease); {@code POST /cluster/halt?peer=http://127.0.0.1:8081} asks a
 * configured peer to do so, which is how the page reaches the other instance.
 */
@RestController
@RequestMapping("/cluster")
@Profile("cluster")
class HaltController {

	private static final Logger logger = LoggerFactory.getLogger(HaltController.class);

	/** Long enough for the answer to be written before the process ends. */
	private static final Duration ANSWER_FIRST = Duration.ofMillis(200);

	private final Peers peers;

	HaltController(Peers peers) {
		this.peers = peers;
	}

	@PostMapping("/halt")
	@ResponseStatus(HttpStatus.ACCEPTED)
	CompletableFuture<Map<String, String>> halt(@RequestParam(required = false) URI peer) {
		if (peer != null) {
			if (!this.peers.contains(peer)) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
						peer + " is not one of sample.cluster.peers " + this.peers.urls());
			}
			return this.peers.send(peer, "POST", "/cluster/halt").thenApply((answer) -> Map.of("halting", peer.toString()));
		}
		logger.warn("Halting now, as kill -9 would: holds and queue places are left to the lease");
		CompletableFuture.delayedExecutor(ANSWER_FIRST.toMillis(), TimeUnit.MILLISECONDS)
			.execute(() -> Runtime.getRuntime().halt(137));
		return CompletableFuture.completedFuture(Map.of("halting", "this instance"));
	}

}
