package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.github.lockstep.autoconfigure.web.RequestCalls;
import io.micrometer.context.ContextSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a call that had to wait resumes: with its caller's context, the request that owns it among
 * it, whichever request's thread resumes it.
 */
class ResumptionTests {

	private final RequestCalls request = new RequestCalls();

	private final RequestCalls other = new RequestCalls();

	@AfterEach
	void endBothRequests() {
		this.request.end(true);
		this.other.end(true);
	}

	@Test
	void callResumedOnAnotherRequestsThreadStartsCallsForItsOwnRequest() {
		Resumption resumption = new Resumption(Resumption.callerContext(), null);
		RequestCalls previous = RequestCalls.enter(this.request);
		ContextSnapshot captured = resumption.capture();
		RequestCalls.leave(previous);
		CompletableFuture<Void> nested = new CompletableFuture<>();
		CompletableFuture<Void> afterwards = new CompletableFuture<>();

		previous = RequestCalls.enter(this.other);
		resumption.resume(captured, () -> RequestCalls.bindToCurrent(nested));
		RequestCalls.bindToCurrent(afterwards);
		RequestCalls.leave(previous);

		this.other.end(true);
		assertThat(nested).isNotDone();
		assertThat(afterwards).isCancelled();
		this.request.end(true);
		assertThat(nested).isCancelled();
	}

	@Test
	void callStartedOutsideAnyRequestResumesOutsideAnyRequest() {
		Executor direct = Runnable::run;
		Resumption resumption = new Resumption(Resumption.callerContext(), direct);
		ContextSnapshot captured = resumption.capture();
		CompletableFuture<Void> nested = new CompletableFuture<>();
		CompletableFuture<Void> afterwards = new CompletableFuture<>();

		RequestCalls previous = RequestCalls.enter(this.other);
		resumption.resume(captured, () -> RequestCalls.bindToCurrent(nested));
		RequestCalls.bindToCurrent(afterwards);
		RequestCalls.leave(previous);

		this.other.end(true);
		assertThat(nested).isNotDone();
		assertThat(afterwards).isCancelled();
	}

}
