package io.github.lockstep.autoconfigure.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Lockstep's annotated calls relate to the web requests that start them.
 *
 * <pre>{@code
 * lockstep:
 *   web:
 *     cancel-on-request-end: false   # keep waiting after the request has timed out
 * }</pre>
 */
@ConfigurationProperties("lockstep.web")
public class LockstepWebProperties {

	/**
	 * Whether the asynchronous annotated calls a web request started are cancelled when the
	 * request ends before it is answered (Spring MVC's async request timeout, a container error,
	 * a WebFlux client that went away): a waiting call is withdrawn without running, and a running
	 * one has the cancel forwarded to its method's stage. A request that is answered cancels
	 * nothing.
	 */
	private boolean cancelOnRequestEnd = true;

	public boolean isCancelOnRequestEnd() {
		return this.cancelOnRequestEnd;
	}

	public void setCancelOnRequestEnd(boolean cancelOnRequestEnd) {
		this.cancelOnRequestEnd = cancelOnRequestEnd;
	}

}
