package io.github.lockstep.autoconfigure.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;

/**
 * Binds the Lockstep calls that a servlet request starts to that request ({@link RequestCalls}),
 * and ends them with it: as a filter, it owns the calls started while the request's thread runs
 * the chain; as an async interceptor, it cancels those still pending when an async request
 * (a returned {@code CompletionStage}, {@code DeferredResult}, emitter) times out or gets an
 * error notification before its result is set. A request that is answered, synchronously or
 * with its async result, cancels nothing.
 *
 * <p>Spring MVC itself cancels nothing there: it adapts a returned {@code CompletionStage} to a
 * {@code DeferredResult} without keeping a way back to the stage, so a call still queued would be
 * admitted after the timeout and do its work for nobody.
 *
 * <p>Tomcat does not watch the socket of an HTTP/1.1 request in async mode (it polls for reads
 * only when the processor is not async), so a client that closes its connection while nothing
 * is written is noticed at the async timeout at the latest, and its calls cancelled then.
 */
final class ServletRequestCalls implements Filter, Ordered, DeferredResultProcessingInterceptor {

	private static final String CALLS = RequestCalls.class.getName();

	private static final String UNANSWERED = RequestCalls.class.getName() + ".UNANSWERED";

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request.getAttribute(CALLS) != null) {
			// a forward or include of a request that is bound already
			chain.doFilter(request, response);
			return;
		}
		RequestCalls calls = new RequestCalls();
		request.setAttribute(CALLS, calls);
		RequestCalls previous = RequestCalls.enter(calls);
		try {
			chain.doFilter(request, response);
		}
		finally {
			RequestCalls.leave(previous);
			if (!request.isAsyncStarted()) {
				// answered on this thread: what it started goes on
				calls.end(false);
			}
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public <T> boolean handleTimeout(NativeWebRequest request, DeferredResult<T> deferredResult) {
		// only called while the result is not set; the timeout answer is set after this, and the
		// calls are cancelled once it is written, so that their failure cannot become the answer
		request.setAttribute(UNANSWERED, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
		return true;
	}

	@Override
	public <T> boolean handleError(NativeWebRequest request, DeferredResult<T> deferredResult, Throwable t) {
		request.setAttribute(UNANSWERED, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
		return true;
	}

	@Override
	public <T> void afterCompletion(NativeWebRequest request, DeferredResult<T> deferredResult) {
		if (request.getAttribute(CALLS, RequestAttributes.SCOPE_REQUEST) instanceof RequestCalls calls) {
			calls.end(request.getAttribute(UNANSWERED, RequestAttributes.SCOPE_REQUEST) != null);
		}
	}

}
