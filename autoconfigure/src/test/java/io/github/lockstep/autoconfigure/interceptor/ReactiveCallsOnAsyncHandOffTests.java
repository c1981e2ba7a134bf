package io.github.lockstep.autoconfigure.interceptor;

import io.github.lockstep.AsyncHandOffPrimitives;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ReactiveCallsTests} on core's {@link AsyncHandOffPrimitives}, whose grants complete on another
 * thread a moment after the release, as on a network backend: the call path asks of a backend only
 * what every backend promises.
 */
@TestPropertySource(properties = "lockstep.backend=" + CallsApplication.ASYNC_HAND_OFF)
class ReactiveCallsOnAsyncHandOffTests extends ReactiveCallsTests {

}
