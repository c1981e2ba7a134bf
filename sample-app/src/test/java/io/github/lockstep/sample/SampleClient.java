package io.github.lockstep.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Real HTTP calls to the sample app on its random port, each answered as a {@link Reply} whose body
 * is read as JSON. {@link #send} returns at once, so that a test can have hundreds of requests in
 * flight and check that the ones that must wait have no answer yet.
 */
public final class SampleClient {

	/** How long a test waits for something that should happen soon. */
	public static final Duration DEADLINE = Duration.ofSeconds(8);

	/** Between two reads of a state that no answer reports; what is awaited is the state, not this. */
	private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// HTTP/1.1: one connection per request in flight, as browsers and load testers open them
	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	public SampleClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	/**
	 * Sends a request without waiting for its answer.
	 * @param method {@code GET}, {@code POST} or {@code DELETE}
	 * @param path the path and query, such as {@code /bank/withdraw?amount=5}
	 * @return the answer, once it came
	 */
	public CompletableFuture<Reply> send(String method, String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.method(method, HttpRequest.BodyPublishers.noBody()), method, path);
	}

	/**
	 * Sends a request with a JSON body without waiting for its answer.
	 * @param method {@code POST}, say
	 * @param path the path and query
	 * @param json the body
	 * @return the answer, once it came
	 */
	public CompletableFuture<Reply> send(String method, String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.method(method, HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json"), method, path);
	}

	private CompletableFuture<Reply> send(HttpRequest.Builder builder, String method, String path) {
		HttpRequest request = builder.header("Accept", "application/json, application/problem+json")
			.timeout(Duration.ofSeconds(30))
			.build();
		return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> new Reply(method + " " + path, response.statusCode(), read(response.body())));
	}

	/** Sends {@code count} requests at once, the path of each made from its index. */
	public List<CompletableFuture<Reply>> sendAll(int count, String method, IntFunction<String> path) {
		return IntStream.range(0, count).mapToObj((i) -> send(method, path.apply(i))).toList();
	}

	public Reply get(String path) {
		return answerOf(send("GET", path));
	}

	public Reply post(String path) {
		return answerOf(send("POST", path));
	}

	public Reply delete(String path) {
		return answerOf(send("DELETE", path));
	}

	/**
	 * Reads a primitive's state from the Actuator endpoint.
	 * @param name the primitive
	 * @return its description, such as {@code {"available": 0, "waiting": 7, ...}}
	 */
	public JsonNode primitive(String name) {
		return get("/actuator/lockstep/" + name).ok();
	}

	/** Reads {@code path} until its JSON satisfies {@code condition}, and returns it; fails after {@link #DEADLINE}. */
	public JsonNode awaitState(String path, Predicate<JsonNode> condition, String what) {
		return poll(() -> get(path).ok(), condition, what);
	}

	/** Reads a primitive until its state satisfies {@code condition}, and returns it. */
	public JsonNode awaitPrimitive(String name, Predicate<JsonNode> condition, String what) {
		return poll(() -> primitive(name), condition, what);
	}

	/**
	 * Reads until what is read satisfies {@code condition}, for states no answer reports (a request
	 * queued on a primitive); fails after {@link #DEADLINE}.
	 */
	public static <T> T poll(Supplier<T> read, Predicate<T> condition, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		T seen = read.get();
		while (!condition.test(seen)) {
			if (System.nanoTime() - deadline > 0) {
				fail("not within %s: %s (last seen: %s)", DEADLINE, what, seen);
			}
			LockSupport.parkNanos(POLL_INTERVAL.toNanos());
			seen = read.get();
		}
		return seen;
	}

	/** Waits for every request to be answered, and returns the answers in the order they were sent. */
	public static List<Reply> answersOf(List<CompletableFuture<Reply>> requests) {
		assertThat(CompletableFuture.allOf(requests.toArray(CompletableFuture<?>[]::new))).succeedsWithin(DEADLINE);
		return requests.stream().map(CompletableFuture::join).toList();
	}

	public static Reply answerOf(CompletableFuture<Reply> request) {
		assertThat(request).succeedsWithin(DEADLINE);
		return request.join();
	}

	/** Requests answered so far. */
	public static long answered(List<CompletableFuture<Reply>> requests) {
		return requests.stream().filter(CompletableFuture::isDone).count();
	}

	private static JsonNode read(String body) {
		return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
	}

	/**
	 * An HTTP answer.
	 * @param request what was asked, for failure messages
	 * @param status the status code
	 * @param body the body, read as JSON
	 */
	public record Reply(String request, int status, JsonNode body) {

		/** Checks that the status is 200, and returns the body. */
		public JsonNode ok() {
			assertThat(this.status).as("status of %s: %s", this.request, this.body).isEqualTo(200);
			return this.body;
		}

		/** Checks that the status is {@code expected}, and returns the body. */
		public JsonNode withStatus(int expected) {
			assertThat(this.status).as("status of %s: %s", this.request, this.body).isEqualTo(expected);
			return this.body;
		}

	}

}
