package io.github.lockstep.autoconfigure.web;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.autoconfigure.web.RequestCallsApplication.Client;
import io.github.lockstep.autoconfigure.web.RequestCallsApplication.Primitives;
import io.github.lockstep.autoconfigure.web.RequestCallsApplication.Work;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the request tests of both web stacks share: the application's service and primitives, a
 * client, the check that every test leaves everything free, and the rule that an answered request
 * cancels nothing.
 */
abstract class RequestCallsHttpTests {

	@LocalServerPort
	private int port;

	@Autowired
	protected Work work;

	@Autowired
	private LockstepRegistry registry;

	protected Primitives primitives;

	protected Client client;

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

	/**
	 * Once the request's call has left the queue of {@code slots}: lets the holder finish, and
	 * checks that its permit came back and the call never ran.
	 */
	protected void assertWithdrawnBehind(CompletableFuture<String> holder, String tag) {
		awaitUntil(() -> this.primitives.slots().queueLength() == 0, "the call of " + tag + " withdrawn");
		this.work.stage("holder").complete("done");
		assertThat(holder).isCompletedWithValue("done");
		assertThat(this.primitives.slots().availablePermits()).isEqualTo(1);
		assertThat(this.work.invocations(tag)).as("runs of " + tag).isZero();
	}

}
