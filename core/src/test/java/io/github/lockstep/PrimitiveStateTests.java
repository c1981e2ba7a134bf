package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The fields of {@link PrimitiveState} per kind, and {@link PrimitiveKind}'s words. */
class PrimitiveStateTests {

	@Test
	void lockHasOnlyLockedBesidesTheCommonFields() {
		PrimitiveState state = PrimitiveState.lock("inventory", true, 3);
		assertThat(state.kind()).isEqualTo(PrimitiveKind.LOCK);
		assertThat(state.name()).isEqualTo("inventory");
		assertThat(state.waiting()).isEqualTo(3);
		assertThat(state.locked()).contains(true);
		assertThat(state.permits()).isEmpty();
		assertThat(state.availablePermits()).isEmpty();
		assertThat(state.bounded()).isEmpty();
		assertThat(state.set()).isEmpty();
		assertThat(state.parties()).isEmpty();
		assertThat(state.broken()).isEmpty();
	}

	@Test
	void semaphoreIsLockedWhenNoPermitIsFreeOrACallerIsQueued() {
		assertThat(PrimitiveState.semaphore("pool", 2, false, 1, 0).locked()).contains(false);
		assertThat(PrimitiveState.semaphore("pool", 2, false, 0, 0).locked()).contains(true);
		assertThat(PrimitiveState.semaphore("pool", 2, false, 1, 1).locked()).contains(true);
		PrimitiveState state = PrimitiveState.semaphore("pool", 5, true, 2, 0);
		assertThat(state.permits()).hasValue(5);
		assertThat(state.availablePermits()).hasValue(2);
		assertThat(state.bounded()).contains(true);
		assertThat(state.set()).isEmpty();
		assertThat(state.parties()).isEmpty();
	}

	@Test
	void eventConditionAndBarrierHaveTheirOwnFields() {
		PrimitiveState event = PrimitiveState.event("cache-warm", true, 0);
		assertThat(event.set()).contains(true);
		assertThat(event.locked()).isEmpty();
		PrimitiveState condition = PrimitiveState.condition("account", false, 2);
		assertThat(condition.locked()).contains(false);
		assertThat(condition.availablePermits()).isEmpty();
		PrimitiveState barrier = PrimitiveState.barrier("batch", 5, true, 0);
		assertThat(barrier.parties()).hasValue(5);
		assertThat(barrier.broken()).contains(true);
		assertThat(barrier.locked()).isEmpty();
	}

	@Test
	void statesCompareByValue() {
		assertThat(PrimitiveState.lock("a", true, 1)).isEqualTo(PrimitiveState.lock("a", true, 1))
			.hasSameHashCodeAs(PrimitiveState.lock("a", true, 1))
			.isNotEqualTo(PrimitiveState.lock("a", true, 2))
			.isNotEqualTo(PrimitiveState.condition("a", true, 1));
	}

	@Test
	void toStringShowsThePresentFields() {
		assertThat(PrimitiveState.semaphore("payment-api", 5, true, 0, 7))
			.hasToString("semaphore 'payment-api' [waiting=7, locked=true, permits=5, available=0, bounded=true]");
		assertThat(PrimitiveState.barrier("batch", 3, false, 1))
			.hasToString("barrier 'batch' [waiting=1, parties=3, broken=false]");
	}

	@Test
	void impossibleNumbersAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PrimitiveState.lock("a", false, -1))
			.withMessage("waiting must be >= 0, but was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> PrimitiveState.semaphore("a", 1, false, -1, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> PrimitiveState.barrier("a", 0, false, 0));
	}

	@Test
	void kindsHaveTheirWordDisplayNameAndInterface() {
		assertThat(PrimitiveKind.SEMAPHORE.word()).isEqualTo("semaphore");
		assertThat(PrimitiveKind.SEMAPHORE.displayName()).isEqualTo("Semaphore");
		assertThat(PrimitiveKind.SEMAPHORE.type()).isEqualTo(AsyncSemaphore.class);
		for (PrimitiveKind kind : PrimitiveKind.values()) {
			assertThat(kind.displayName().toLowerCase(java.util.Locale.ROOT)).isEqualTo(kind.word());
		}
	}

}
