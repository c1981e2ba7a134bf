package io.github.lockstep.redis;

/**
 * A Lua script as {@link RedisLink#eval} runs it: its full text and that text's SHA-1, for
 * {@code EVALSHA} with an {@code EVAL} fallback. The permit engine's scripts are {@link Script};
 * the event's and the barrier's are {@link SyncScript}.
 */
interface LuaScript {

	/** The script's text, shared library included. */
	String text();

	/** The SHA-1 of {@link #text()}, in hex. */
	String sha();

}
