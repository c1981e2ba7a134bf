package io.github.lockstep;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.verifier.QuiescentConsistent;
import org.junit.jupiter.api.Test;

/**
 * Model checking of a bounded {@link AsyncSemaphore} of one and of two permits with Lincheck: the
 * interleavings Lincheck explores must match a sequential run of a fair semaphore, every cancel
 * either wins or loses to the grant, and permits are conserved at the end (a release above the
 * bound would throw). See {@link PermitModel} for what exactly is checked.
 */
class SemaphoreModelCheckingTests {

	@Test
	void semaphoreOfOneMatchesAFairSemaphoreInEveryExploredInterleaving() {
		PermitModel
			.options(SpecOfOne.class, 2, 200, cancelRacingRelease(SemaphoreOfOne.class),
					handOffInArrivalOrder(SemaphoreOfOne.class))
			.check(SemaphoreOfOne.class);
	}

	@Test
	void semaphoreOfTwoMatchesAFairSemaphoreInEveryExploredInterleaving() {
		PermitModel
			.options(SpecOfTwo.class, 3, 200, twoReleasesRacingEnqueue(), cancelRacingTwoReleases(),
					handOffInArrivalOrder(SemaphoreOfTwo.class))
			.check(SemaphoreOfTwo.class);
	}

	/** Thread 1 releases to queued thread 2 while thread 2 cancels: exactly one of them wins. */
	private static ExecutionScenario cancelRacingRelease(Class<? extends SemaphoreModel> model) {
		return PermitModel.scenario(List.of(actor(model, "acquire", 1), actor(model, "acquire", 2)),
				List.of(List.of(actor(model, "release", 1), actor(model, "acquire", 1)),
						List.of(actor(model, "cancel", 2), actor(model, "release", 2)),
						List.of(actor(model, "availablePermits"), actor(model, "isLocked"))),
				List.of(actor(model, "availablePermits"), actor(model, "queueLength")));
	}

	/**
	 * Threads 1 and 2 take the permits (with one permit, thread 2 is the first to queue), then
	 * threads 3 and 4 queue in that order: a single release never goes to thread 4, so thread 4's
	 * cancel always wins.
	 */
	private static ExecutionScenario handOffInArrivalOrder(Class<? extends SemaphoreModel> model) {
		return PermitModel.scenario(
				List.of(actor(model, "acquire", 1), actor(model, "acquire", 2), actor(model, "acquire", 3),
						actor(model, "acquire", 4)),
				List.of(List.of(actor(model, "release", 1)), List.of(actor(model, "cancel", 4)),
						List.of(actor(model, "availablePermits"), actor(model, "isLocked"))),
				List.of(actor(model, "release", 3), actor(model, "release", 4), actor(model, "availablePermits"),
						actor(model, "queueLength")));
	}

	/** Both permits come back at once while thread 3 queues and gives up. */
	private static ExecutionScenario twoReleasesRacingEnqueue() {
		Class<SemaphoreOfTwo> model = SemaphoreOfTwo.class;
		return PermitModel.scenario(List.of(actor(model, "acquire", 1), actor(model, "acquire", 2)),
				List.of(List.of(actor(model, "release", 1), actor(model, "tryAcquire", 1)),
						List.of(actor(model, "release", 2), actor(model, "availablePermits")),
						List.of(actor(model, "acquire", 3), actor(model, "cancel", 3))),
				List.of(actor(model, "release", 3), actor(model, "availablePermits"), actor(model, "queueLength")));
	}

	/** Two releases race thread 3's cancel: it gets at most one permit, and none is lost. */
	private static ExecutionScenario cancelRacingTwoReleases() {
		Class<SemaphoreOfTwo> model = SemaphoreOfTwo.class;
		return PermitModel.scenario(
				List.of(actor(model, "acquire", 1), actor(model, "acquire", 2), actor(model, "acquire", 3)),
				List.of(List.of(actor(model, "release", 1)), List.of(actor(model, "release", 2)),
						List.of(actor(model, "cancel", 3), actor(model, "release", 3))),
				List.of(actor(model, "availablePermits"), actor(model, "isLocked"), actor(model, "queueLength")));
	}

	private static Actor actor(Class<? extends SemaphoreModel> model, String name, Object... args) {
		return PermitModel.actor(model, name, args);
	}

	/** The Lincheck test subject: a bounded semaphore and the acquisitions each thread owns. */
	public abstract static class SemaphoreModel extends PermitModel {

		private final AsyncSemaphore semaphore;

		protected SemaphoreModel(int permits) {
			super(permits);
			this.semaphore = AsyncSemaphore.bounded("model", permits);
		}

		@Override
		protected boolean primitiveTryAcquire() {
			return this.semaphore.tryAcquire();
		}

		@Override
		protected CompletableFuture<Void> primitiveAcquire() {
			return this.semaphore.acquire();
		}

		@Override
		protected void primitiveRelease() {
			this.semaphore.release();
		}

		@Override
		protected int freePermits() {
			return this.semaphore.availablePermits();
		}

		@Override
		protected int waiters() {
			return this.semaphore.queueLength();
		}

		@Operation
		public boolean isLocked() {
			return this.semaphore.isLocked();
		}

		@Operation
		public int availablePermits() {
			return this.semaphore.availablePermits();
		}

		@Operation
		@QuiescentConsistent
		public int queueLength() {
			return this.semaphore.queueLength();
		}

	}

	public static class SemaphoreOfOne extends SemaphoreModel {

		public SemaphoreOfOne() {
			super(1);
		}

	}

	public static class SemaphoreOfTwo extends SemaphoreModel {

		public SemaphoreOfTwo() {
			super(2);
		}

	}

	/** A fair semaphore of one permit, sequentially. */
	public static class SpecOfOne extends PermitModel.Spec {

		public SpecOfOne() {
			super(1);
		}

	}

	/** A fair semaphore of two permits, sequentially. */
	public static class SpecOfTwo extends PermitModel.Spec {

		public SpecOfTwo() {
			super(2);
		}

	}

}
