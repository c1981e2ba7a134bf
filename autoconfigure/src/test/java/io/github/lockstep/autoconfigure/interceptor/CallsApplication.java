package io.github.lockstep.autoconfigure.interceptor;

import io.github.lockstep.autoconfigure.ForwardingPrimitives;
import io.github.lockstep.autoconfigure.Gates;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application of the annotated-call tests: every auto-configuration, the {@link Gates} that
 * their services' methods wait on, and a second backend, {@link ForwardingPrimitives}, which
 * {@code lockstep.backend} may choose. Each test adds its service:
 * {@code @SpringBootTest(classes = { CallsApplication.class, StageService.class })}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ Gates.class, ForwardingPrimitives.class })
public class CallsApplication {

}
