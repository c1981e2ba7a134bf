package io.github.lockstep.autoconfigure.interceptor;

import io.github.lockstep.AsyncHandOffPrimitives;
import io.github.lockstep.autoconfigure.ForwardingPrimitives;
import io.github.lockstep.autoconfigure.Gates;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The application of the annotated-call tests: every auto-configuration, the {@link Gates} that
 * their services' methods wait on, and two more backends that {@code lockstep.backend} may choose:
 * {@link ForwardingPrimitives} (classes of their own, no in-memory class) and core's
 * {@link AsyncHandOffPrimitives} (grants and releases complete on another thread, a moment later,
 * as on a network backend). Each test adds its service:
 * {@code @SpringBootTest(classes = { CallsApplication.class, StageService.class })}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ Gates.class, ForwardingPrimitives.class })
public class CallsApplication {

	/** The backend id of {@link AsyncHandOffPrimitives}. */
	public static final String ASYNC_HAND_OFF = "async-hand-off";

	@Bean(destroyMethod = "close")
	AsyncHandOffPrimitives asyncHandOffPrimitives() {
		return new AsyncHandOffPrimitives();
	}

}
