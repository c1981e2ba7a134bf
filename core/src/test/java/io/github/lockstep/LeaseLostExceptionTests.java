package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a lost lease reports: the primitive, the hold's fencing token and why. */
class LeaseLostExceptionTests {

	@Test
	void namesThePrimitiveTheTokenAndTheReason() {
		LeaseLostException lost = new LeaseLostException(PrimitiveKind.LOCK, "inventory", 42, "not renewed within 15s");
		assertThat(lost).isInstanceOf(LockstepException.class)
			.hasMessage("Lock 'inventory': the hold with fencing token 42 lost its lease: not renewed within 15s");
		assertThat(lost.primitiveName()).isEqualTo("inventory");
		assertThat(lost.fencingToken()).isEqualTo(42);
	}

}
