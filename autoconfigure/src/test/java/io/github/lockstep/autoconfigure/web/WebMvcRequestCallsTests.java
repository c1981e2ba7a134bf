package io.github.lockstep.autoconfigure.web;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC on Tomcat, over real HTTP: a request that times out while its annotated call waits
 * or runs takes the call with it, however the controller returned the call; a request that is
 * answered leaves the jobs it started alone.
 */
@SpringBootTest(classes = RequestCallsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.mvc.async.request-timeout=300ms")
class WebMvcRequestCallsTests extends RequestCallsHttpTests {

	@ParameterizedTest
	@ValueSource(strings = { "throttled", "wrapped" })
	void callQueuedWhenTheRequestTimesOutIsWithdrawnAndNeverRuns(String endpoint) {
		CompletableFuture<String> holder = this.work.throttled("holder");

		HttpResponse<String> response = this.client.get("/" + endpoint + "/late");

		assertThat(response.statusCode()).isEqualTo(503);
		assertWithdrawnBehind(holder, "late");
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
		CompletableFuture<String> holder = this.work.throttled("holder");
		Socket socket = this.client.open("/wrapped/gone");
		awaitUntil(() -> this.primitives.slots().queueLength() == 1, "the request's call queued");

		socket.close();

		// Tomcat does not watch the socket of a request in async mode: the async timeout ends it
		assertWithdrawnBehind(holder, "gone");
	}

}
