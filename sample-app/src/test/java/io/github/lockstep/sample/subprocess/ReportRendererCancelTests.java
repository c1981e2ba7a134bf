package io.github.lockstep.sample.subprocess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.lockstep.sample.SampleClient.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A render cancelled by its caller, through the {@code @Throttled} proxy as an application would,
 * kills its process, and its permit comes back only once the process is gone; shutting the app down
 * kills what still runs.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ReportRendererCancelTests {

	@Autowired
	private ReportRenderer renderer;

	@Autowired
	private LockstepRegistry registry;

	@Test
	void cancelledRenderKillsItsProcessBeforeItsPermitComesBack() {
		AsyncSemaphore permits = this.registry.semaphore("subprocesses").orElseThrow();
		assertThat(permits.availablePermits()).as("permits left taken by others").isEqualTo(2);
		CompletableFuture<ReportRenderer.Rendered> render = this.renderer.render(Duration.ofSeconds(10));
		ProcessHandle process = onlySleepRunning();
		assertThat(permits.availablePermits()).isOne();

		assertThat(render.cancel(true)).isTrue();
		assertThat(render).isCancelled();
		// the permit comes back once the process has exited, never while it runs
		SampleClient.poll(permits::availablePermits, (available) -> available == 2, "the permit back");
		assertThat(process.isAlive()).as("the process when its permit came back").isFalse();
		assertThat(this.renderer.running()).isZero();
	}

	@Test
	void shutdownKillsProcessesStillRunning() {
		CompletableFuture<ReportRenderer.Rendered> render = this.renderer.render(Duration.ofSeconds(10));
		ProcessHandle process = onlySleepRunning();
		this.renderer.destroy();
		assertThat(render).succeedsWithin(DEADLINE)
			.satisfies((rendered) -> assertThat(rendered.exitValue()).as("killed: 128 + SIGKILL").isEqualTo(137));
		assertThat(process.isAlive()).isFalse();
		assertThat(render).isNotCancelled();
	}

	private ProcessHandle onlySleepRunning() {
		List<ProcessHandle> sleeping = SampleClient.poll(
				() -> ProcessHandle.current()
					.children()
					.filter((child) -> child.info().command().orElse("").endsWith("sleep"))
					.toList(),
				(children) -> !children.isEmpty(), "the render's process running");
		assertThat(sleeping).hasSize(1);
		return sleeping.get(0);
	}

}
