package io.github.lockstep.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A {@code redis-server} of the benchmark's own on a free port of 127.0.0.1, without persistence:
 * Debian's binary from the {@code PATH}, or {@code -Dlockstep.redis.server}. The benchmark and
 * the server share the machine's CPUs, which the results record.
 */
final class RedisProcess implements AutoCloseable {

	private final Process process;

	private final Path directory;

	final int port;

	RedisProcess() throws IOException, InterruptedException {
		String binary = System.getProperty("lockstep.redis.server", findOnPath());
		this.directory = Files.createTempDirectory("lockstep-bench-redis-");
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.port = socket.getLocalPort();
		}
		this.process = new ProcessBuilder(List.of(binary, "--bind", "127.0.0.1", "--port", Integer.toString(this.port),
				"--save", "", "--appendonly", "no", "--dir", this.directory.toString(), "--loglevel", "warning"))
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		RedisClient client = RedisClient.create(uri());
		try {
			while (true) {
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					connection.sync().ping();
					return;
				}
				catch (RuntimeException ex) {
					if (!this.process.isAlive() || System.nanoTime() > deadline) {
						throw new IllegalStateException("redis-server did not start on port " + this.port, ex);
					}
					this.process.waitFor(20, TimeUnit.MILLISECONDS);
				}
			}
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	RedisURI uri() {
		return RedisURI.builder().withHost("127.0.0.1").withPort(this.port).withTimeout(Duration.ofSeconds(10)).build();
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		File[] files = this.directory.toFile().listFiles();
		if (files != null) {
			for (File file : files) {
				file.delete();
			}
		}
		this.directory.toFile().delete();
	}

	private static String findOnPath() {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(directory, "redis-server");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		throw new IllegalStateException("redis-server not found on the PATH: apt-get install redis-server, or"
				+ " -Dlockstep.redis.server=/path/to/redis-server");
	}

}
