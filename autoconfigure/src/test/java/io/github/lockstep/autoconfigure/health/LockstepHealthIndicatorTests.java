package io.github.lockstep.autoconfigure.health;

import java.util.List;
import java.util.Map;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LockstepHealthIndicator} made with {@code new}, over primitives made in code. */
class LockstepHealthIndicatorTests {

	private final LockstepRegistry registry = new LockstepRegistry();

	@Test
	void brokenBarrierIsListedAndTurnsTheStatusDownOnlyWhenAskedTo() {
		this.registry.register(AsyncBarrier.create("nightly-batch", 2)).abort();
		AsyncLock lock = this.registry.register(AsyncLock.create("inventory"));
		assertThat(lock.tryAcquire()).isTrue();
		lock.acquire();

		Health lenient = new LockstepHealthIndicator(this.registry, false).health();
		Health strict = new LockstepHealthIndicator(this.registry, true).health();

		assertThat(lenient.getStatus()).isEqualTo(Status.UP);
		assertThat(strict.getStatus()).isEqualTo(Status.DOWN);
		assertThat(lenient.getDetails()).containsEntry("primitives", 2)
			.containsEntry("brokenBarriers", List.of("nightly-batch"))
			.containsEntry("longestQueues", List.of(Map.of("name", "inventory", "kind", "lock", "waiting", 1)));
	}

}
