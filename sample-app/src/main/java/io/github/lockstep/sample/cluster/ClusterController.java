package io.github.lockstep.sample.cluster;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint.PrimitiveDescriptor;
import io.github.lockstep.redis.RedisPrimitives;
import io.github.lockstep.sample.load.LoadGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /cluster/local} is this instance's {@link LocalView}; {@code GET /cluster} is the
 * page's cluster view: this instance's and each peer's, asked in parallel, a peer that does not
 * answer within {@code sample.cluster.timeout} shown down with the reason. Without peers (the
 * default profile) it is this instance alone. With primitives on Redis it adds {@code redis}: by
 * primitive and instance id, the holders and waiters Redis lists ({@link RedisShares}), so that a
 * down instance's holds show until its lease ends.
 */
@RestController
@RequestMapping("/cluster")
class ClusterController {

	private final LockstepEndpoint endpoint;

	private final LocalUse use;

	private final LoadGenerator load;

	private final Peers peers;

	private final JsonMapper json;

	private final Environment environment;

	private final RedisShares shares;

	private final String redisInstance;

	/** The Redis id each peer last reported, to name the holds it left behind once it is down. */
	private final Map<URI, String> peerRedisInstances = new ConcurrentHashMap<>();

	ClusterController(LockstepEndpoint endpoint, LocalUse use, LoadGenerator load, Peers peers, JsonMapper json,
			Environment environment, ObjectProvider<RedisShares> shares, ObjectProvider<RedisPrimitives> redis) {
		this.endpoint = endpoint;
		this.use = use;
		this.load = load;
		this.peers = peers;
		this.json = json;
		this.environment = environment;
		this.shares = shares.getIfAvailable();
		RedisPrimitives primitives = redis.getIfAvailable();
		this.redisInstance = (primitives != null) ? primitives.instanceId() : null;
	}

	@GetMapping("/local")
	LocalView local() {
		List<PrimitiveDescriptor> primitives = this.endpoint.primitives().primitives();
		Map<String, LocalUse.Use> use = new TreeMap<>();
		primitives.forEach((primitive) -> use.put(primitive.name(), this.use.of(primitive.name())));
		return new LocalView(instance(), primitives, use, this.load.status(),
				this.environment.acceptsProfiles(Profiles.of("cluster")), this.redisInstance);
	}

	@GetMapping
	CompletableFuture<Map<String, Object>> cluster() {
		List<CompletableFuture<Map<String, Object>>> views = new ArrayList<>();
		views.add(CompletableFuture.completedFuture(up(null, this.json.valueToTree(local()))));
		for (URI peer : this.peers.urls()) {
			views.add(this.peers.send(peer, "GET", "/cluster/local").thenApply((view) -> {
				if (view.path("redisInstance").isString()) {
					this.peerRedisInstances.put(peer, view.path("redisInstance").asString());
				}
				return up(peer, view);
			}).exceptionally((failure) -> down(peer, failure)));
		}
		return CompletableFuture.allOf(views.toArray(CompletableFuture<?>[]::new)).thenApply((all) -> {
			Map<String, Object> cluster = new LinkedHashMap<>();
			cluster.put("self", instance());
			cluster.put("instances", views.stream().map(CompletableFuture::join).toList());
			if (this.shares != null) {
				try {
					cluster.put("redis", this.shares.read());
				}
				catch (RuntimeException ex) {
					// Redis unreachable: the page falls back to each instance's own counts
					cluster.put("redisError", ex.getClass().getSimpleName() + ": " + ex.getMessage());
				}
			}
			return cluster;
		});
	}

	private String instance() {
		return "127.0.0.1:" + this.environment.getProperty("local.server.port", "8080");
	}

	private static Map<String, Object> up(URI url, JsonNode view) {
		Map<String, Object> instance = new LinkedHashMap<>();
		instance.put("instance", view.path("instance").asString());
		instance.put("url", (url != null) ? url.toString() : null);
		instance.put("up", true);
		instance.put("redisInstance", view.path("redisInstance").isString() ? view.path("redisInstance").asString() : null);
		instance.put("view", view);
		return instance;
	}

	private Map<String, Object> down(URI url, Throwable failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		Map<String, Object> instance = new LinkedHashMap<>();
		instance.put("instance", Peers.name(url));
		instance.put("url", url.toString());
		instance.put("up", false);
		instance.put("redisInstance", this.peerRedisInstances.get(url));
		instance.put("error", cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""));
		return instance;
	}

}
