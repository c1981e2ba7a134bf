package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.annotation.Guarded;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync annotated call made inside a continuation that Lockstep runs, on a contended lock, is
 * refused (it would wait for a hand-off queued behind itself), and leaves nothing queued: before
 * the fix its wait stayed in the queue, and the next release handed the lock to nobody, for good.
 */
@SpringBootTest(classes = { CallsApplication.class, SyncCallInsideContinuationTests.Service.class },
		properties = "lockstep.locks.x.timeout=10s")
class SyncCallInsideContinuationTests {

	@Autowired
	Service service;

	@Autowired
	@Qualifier("x")
	AsyncLock x;

	@Test
	void refusedSyncCallInsideAContinuationLeavesNothingQueued() {
		AsyncEvent ready = AsyncEvent.create("ready");
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		CompletableFuture<Void> continuation = ready.await().thenRun(() -> {
			try {
				this.service.guarded();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
		});
		assertThat(this.x.tryAcquire()).isTrue();
		ready.set();
		assertThat(continuation).isDone();
		assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("continuation");
		assertThat(this.x.queueLength()).isZero();
		this.x.release();
		assertThat(this.x.isLocked()).isFalse();
		assertThat(this.service.guarded()).isEqualTo("ran");
	}

	static class Service {

		@Guarded("x")
		public String guarded() {
			return "ran";
		}

	}

}
