package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link PrimitiveFactory#inMemory()}: what each method creates. */
class InMemoryPrimitivesTests {

	private final PrimitiveFactory primitives = PrimitiveFactory.inMemory();

	@Test
	void isTheMemoryBackend() {
		assertThat(this.primitives.backend()).isEqualTo("memory");
		assertThat(PrimitiveFactory.inMemory()).isSameAs(this.primitives);
	}

	@Test
	void createsANewPrimitiveOfEachKindPerCall() {
		AsyncLock lock = this.primitives.lock("inventory");
		assertThat(lock.state()).isEqualTo(PrimitiveState.lock("inventory", false, 0));
		assertThat(this.primitives.lock("inventory")).isNotSameAs(lock);
		assertThat(this.primitives.semaphore("api", 5, true).state())
			.isEqualTo(PrimitiveState.semaphore("api", 5, true, 5, 0));
		assertThat(this.primitives.semaphore("api", 3, false).state())
			.isEqualTo(PrimitiveState.semaphore("api", 3, false, 3, 0));
		assertThat(this.primitives.event("cache-warm").state()).isEqualTo(PrimitiveState.event("cache-warm", false, 0));
		assertThat(this.primitives.condition("account").state())
			.isEqualTo(PrimitiveState.condition("account", false, 0));
		assertThat(this.primitives.barrier("batch", 5).state()).isEqualTo(PrimitiveState.barrier("batch", 5, false, 0));
	}

	@Test
	void conditionOverALockSharesIt() {
		AsyncLock lock = this.primitives.lock("inventory");
		AsyncCondition condition = this.primitives.condition("stock", lock);
		assertThat(condition.lock()).isSameAs(lock);
		assertThat(lock.tryAcquire()).isTrue();
		assertThat(condition.isLocked()).isTrue();
	}

	@Test
	void refusesWhatTheStaticFactoriesRefuse() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.primitives.lock(" "))
			.withMessage("A primitive's name must not be blank, but was ' '");
		assertThatIllegalArgumentException().isThrownBy(() -> this.primitives.semaphore("api", -1, true))
			.withMessage("Semaphore 'api': initial value must be >= 0, but was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> this.primitives.barrier("batch", 0))
			.withMessage("Barrier 'batch': parties must be >= 1, but was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> this.primitives.condition("stock", null))
			.withMessage("Condition 'stock': lock must not be null");
	}

}
