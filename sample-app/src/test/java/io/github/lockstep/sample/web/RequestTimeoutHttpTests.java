package io.github.lockstep.sample.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.sample.SampleClient.Reply;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that Spring MVC times out take their annotated calls with them: the queries holding the
 * pool's connections are cancelled and the one waiting for a connection is withdrawn, long before
 * their latency would have ended them.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.mvc.async.request-timeout=500ms")
class RequestTimeoutHttpTests {

	private static final int POOL = 5;

	@LocalServerPort
	private int port;

	@Test
	void timedOutQueriesGiveTheirConnectionsBackAtOnce() {
		SampleClient client = new SampleClient(this.port);
		// each would hold its connection for 10 s, longer than the client's deadline to see them freed
		List<CompletableFuture<Reply>> queries = new ArrayList<>(
				client.sendAll(POOL, "GET", (i) -> "/db/orders/" + i + "?latency=10s"));
		client.awaitState("/db", (pool) -> pool.path("inFlight").asInt() == POOL, "every connection taken");
		queries.add(client.send("GET", "/db/orders/99?latency=10s"));
		client.awaitPrimitive("db-pool", (pool) -> pool.path("waiting").asInt() == 1, "a query waiting");

		assertThat(SampleClient.answersOf(queries)).extracting(Reply::status).containsOnly(503);

		client.awaitPrimitive("db-pool",
				(pool) -> pool.path("available").asInt() == POOL && pool.path("waiting").asInt() == 0,
				"every connection free and no query waiting");
		assertThat(client.get("/db").ok().path("inFlight").asInt()).as("queries still running").isZero();
	}

}
