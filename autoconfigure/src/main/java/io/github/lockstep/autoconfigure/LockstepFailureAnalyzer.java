package io.github.lockstep.autoconfigure;

import io.github.lockstep.spring.LockstepConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link LockstepConfigurationException} as what is wrong (key or method, and value) and
 * what fixes it.
 */
class LockstepFailureAnalyzer extends AbstractFailureAnalyzer<LockstepConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LockstepConfigurationException cause) {
		return new FailureAnalysis(cause.description(), cause.action(), cause);
	}

}
