package io.github.lockstep.autoconfigure;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.autoconfigure.RequestCallsApplication.Client;
import io.github.lockstep.autoconfigure.RequestCallsApplication.Primitives;
import io.github.lockstep.autoconfigure.RequestCallsApplication.Work;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
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
class WebFluxRequestCallsTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Work work;

	@Autowired
	private LockstepRegistry registry;

	@Autowired
	private ApplicationContext context;

	private Primitives primitives;

	private Client client;

	@BeforeEach
	void start() {
		this.primitives = Primitives.of(this.registry);
		this.client = new Client(this.port);
	}

	@AfterEach
	void everythingIsFreeAgain() {
		this.work.reset();
		this.primitives.assertIdle();
	}

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

		awaitUntil(() -> this.primitives.slots().queueLength() == 0, "the gone client's call withdrawn");
		this.work.stage("holder").complete("done");
		assertThat(holder).isCompletedWithValue("done");
		assertThat(this.primitives.slots().availablePermits()).isEqualTo(1);
		assertThat(this.work.invocations("gone")).isZero();
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

	@Test
	void answeredRequestCancelsNothingItStarted() {
		this.work.job("holder");

		CompletableFuture<HttpResponse<String>> response = this.client.getAsync("/with-job/answer");
		awaitUntil(() -> this.work.invocations("answer") == 1, "the answer's call running");
		this.work.stage("answer").complete("answered");

		assertThat(response.join().statusCode()).isEqualTo(200);
		assertThat(response.join().body()).isEqualTo("answered");
		assertThat(this.primitives.jobs().queueLength()).as("the job still waiting").isOne();
		this.work.stage("holder").complete("done");
		assertThat(this.work.invocations("answer-job")).isOne();
		assertThat(this.work.stage("answer-job")).isNotDone();
	}

}
