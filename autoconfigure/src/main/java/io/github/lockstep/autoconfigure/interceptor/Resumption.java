package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.Executor;

import io.github.lockstep.autoconfigure.web.RequestCalls;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.util.ClassUtils;

/**
 * How an asynchronous call that had to wait resumes once admitted: with the caller's context
 * (MDC, tracing, security: whatever context-propagation has accessors for) restored, on the
 * thread that admitted it or on {@code lockstep.async-executor}.
 */
final class Resumption {

	private final ContextSnapshotFactory snapshots;

	private final Executor executor;

	Resumption(ContextSnapshotFactory snapshots, Executor executor) {
		this.snapshots = snapshots;
		this.executor = executor;
	}

	/**
	 * The context to carry: every accessor registered with context-propagation's global registry
	 * (tracing, security and the like register themselves), plus SLF4J's MDC, which does not, and
	 * the {@link RequestCalls} that own the call.
	 */
	static ContextSnapshotFactory callerContext() {
		ContextRegistry global = ContextRegistry.getInstance();
		ContextRegistry registry = new ContextRegistry();
		global.getContextAccessors().forEach(registry::registerContextAccessor);
		global.getThreadLocalAccessors().forEach(registry::registerThreadLocalAccessor);
		boolean mdc = registry.getThreadLocalAccessors().stream()
			.anyMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
		if (!mdc && ClassUtils.isPresent("org.slf4j.MDC", Resumption.class.getClassLoader())) {
			registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		}
		// the web request a call belongs to, so that the calls its method starts belong to it too
		registry.registerThreadLocalAccessor(RequestCalls.ACCESSOR);
		return ContextSnapshotFactory.builder().contextRegistry(registry).build();
	}

	/** Captures the calling thread's context. */
	ContextSnapshot capture() {
		return this.snapshots.captureAll();
	}

	/** Runs the task with the context restored, on the executor if one is set. */
	void resume(ContextSnapshot context, Runnable task) {
		Runnable restoring = context.wrap(task);
		if (this.executor != null) {
			this.executor.execute(restoring);
		}
		else {
			restoring.run();
		}
	}

	/** The executor that admitted calls resume on, or {@code null} for the admitting thread. */
	Executor executor() {
		return this.executor;
	}

}
