package io.github.lockstep;

/** Runs the {@link AsyncCondition} contract against the in-memory factories. */
class InMemoryConditionTests extends AsyncConditionContractTests {

	@Override
	protected AsyncCondition createCondition(String name) {
		return AsyncCondition.create(name);
	}

	@Override
	protected AsyncCondition createCondition(String name, AsyncLock lock) {
		return AsyncCondition.create(name, lock);
	}

}
