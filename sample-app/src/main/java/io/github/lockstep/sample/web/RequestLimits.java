package io.github.lockstep.sample.web;

import java.time.Duration;

/**
 * The longest waits and work a request may ask for: sane bounds on input, so that one request
 * cannot hold a connection or a ticket for an hour. Each is well inside
 * {@code spring.mvc.async.request-timeout}, so that a request is answered by its scenario (its
 * result, or the 503 of its own wait's timeout) rather than by Spring MVC's timeout. They are not
 * what ends the work of a request that does time out: Lockstep cancels that request's annotated
 * calls with it. The bank and the ticket office wait on their injected primitives in their own code,
 * which no request owns; there the limit on {@code ?timeout=} is what ends the wait in time.
 *
 * <pre>{@code
 * orders.findOrder(id, RequestLimits.atMost("latency", latency, RequestLimits.WORK));   // else 400
 * }</pre>
 */
public final class RequestLimits {

	/** The longest a caller may ask to wait ({@code ?timeout=}). */
	public static final Duration WAIT = Duration.ofSeconds(30);

	/** The longest simulated work ({@code ?latency=}, {@code ?runTime=}, {@code ?loadTime=}, {@code ?work=}). */
	public static final Duration WORK = Duration.ofSeconds(10);

	private RequestLimits() {
	}

	/**
	 * Checks a duration parameter.
	 * @param parameter its name, for the message
	 * @param value what the request asked for
	 * @param limit the most it may ask for
	 * @return {@code value}
	 * @throws IllegalArgumentException (answered 400) if {@code value} is negative or above {@code limit}
	 */
	public static Duration atMost(String parameter, Duration value, Duration limit) {
		if (value.isNegative() || value.compareTo(limit) > 0) {
			throw new IllegalArgumentException(
					parameter + " must be between 0 and " + limit.toSeconds() + "s, but was " + value.toMillis() + "ms");
		}
		return value;
	}

}
