package io.github.lockstep;

/** {@link AsyncLock} over a {@link PermitSync} of one permit. */
final class InMemoryLock extends PermitPrimitive implements AsyncLock {

	InMemoryLock(String name) {
		this(name, TimeoutScheduler.shared());
	}

	InMemoryLock(String name, TimeoutScheduler scheduler) {
		super(new PermitSync(PrimitiveKind.LOCK, name, 1, 1, "Lock is not acquired.", true, scheduler));
	}

	@Override
	public PrimitiveState state() {
		return this.sync.lockState();
	}

}
