package io.github.lockstep.autoconfigure.interceptor;

import io.github.lockstep.autoconfigure.ForwardingPrimitives;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link SyncCallsTests} on a second backend ({@link ForwardingPrimitives}), chosen with
 * {@code lockstep.backend}: the interceptor needs nothing of the in-memory primitives' classes.
 */
@TestPropertySource(properties = "lockstep.backend=" + ForwardingPrimitives.BACKEND)
class SyncCallsOnAnotherBackendTests extends SyncCallsTests {

	@Test
	void everyPrimitiveComesFromTheOtherBackend() {
		ForwardingPrimitives.assertAllForwarding(this.registry);
	}

}
