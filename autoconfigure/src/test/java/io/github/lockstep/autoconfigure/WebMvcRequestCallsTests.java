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

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC on Tomcat, over real HTTP: a request that times out while its annotated call waits
 * or runs takes the call with it, however the controller returned the call; a request that is
 * answered leaves the jobs it started alone.
 */
@SpringBootTest(classes = RequestCallsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.mvc.async.request-timeout=300ms")
class WebMvcRequestCallsTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Work work;

	@Autowired
	private LockstepRegistry registry;

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

	@ParameterizedTest
	@ValueSource(strings = { "throttled", "wrapped" })
	void callQueuedWhenTheRequestTimesOutIsWithdrawnAndNeverRuns(String endpoint) {
		CompletableFuture<String> holder = this.work.throttled("holder");

		HttpResponse<String> response = this.client.get("/" + endpoint + "/late");

		assertThat(response.statusCode()).isEqualTo(503);
		awaitUntil(() -> this.primitives.slots().queueLength() == 0, "the timed-out call withdrawn");
		this.work.stage("holder").complete("done");
		assertThat(holder).isCompletedWithValue("done");
		assertThat(this.primitives.slots().availablePermits()).isEqualTo(1);
		assertThat(this.work.invocations("late")).isZero();
	}

	@Test
	void guardedCallQueuedWhenTheRequestTimesOutIsWithdrawnAndNeverRuns() {
		this.work.guarded("holder");

		HttpResponse<String> response = this.client.get("/guarded/late");

		assertThat(response.statusCode()).isEqualTo(503);
		awaitUntil(() -> this.primitives.ledger().queueLength() == 0, "the timed-out call withdrawn");
		this.work.stage("holder").complete("done");
		assertThat(this.primitives.ledger().isLocked()).isFalse();
		assertThat(this.work.invocations("late")).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "throttled", "wrapped" })
	void callRunningWhenTheRequestTimesOutHasItsStageCancelledAndGivesBackItsPermit(String endpoint) {
		HttpResponse<String> response = this.client.get("/" + endpoint + "/running");

		assertThat(response.statusCode()).isEqualTo(503);
		CompletableFuture<String> stage = this.work.stage("running");
		awaitUntil(stage::isCancelled, "the running call's stage cancelled");
		assertThat(this.primitives.slots().availablePermits()).isEqualTo(1);
		assertThat(this.work.invocations("running")).isOne();
	}

	@Test
	void callQueuedWhenTheClientGoesAwayIsWithdrawnByTheAsyncTimeoutAndNeverRuns() throws IOException {
		this.work.throttled("holder");
		Socket socket = this.client.open("/wrapped/gone");
		awaitUntil(() -> this.primitives.slots().queueLength() == 1, "the request's call queued");
		socket.close();

		// Tomcat does not watch the socket of a request in async mode: the async timeout ends it
		awaitUntil(() -> this.primitives.slots().queueLength() == 0, "the gone client's call withdrawn");
		this.work.stage("holder").complete("done");
		assertThat(this.primitives.slots().availablePermits()).isEqualTo(1);
		assertThat(this.work.invocations("gone")).isZero();
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
