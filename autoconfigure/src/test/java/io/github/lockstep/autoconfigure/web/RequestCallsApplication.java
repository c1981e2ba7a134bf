package io.github.lockstep.autoconfigure.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose controller answers with annotated calls, run on Spring MVC and on WebFlux
 * by the request tests: each call counts its method's invocations under a tag and returns a stage
 * that the test completes, so that a test sees whether a request's call ever ran and whether its
 * stage was cancelled.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class RequestCallsApplication {

	@Bean
	Work work() {
		return new Work();
	}

	/** The annotated service: one permit of {@code slots}, the lock {@code ledger}, one permit of {@code jobs}. */
	static class Work {

		private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();

		private final Map<String, CompletableFuture<String>> stages = new ConcurrentHashMap<>();

		@Throttled(value = "slots", permits = 1)
		public CompletableFuture<String> throttled(String tag) {
			return started(tag);
		}

		@Throttled(value = "slots", permits = 1)
		public Mono<String> mono(String tag) {
			return Mono.defer(() -> Mono.fromFuture(started(tag)));
		}

		@Guarded("ledger")
		public CompletableFuture<String> guarded(String tag) {
			return started(tag);
		}

		@Throttled(value = "jobs", permits = 1)
		public CompletableFuture<String> job(String tag) {
			return started(tag);
		}

		private CompletableFuture<String> started(String tag) {
			this.invocations.computeIfAbsent(tag, (key) -> new AtomicInteger()).incrementAndGet();
			CompletableFuture<String> stage = new CompletableFuture<>();
			assertThat(this.stages.putIfAbsent(tag, stage)).as("a second stage for %s", tag).isNull();
			return stage;
		}

		/** How often the method body ran for the tag. */
		int invocations(String tag) {
			AtomicInteger count = this.invocations.get(tag);
			return (count != null) ? count.get() : 0;
		}

		/** The stage the method returned for the tag; fails if the method never ran for it. */
		CompletableFuture<String> stage(String tag) {
			CompletableFuture<String> stage = this.stages.get(tag);
			assertThat(stage).as("the stage of %s", tag).isNotNull();
			return stage;
		}

		/** Completes every stage still running, and forgets them all. */
		void reset() {
			this.stages.values().forEach((stage) -> stage.complete("reset"));
			this.stages.clear();
			this.invocations.clear();
		}

	}

	/** The requests: each returns an annotated call, as it is or wrapped; registered as a member class. */
	@RestController
	static class Endpoints {

		private final Work work;

		Endpoints(Work work) {
			this.work = work;
		}

		@GetMapping("/throttled/{tag}")
		CompletableFuture<String> throttled(@PathVariable String tag) {
			return this.work.throttled(tag);
		}

		/** A controller that makes its own future from the call's: cancelling it reaches no call. */
		@GetMapping("/wrapped/{tag}")
		CompletableFuture<String> wrapped(@PathVariable String tag) {
			return this.work.throttled(tag).thenApply((value) -> "wrapped " + value);
		}

		@GetMapping("/guarded/{tag}")
		CompletableFuture<String> guarded(@PathVariable String tag) {
			return this.work.guarded(tag).thenApply((value) -> "guarded " + value);
		}

		@GetMapping("/mono/{tag}")
		Mono<String> mono(@PathVariable String tag) {
			return this.work.mono(tag).map((value) -> "mono " + value);
		}

		/** Starts a job that the answer does not wait for; answers with the call {@code tag}. */
		@GetMapping("/with-job/{tag}")
		CompletableFuture<String> withJob(@PathVariable String tag) {
			this.work.job(tag + "-job");
			return this.work.throttled(tag);
		}

	}

	/** The primitives the requests use, and checks that nothing is left holding or waiting. */
	record Primitives(AsyncSemaphore slots, AsyncLock ledger, AsyncSemaphore jobs) {

		static Primitives of(LockstepRegistry registry) {
			return new Primitives(registry.semaphore("slots").orElseThrow(), registry.lock("ledger").orElseThrow(),
					registry.semaphore("jobs").orElseThrow());
		}

		void assertIdle() {
			assertThat(this.slots.availablePermits()).as("free slots").isEqualTo(1);
			assertThat(this.slots.queueLength()).as("calls waiting for a slot").isZero();
			assertThat(this.ledger.isLocked()).as("ledger locked").isFalse();
			assertThat(this.ledger.queueLength()).as("calls waiting for the ledger").isZero();
			assertThat(this.jobs.availablePermits()).as("free job permits").isEqualTo(1);
			assertThat(this.jobs.queueLength()).as("jobs waiting").isZero();
		}

	}

	/** Requests over real HTTP. */
	static final class Client {

		private final HttpClient http = HttpClient.newHttpClient();

		private final int port;

		Client(int port) {
			this.port = port;
		}

		HttpResponse<String> get(String path) {
			try {
				return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
						HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		CompletableFuture<HttpResponse<String>> getAsync(String path) {
			return this.http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}

		/**
		 * Sends a request on a socket of its own and leaves it open: closing the socket is the
		 * client going away before the answer.
		 */
		Socket open(String path) throws IOException {
			Socket socket = new Socket("localhost", this.port);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return socket;
		}

	}

}
