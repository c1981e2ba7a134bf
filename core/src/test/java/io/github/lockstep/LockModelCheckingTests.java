package io.github.lockstep;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.verifier.QuiescentConsistent;
import org.junit.jupiter.api.Test;

/**
 * Model checking of {@link AsyncLock} with Lincheck: the interleavings Lincheck explores must
 * match a sequential run of a fair lock, every cancel either wins or loses to the grant, and the
 * permit is conserved at the end. See {@link PermitModel} for what exactly is checked.
 */
class LockModelCheckingTests {

	@Test
	void lockOperationsMatchAFairLockInEveryExploredInterleaving() {
		PermitModel
			.options(LockSpec.class, 5, 200, cancelRacingRelease(), releaseRacingEnqueues(), handOffInArrivalOrder(),
					grantSeenMidRelease())
			.check(LockModel.class);
	}

	/** Thread 1 releases to queued thread 2 while thread 2 cancels: exactly one of them wins. */
	private static ExecutionScenario cancelRacingRelease() {
		return PermitModel.scenario(List.of(actor("acquire", 1), actor("acquire", 2)),
				List.of(List.of(actor("release", 1), actor("acquire", 1)),
						List.of(actor("cancel", 2), actor("release", 2)),
						List.of(actor("isLocked"), actor("queueLength"))),
				List.of(actor("isLocked"), actor("queueLength")));
	}

	/** Thread 1 releases while threads 2 and 3 queue; thread 3 gives up, thread 2 passes it on. */
	private static ExecutionScenario releaseRacingEnqueues() {
		return PermitModel.scenario(List.of(actor("acquire", 1)),
				List.of(List.of(actor("release", 1), actor("tryAcquire", 1)),
						List.of(actor("acquire", 2), actor("release", 2)),
						List.of(actor("acquire", 3), actor("cancel", 3))),
				List.of(actor("isLocked"), actor("queueLength")));
	}

	/** Threads 2 and 3 queued in that order: the lock goes to 2, then 3, whatever the races. */
	private static ExecutionScenario handOffInArrivalOrder() {
		return PermitModel.scenario(List.of(actor("acquire", 1), actor("acquire", 2), actor("acquire", 3)),
				List.of(List.of(actor("release", 1)), List.of(actor("release", 2)), List.of(actor("cancel", 3))),
				List.of(actor("release", 2), actor("release", 3), actor("queueLength")));
	}

	/**
	 * Thread 3 can see the queue empty while thread 2's granted future is not done yet: allowed
	 * for the estimate {@code queueLength()}, but {@code isLocked()} must stay linearizable.
	 */
	private static ExecutionScenario grantSeenMidRelease() {
		return PermitModel.scenario(List.of(actor("acquire", 1), actor("acquire", 2)),
				List.of(List.of(actor("release", 1)), List.of(actor("isLocked"), actor("release", 2)),
						List.of(actor("isLocked"), actor("queueLength"))),
				List.of(actor("isLocked"), actor("queueLength")));
	}

	private static Actor actor(String name, Object... args) {
		return PermitModel.actor(LockModel.class, name, args);
	}

	/** The Lincheck test subject: a lock and the acquisitions each thread owns. */
	public static class LockModel extends PermitModel {

		private final AsyncLock lock = AsyncLock.create("model");

		public LockModel() {
			super(1);
		}

		@Override
		protected boolean primitiveTryAcquire() {
			return this.lock.tryAcquire();
		}

		@Override
		protected CompletableFuture<Void> primitiveAcquire() {
			return this.lock.acquire();
		}

		@Override
		protected void primitiveRelease() {
			this.lock.release();
		}

		@Override
		protected int freePermits() {
			return this.lock.isLocked() ? 0 : 1;
		}

		@Override
		protected int waiters() {
			return this.lock.queueLength();
		}

		@Operation
		public boolean isLocked() {
			return this.lock.isLocked();
		}

		@Operation
		@QuiescentConsistent
		public int queueLength() {
			return this.lock.queueLength();
		}

	}

	/** A fair lock, sequentially. */
	public static class LockSpec extends PermitModel.Spec {

		public LockSpec() {
			super(1);
		}

	}

}
