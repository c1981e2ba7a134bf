package io.github.lockstep.sample.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.sample.SampleClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.lockstep.sample.SampleClient.answered;
import static io.github.lockstep.sample.SampleClient.answersOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 5-connection database pool over HTTP: 200 queries at once all get their order, never more
 * than 5 run at a time, and the rest wait in the semaphore's queue meanwhile.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class OrderRepositoryHttpTests {

	private static final int QUERIES = 200;

	private static final int POOL = 5;

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void concurrentQueriesNeverExceedThePoolAndAllAreAnswered() {
		assertThat(this.client.get("/db").ok().path("inFlight").asInt()).as("queries left running by others").isZero();
		assertThat(this.client.primitive("db-pool").path("available").asInt()).isEqualTo(POOL);
		// the first 5 hold the connections long enough for the state to be read while the rest queue
		List<CompletableFuture<Reply>> queries = new ArrayList<>(
				this.client.sendAll(POOL, "GET", (i) -> "/db/orders/" + (1000 + i) + "?latency=3s"));
		this.client.awaitState("/db", (pool) -> pool.path("inFlight").asInt() == POOL, "every connection taken");
		queries.addAll(this.client.sendAll(QUERIES - POOL, "GET",
				(i) -> "/db/orders/" + (1000 + POOL + i) + "?latency=5ms"));

		JsonNode saturated = this.client.awaitPrimitive("db-pool",
				(pool) -> pool.path("available").asInt() == 0 && pool.path("waiting").asInt() > 0,
				"the pool saturated, with queries waiting for a connection");
		assertThat(saturated.path("permits").asInt()).isEqualTo(POOL);
		assertThat(answered(queries)).as("answered while the pool was saturated").isLessThan(QUERIES);

		List<Reply> answers = answersOf(queries);
		assertThat(IntStream.range(0, QUERIES)).allSatisfy((i) -> {
			JsonNode order = answers.get(i).ok();
			assertThat(order.path("id").asLong()).isEqualTo(1000 + i);
			assertThat(order.path("reference").asString()).isEqualTo("order-" + (1000 + i));
		});
		JsonNode pool = this.client.get("/db").ok();
		assertThat(pool.path("peakInFlight").asInt()).isEqualTo(POOL);
		assertThat(pool.path("inFlight").asInt()).isZero();
		JsonNode semaphore = this.client.primitive("db-pool");
		assertThat(semaphore.path("available").asInt()).isEqualTo(POOL);
		assertThat(semaphore.path("waiting").asInt()).isZero();
	}

	@Test
	void queryGivesItsConnectionBackWhenAnswered() {
		JsonNode order = this.client.get("/db/orders/7?latency=1ms").ok();
		assertThat(order.path("reference").asString()).isEqualTo("order-7");
		assertThat(this.client.get("/db").ok().path("inFlight").asInt()).isZero();
		JsonNode semaphore = this.client.primitive("db-pool");
		assertThat(semaphore.path("available").asInt()).isEqualTo(POOL);
		assertThat(semaphore.path("locked").asBoolean()).isFalse();
	}

}
