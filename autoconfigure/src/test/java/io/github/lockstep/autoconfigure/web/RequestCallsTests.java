package io.github.lockstep.autoconfigure.web;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calls a request owns: which calls bind to it, what its end does to them, and how the owner
 * travels with a call that is resumed on another request's thread.
 */
class RequestCallsTests {

	private final RequestCalls request = new RequestCalls();

	private final RequestCalls other = new RequestCalls();

	@AfterEach
	void noOwnerLeftOnTheThread() {
		CompletableFuture<Void> call = new CompletableFuture<>();
		RequestCalls.bindToCurrent(call);
		this.request.end(true);
		this.other.end(true);
		assertThat(call).as("a call started after the test").isNotCancelled();
	}

	@Test
	void endWithoutAnAnswerCancelsThePendingCallsStartedWhileEntered() {
		CompletableFuture<Void> before = new CompletableFuture<>();
		CompletableFuture<Void> pending = new CompletableFuture<>();
		CompletableFuture<Void> done = new CompletableFuture<>();
		CompletableFuture<Void> after = new CompletableFuture<>();
		RequestCalls.bindToCurrent(before);
		RequestCalls previous = RequestCalls.enter(this.request);
		RequestCalls.bindToCurrent(pending);
		RequestCalls.bindToCurrent(done);
		done.complete(null);
		RequestCalls.leave(previous);
		RequestCalls.bindToCurrent(after);

		this.request.end(true);

		assertThat(pending).isCancelled();
		assertThat(done).isCompletedWithValue(null);
		assertThat(before).isNotDone();
		assertThat(after).isNotDone();
	}

	@Test
	void callBoundAfterAnEndWithoutAnAnswerIsCancelledAtOnce() {
		this.request.end(true);
		CompletableFuture<Void> late = new CompletableFuture<>();

		this.request.bind(late);

		assertThat(late).isCancelled();
	}

	@Test
	void answeredEndCancelsNothingNowOrLater() {
		CompletableFuture<Void> job = new CompletableFuture<>();
		this.request.bind(job);

		this.request.end(false);
		this.request.end(true);
		CompletableFuture<Void> late = new CompletableFuture<>();
		this.request.bind(late);

		assertThat(job).isNotDone();
		assertThat(late).isNotDone();
	}

	@Test
	void manyEndedCallsLeaveThePendingOnesBound() {
		CompletableFuture<Void> first = new CompletableFuture<>();
		this.request.bind(first);
		for (int i = 0; i < 1000; i++) {
			CompletableFuture<Void> quick = new CompletableFuture<>();
			this.request.bind(quick);
			quick.complete(null);
		}
		CompletableFuture<Void> last = new CompletableFuture<>();
		this.request.bind(last);

		this.request.end(true);

		assertThat(first).isCancelled();
		assertThat(last).isCancelled();
	}

}
