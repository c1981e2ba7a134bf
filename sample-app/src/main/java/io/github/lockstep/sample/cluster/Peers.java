package io.github.lockstep.sample.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The other instances of {@link ClusterProperties#peers()}, over plain HTTP with the configured
 * timeout: a peer that does not answer in time fails the future, it never holds a caller up.
 *
 * <pre>{@code
 * for (URI peer : peers.urls()) {
 *     peers.send(peer, "GET", "/cluster/local").thenAccept((view) -> log.info("{}", view));
 * }
 * }</pre>
 */
@Component
public class Peers {

	private final ClusterProperties properties;

	private final JsonMapper json;

	private final HttpClient http;

	Peers(ClusterProperties properties, JsonMapper json) {
		this.properties = properties;
		this.json = json;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.timeout())
			.build();
	}

	/**
	 * Returns the peers' base URLs.
	 * @return every instance but this one
	 */
	public List<URI> urls() {
		return this.properties.peers();
	}

	/**
	 * Whether {@code url} is one of the configured peers.
	 * @param url a base URL
	 * @return whether it is listed in {@code sample.cluster.peers}
	 */
	public boolean contains(URI url) {
		return this.properties.peers().contains(url);
	}

	/**
	 * Sends a request to a peer.
	 * @param peer its base URL
	 * @param method {@code GET}, {@code POST}, {@code DELETE}
	 * @param path the path and query, such as {@code /cluster/local}
	 * @return the answer's JSON body, failed if the peer answered no 2xx or not in time
	 */
	public CompletableFuture<JsonNode> send(URI peer, String method, String path) {
		HttpRequest request = HttpRequest.newBuilder(peer.resolve(path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("Accept", "application/json")
			.timeout(this.properties.timeout())
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException(method + " " + peer.resolve(path) + " answered " + response.statusCode());
			}
			return response.body().isBlank() ? this.json.nullNode() : this.json.readTree(response.body());
		});
	}

	/**
	 * Names an instance by its host and port, as the page shows it.
	 * @param url its base URL
	 * @return {@code 127.0.0.1:8081}, say
	 */
	static String name(URI url) {
		return url.getHost() + ":" + url.getPort();
	}

}
