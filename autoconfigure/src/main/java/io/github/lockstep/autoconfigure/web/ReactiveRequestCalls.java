package io.github.lockstep.autoconfigure.web;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Binds the Lockstep calls that a WebFlux request starts to that request ({@link RequestCalls}),
 * and cancels those still pending when the response's subscription is cancelled (the client went
 * away) before the request is answered. A request that completes, with its result or an error
 * the application produced, cancels nothing.
 *
 * <p>A returned {@code Mono} or {@code Flux} needs none of this: the cancel reaches its
 * subscription, which gives the call up. A returned {@code CompletableFuture} is cancelled by
 * WebFlux ({@code Mono.fromCompletionStage} cancels the future), which reaches a Lockstep call
 * only if the future is the call's own; this filter reaches a call behind a future the controller
 * made from it ({@code service.find(id).thenApply(...)}) too, if the controller was called while
 * the filter chain was subscribed: so on the server's thread, unless the controller's arguments
 * had to be read first (a request body), which binds nothing.
 */
final class ReactiveRequestCalls implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return Mono.defer(() -> {
			RequestCalls calls = new RequestCalls();
			Publisher<Void> bound = (subscriber) -> {
				RequestCalls previous = RequestCalls.enter(calls);
				try {
					chain.filter(exchange).subscribe(subscriber);
				}
				finally {
					RequestCalls.leave(previous);
				}
			};
			return Mono.from(bound).doFinally((signal) -> calls.end(signal == SignalType.CANCEL));
		});
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
