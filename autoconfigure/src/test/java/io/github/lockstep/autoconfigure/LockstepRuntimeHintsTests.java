package io.github.lockstep.autoconfigure;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;

import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.annotation.Throttled;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LockstepRuntimeHints}: what a native image needs to read the annotations and
 * to create the failure analyzer.
 */
class LockstepRuntimeHintsTests {

	private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(Guarded.class, Throttled.class,
			AwaitEvent.class, SetEvent.class, AwaitBarrier.class);

	@Test
	void everyAttributeOfEveryAnnotationCanBeRead() {
		RuntimeHints hints = registeredHints();
		for (Class<? extends Annotation> annotation : ANNOTATIONS) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(annotation)
				.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).as("%s", annotation).accepts(hints);
			for (Method attribute : annotation.getDeclaredMethods()) {
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(attribute)).as("%s", attribute)
					.accepts(hints);
			}
		}
	}

	@Test
	void failureAnalyzerCanBeCreated() throws NoSuchMethodException {
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(LockstepFailureAnalyzer.class.getDeclaredConstructor())).accepts(registeredHints());
	}

	@Test
	void nothingElseIsRegistered() {
		RuntimeHints hints = registeredHints();
		assertThat(hints.reflection().typeHints()).hasSize(ANNOTATIONS.size() + 1);
		assertThat(hints.resources().resourcePatternHints()).isEmpty();
		assertThat(hints.proxies().jdkProxyHints()).isEmpty();
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new LockstepRuntimeHints().registerHints(hints, LockstepRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
