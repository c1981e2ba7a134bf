package io.github.lockstep.autoconfigure.endpoint;

import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint.PrimitiveDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of {@link LockstepEndpoint}: an action on a primitive that does not exist answers
 * 404, where a write operation's {@code null} would answer 204.
 *
 * <pre>{@code
 * POST /actuator/lockstep/no-such-event  {"action": "set"}   ->  404
 * }</pre>
 *
 * <p>Without Spring Boot's auto-configuration: {@code new LockstepEndpointWebExtension(endpoint)}
 * as a bean next to the endpoint's.
 */
@EndpointWebExtension(endpoint = LockstepEndpoint.class)
public class LockstepEndpointWebExtension {

	private final LockstepEndpoint endpoint;

	/**
	 * Creates the HTTP side of an endpoint.
	 * @param endpoint the endpoint
	 */
	public LockstepEndpointWebExtension(LockstepEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Sets or clears an event, or resets or aborts a barrier, as
	 * {@link LockstepEndpoint#change(String, String)} does.
	 * @param name the primitive's name
	 * @param action {@code set}, {@code clear}, {@code reset} or {@code abort}
	 * @return the primitive's new state, or 404 if no primitive has that name
	 */
	@WriteOperation
	public WebEndpointResponse<PrimitiveDescriptor> change(@Selector String name, @Nullable String action) {
		PrimitiveDescriptor changed = this.endpoint.change(name, action);
		return (changed != null) ? new WebEndpointResponse<>(changed)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
