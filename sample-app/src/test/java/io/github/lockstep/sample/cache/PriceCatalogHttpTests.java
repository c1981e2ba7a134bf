package io.github.lockstep.sample.cache;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.sample.SampleClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.lockstep.sample.SampleClient.answerOf;
import static io.github.lockstep.sample.SampleClient.answersOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cache warm-up over HTTP: once the catalog is marked stale, price requests wait for the next load
 * and are all answered from it; none is ever served from a cold catalog. (A price waits at most 10 s
 * for the event; every wait here is far shorter.)
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PriceCatalogHttpTests {

	private static final String[] SKUS = { "apple", "pear", "plum" };

	// each load adds its version in cents
	private static final Map<String, BigDecimal> BASE_PRICES = Map.of("apple", new BigDecimal("0.50"), "pear",
			new BigDecimal("0.70"), "plum", new BigDecimal("0.90"));

	private static final int REQUESTS = 12;

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void pricesAfterARefreshWaitUntilTheWarmUpCompletes() {
		assertThat(this.client.post("/cache/refresh").ok().path("warm").asBoolean()).isFalse();
		assertThat(this.client.primitive("cache-warm").path("waiting").asInt()).as("price requests left waiting")
			.isZero();
		List<CompletableFuture<Reply>> prices = this.client.sendAll(REQUESTS, "GET",
				(i) -> "/cache/prices/" + SKUS[i % SKUS.length]);
		JsonNode event = this.client.awaitPrimitive("cache-warm", (warm) -> warm.path("waiting").asInt() == REQUESTS,
				"every price request waiting for the warm-up");
		assertThat(event.path("set").asBoolean()).isFalse();
		assertThat(prices).noneMatch(CompletableFuture::isDone);

		CompletableFuture<Reply> warmUp = this.client.send("POST", "/cache/warm-up?loadTime=3s");
		// while the load runs the event stays clear, so the requests still wait
		assertThat(this.client.get("/cache").ok().path("warm").asBoolean()).isFalse();
		assertThat(this.client.primitive("cache-warm").path("waiting").asInt()).isEqualTo(REQUESTS);
		assertThat(prices).noneMatch(CompletableFuture::isDone);
		assertThat(warmUp).as("the load still running while the prices were checked").isNotDone();

		int version = answerOf(warmUp).ok().path("version").asInt();
		assertThat(version).isPositive();
		assertPricedFrom(version, answersOf(prices));
		JsonNode warm = this.client.primitive("cache-warm");
		assertThat(warm.path("set").asBoolean()).isTrue();
		assertThat(warm.path("waiting").asInt()).isZero();
		assertThat(this.client.get("/cache").ok().path("version").asInt()).isEqualTo(version);
	}

	@Test
	void pricesNeverComeFromAColdOrStaleCatalogAcrossRefreshes() {
		for (int round = 0; round < 3; round++) {
			this.client.post("/cache/refresh").ok();
			List<CompletableFuture<Reply>> before = this.client.sendAll(REQUESTS, "GET",
					(i) -> "/cache/prices/" + SKUS[i % SKUS.length]);
			CompletableFuture<Reply> warmUp = this.client.send("POST", "/cache/warm-up?loadTime=50ms");
			List<CompletableFuture<Reply>> during = this.client.sendAll(REQUESTS, "GET",
					(i) -> "/cache/prices/" + SKUS[i % SKUS.length]);
			int version = answerOf(warmUp).ok().path("version").asInt();
			assertPricedFrom(version, answersOf(before));
			assertPricedFrom(version, answersOf(during));
			// warm now: answered at once, from the same load
			assertPricedFrom(version, List.of(this.client.get("/cache/prices/apple")));
		}
	}

	@Test
	void unknownItemIsABadRequest() {
		if (!this.client.get("/cache").ok().path("warm").asBoolean()) {
			this.client.post("/cache/warm-up?loadTime=10ms").ok();
		}
		JsonNode problem = this.client.get("/cache/prices/kiwi").withStatus(400);
		assertThat(problem.path("detail").asString()).contains("Unknown item 'kiwi'");
	}

	private static void assertPricedFrom(int version, List<Reply> answers) {
		assertThat(answers).allSatisfy((answer) -> {
			JsonNode price = answer.ok();
			assertThat(price.path("catalogVersion").asInt()).as("catalog version of %s", answer).isEqualTo(version);
			assertThat(price.path("price").decimalValue())
				.isEqualByComparingTo(BASE_PRICES.get(price.path("sku").asString()).add(BigDecimal.valueOf(version, 2)));
		});
	}

}
