package io.github.lockstep.autoconfigure.web;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebFlux on Reactor Netty, over real HTTP: a client that goes away while its request's annotated
 * call waits or runs takes the call with it, whether the controller returned a {@code Mono}, the
 * call's own {@code CompletableFuture} or a future made from it; a request that is answered leaves
 * the jobs it started alone.
 */
@SpringBootTest(classes = RequestCallsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class WebFluxRequestCallsTests extends RequestCallsHttpTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void runsOnReactorNetty() {
		assertThat(this.context).isInstanceOf(ReactiveWebServerApplicationContext.class);
		assertThat(((ReactiveWebServerApplicationContext) this.context).getWebServer().getClass().getSimpleName())
			.isEqualTo("NettyWebServer");
	}

	@ParameterizedTest
	@ValueSource(strings = { "mono", "throttled", "wrapped" })
	void callQueuedWhenTheClientGoesAwayIsWithdrawnAndNeverRuns(String endpoint) throws IOException {
		CompletableFuture<String> holder = this.work.throttled("holder");
		Socket socket = this.client.open("/" + endpoint + "/gone");
		awaitUntil(() -> this.primitives.slots().queueLength() == 1, "the request's call queued");

		socket.close();

		assertWithdrawnBehind(holder, "gone");
	}

	@ParameterizedTest
	@ValueSource(strings = { "mono", "throttled", "wrapped" })
	void callRunningWhenTheClientGoesAwayHasItsStageCancelledAndGivesBackItsPermit(String endpoint)
			throws IOException {
		Socket socket = this.client.open("/" + endpoint + "/running");
		awaitUntil(() -> this.work.invocations("running") == 1, "the request's call running");

		socket.close();

		CompletableFuture<String> stage = this.work.stage("running");
		awaitUntil(stage::isCancelled, "the running call's stage cancelled");
		awaitUntil(() -> this.primitives.slots().availablePermits() == 1, "the permit given back");
	}

}
