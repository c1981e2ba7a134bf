package io.github.lockstep.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One of the Lua scripts of the permit engine, with the shared {@code lib.lua} in front, and its
 * SHA-1 for {@code EVALSHA}. The scripts live in {@code src/main/resources/…/redis/lua}; each
 * opens with a comment giving its keys, arguments and reply.
 */
enum Script implements LuaScript {

	/** Take a permit, or a place in the queue. */
	ACQUIRE("acquire"),

	/** Give a permit back, straight to the head waiter if there is one. */
	RELEASE("release"),

	/** Leave the queue, or pass on a grant that won the race. */
	CANCEL("cancel"),

	/** Extend this instance's lease in many primitives at once, and report its holds. */
	RENEW("renew"),

	/** List this instance's queue places and holds in one primitive. */
	INSPECT("inspect");

	private final String text;

	private final String sha;

	Script(String file) {
		this.text = read("lib") + "\n" + read(file);
		this.sha = sha1(this.text);
	}

	@Override
	public String text() {
		return this.text;
	}

	@Override
	public String sha() {
		return this.sha;
	}

	static String read(String name) {
		String path = "lua/" + name + ".lua";
		try (InputStream in = Script.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("lockstep-redis: missing resource " + path);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String sha1(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
