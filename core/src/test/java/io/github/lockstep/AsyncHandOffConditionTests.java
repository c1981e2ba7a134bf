package io.github.lockstep;

import org.junit.jupiter.api.AfterEach;

/** Runs the {@link AsyncCondition} contract against conditions whose hand-off is asynchronous. */
class AsyncHandOffConditionTests extends AsyncConditionContractTests {

	private final AsyncHandOffPrimitives primitives = new AsyncHandOffPrimitives();

	@Override
	protected AsyncCondition createCondition(String name) {
		return this.primitives.condition(name);
	}

	@Override
	protected AsyncCondition createCondition(String name, AsyncLock lock) {
		return this.primitives.condition(name, lock);
	}

	@Override
	protected AsyncLock createLock(String name) {
		return this.primitives.lock(name);
	}

	@AfterEach
	void close() {
		this.primitives.close();
	}

}
