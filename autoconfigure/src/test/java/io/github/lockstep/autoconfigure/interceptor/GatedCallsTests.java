package io.github.lockstep.autoconfigure.interceptor;

import io.github.lockstep.autoconfigure.Gates;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the tests of annotated calls share: the {@link Gates} their service's methods wait on,
 * closed again before each test, and the registry of the primitives the annotations name.
 */
abstract class GatedCallsTests {

	/** How many calls a test of a limit issues. */
	protected static final int CALLS = 200;

	@Autowired
	protected Gates gates;

	@Autowired
	protected LockstepRegistry registry;

	@BeforeEach
	void resetGates() {
		this.gates.reset();
	}

}
