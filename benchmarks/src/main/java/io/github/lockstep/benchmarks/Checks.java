package io.github.lockstep.benchmarks;

/** Sanity checks that make a benchmark fail instead of measuring a broken primitive. */
final class Checks {

	private Checks() {
	}

	static void idle(Peer primitive, String name) {
		if (!primitive.isIdle()) {
			throw new IllegalStateException(name + ": not idle after the iteration (permit lost or waiter left)");
		}
	}

}
