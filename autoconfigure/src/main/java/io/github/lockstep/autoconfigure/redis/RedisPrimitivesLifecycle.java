package io.github.lockstep.autoconfigure.redis;

import io.github.lockstep.redis.RedisPrimitives;

import org.springframework.context.SmartLifecycle;

/**
 * Closes the Redis backend when the context stops, so that its holds are passed on and its queue
 * places withdrawn at once, rather than left to the lease. Its phase stops it after the web
 * server's graceful shutdown (calls in flight end first) and before the Lettuce connection
 * factory (phase 0), which would shut the client down under it.
 */
final class RedisPrimitivesLifecycle implements SmartLifecycle {

	/** After the web server's graceful shutdown and stop, before Spring Data Redis's factory. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final RedisPrimitives primitives;

	private volatile boolean running;

	RedisPrimitivesLifecycle(RedisPrimitives primitives) {
		this.primitives = primitives;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.primitives.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
