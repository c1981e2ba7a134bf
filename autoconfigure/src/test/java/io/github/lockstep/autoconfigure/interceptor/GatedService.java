package io.github.lockstep.autoconfigure.interceptor;

import io.github.lockstep.autoconfigure.Gates;

/** A test service whose annotated methods' bodies are {@link Gates}: what the call tests share. */
abstract class GatedService {

	protected final Gates gates;

	GatedService(Gates gates) {
		this.gates = gates;
	}

}
