package io.github.lockstep.autoconfigure;

import java.util.List;

import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.annotation.Throttled;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image needs at run time: the annotations' attributes, read reflectively when a
 * plan is made, and the failure analyzer, created reflectively by Spring Boot.
 */
class LockstepRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		for (Class<?> annotation : List.of(Guarded.class, Throttled.class, AwaitEvent.class, SetEvent.class,
				AwaitBarrier.class)) {
			hints.reflection().registerType(annotation, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
		hints.reflection().registerType(LockstepFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
	}

}
