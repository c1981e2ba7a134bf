package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.PrimitiveState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How an annotated call passes an event: through at once only where the flag is known for sure. */
class StepTests {

	@Test
	void aSetInMemoryEventLetsTheCallThroughAtOnce() {
		AsyncEvent event = AsyncEvent.create("go");
		event.set();
		assertThat(Step.of(event, null).tryEnter()).isTrue();
	}

	@Test
	void anotherBackendsEventIsAskedThroughAwaitEvenIfItsViewSaysSet() {
		// as a Redis event right after a clear elsewhere, before the announcement arrived
		StaleEvent event = new StaleEvent();
		Step step = Step.of(event, null);
		assertThat(step.tryEnter()).isFalse();
		assertThat(step.enter()).isSameAs(event.waiting);
	}

	/** An event whose view says set while the event itself is clear. */
	private static final class StaleEvent implements AsyncEvent {

		final CompletableFuture<Void> waiting = new CompletableFuture<>();

		@Override
		public String name() {
			return "go";
		}

		@Override
		public void set() {
			this.waiting.complete(null);
		}

		@Override
		public void clear() {
		}

		@Override
		public boolean isSet() {
			return true;
		}

		@Override
		public CompletableFuture<Void> await() {
			return this.waiting;
		}

		@Override
		public CompletableFuture<Void> await(Duration timeout) {
			return this.waiting;
		}

		@Override
		public int queueLength() {
			return this.waiting.isDone() ? 0 : 1;
		}

		@Override
		public PrimitiveState state() {
			return PrimitiveState.event("go", true, queueLength());
		}

	}

}
