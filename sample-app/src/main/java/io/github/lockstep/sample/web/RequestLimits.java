package io.github.lockstep.sample.web;

import java.time.Duration;

/**
 * The longest waits and work a request may ask for. Each is well inside
 * {@code spring.mvc.async.request-timeout}, so that every asynchronous request is answered by the
 * scenario, never cut off by Spring MVC while its call runs on.
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
