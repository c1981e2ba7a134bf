package io.github.lockstep.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A JUnit extension that runs a {@code redis-server} of its own for a test class, on a free port
 * of 127.0.0.1, with no persistence, in a temporary directory; it can kill it and start it again
 * on the same port, and stops it after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServer redis = new RedisServer();
 * }</pre>
 *
 * <p>Without a {@code redis-server} binary (on the {@code PATH}, or {@code -Dlockstep.redis.server})
 * the class is skipped with one line saying so, unless {@code -Dlockstep.redis.required=true} or the
 * environment variable {@code LOCKSTEP_REDIS_REQUIRED=true}
 * (set by CI), which fails it instead.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private static final AtomicBoolean skipReported = new AtomicBoolean();

	private final List<String> extraArgs;

	private final List<RedisClient> clients = new ArrayList<>();

	private ClientResources resources;

	private Path directory;

	private Process process;

	private int port;

	private StatefulRedisConnection<String, String> admin;

	public RedisServer(String... extraArgs) {
		this.extraArgs = List.of(extraArgs);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		String binary = findBinary();
		if (binary == null) {
			String message = "redis-server not found on the PATH (or -Dlockstep.redis.server)";
			if (Boolean.getBoolean("lockstep.redis.required") || "true".equals(System.getenv("LOCKSTEP_REDIS_REQUIRED"))) {
				throw new IllegalStateException(message + ", and the Redis tests are required"
						+ " (-Dlockstep.redis.required=true or LOCKSTEP_REDIS_REQUIRED=true): install it"
						+ " (apt-get install redis-server)");
			}
			if (skipReported.compareAndSet(false, true)) {
				System.err.println("lockstep-redis: " + message + ": skipping the Redis tests"
						+ " (CI fails instead: LOCKSTEP_REDIS_REQUIRED=true)");
			}
			throw new TestAbortedException(message);
		}
		this.directory = Files.createTempDirectory("lockstep-redis-");
		this.resources = ClientResources.builder()
			.reconnectDelay(Delay.constant(Duration.ofMillis(50)))
			.ioThreadPoolSize(2)
			.computationThreadPoolSize(2)
			.build();
		for (int attempt = 1;; attempt++) {
			try {
				start(binary, freePort());
				return;
			}
			catch (IllegalStateException ex) {
				// another process may have taken the port between the probe and the start
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		closeClients();
		stopProcess(false);
		if (this.resources != null) {
			this.resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
		}
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	/** Starts the server on the given port, for a test that made a client before there was one. */
	void startOn(int port) throws Exception {
		this.directory = Files.createTempDirectory("lockstep-redis-");
		this.resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
		start(findBinary(), port);
	}

	public int port() {
		return this.port;
	}

	RedisURI uri(Duration timeout) {
		return RedisURI.builder().withHost("127.0.0.1").withPort(this.port).withTimeout(timeout).build();
	}

	/**
	 * A new client, as one instance of a service would have, with a command timeout of 2 s; closed
	 * after the class.
	 */
	RedisClient client() {
		return client(Duration.ofSeconds(2));
	}

	RedisClient client(Duration timeout) {
		RedisClient client = RedisClient.create(this.resources, uri(timeout));
		client.setOptions(ClientOptions.builder().build());
		synchronized (this.clients) {
			this.clients.add(client);
		}
		return client;
	}

	/** A connection for the test's own commands (inspection, CLIENT KILL, FLUSHALL). */
	public RedisCommands<String, String> admin() {
		if (this.admin == null || !this.admin.isOpen()) {
			this.admin = client().connect();
		}
		return this.admin.sync();
	}

	/**
	 * How many clients other than {@link #admin()} Redis lists as subscribed to a channel
	 * ({@code sub>0} in {@code CLIENT LIST}), or as not subscribed. Redis's view, not the client's:
	 * a connection Redis closed may look open to Lettuce for a moment, and one open again is not
	 * subscribed again until Lettuce has re-sent its {@code SUBSCRIBE}.
	 */
	long clients(boolean subscribed) {
		String admin = "id=" + admin().clientId() + " ";
		return admin().clientList().lines()
			.filter((client) -> !client.startsWith(admin) && client.contains(" sub=0 ") != subscribed)
			.count();
	}

	/** {@code CLIENT PAUSE … WRITE}: Redis holds back every client's writes (and scripts), reads still run. */
	void pauseWrites(Duration timeout) {
		client(admin(), "PAUSE", Long.toString(timeout.toMillis()), "WRITE");
	}

	/** {@code CLIENT UNPAUSE}. */
	void unpause() {
		client(admin(), "UNPAUSE");
	}

	private static void client(RedisCommands<String, String> commands, String... args) {
		commands.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
				new CommandArgs<>(StringCodec.UTF8).addKeys().addValues(args));
	}

	/** Kills the server at once (SIGKILL): every key is lost, as it has no persistence. */
	public void kill() throws InterruptedException {
		stopProcess(true);
	}

	/** Starts it again on the same port, empty. */
	public void restart() throws IOException, InterruptedException {
		start(findBinary(), this.port);
	}

	private void start(String binary, int port) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(binary, "--bind", "127.0.0.1", "--port", Integer.toString(port),
				"--save", "", "--appendonly", "no", "--dir", this.directory.toString(), "--daemonize", "no",
				"--loglevel", "warning"));
		command.addAll(this.extraArgs);
		Path log = this.directory.resolve("redis-" + port + ".log");
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		this.port = port;
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!ping(port)) {
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				this.process.destroyForcibly();
				throw new IllegalStateException("redis-server did not answer PING on 127.0.0.1:" + port + " within "
						+ START_TIMEOUT + ":\n" + Files.readString(log));
			}
			this.process.waitFor(20, TimeUnit.MILLISECONDS);
		}
	}

	private void stopProcess(boolean kill) throws InterruptedException {
		Process running = this.process;
		if (running == null) {
			return;
		}
		if (kill) {
			running.destroyForcibly();
		}
		else {
			running.destroy();
		}
		if (!running.waitFor(10, TimeUnit.SECONDS)) {
			running.destroyForcibly();
			running.waitFor(10, TimeUnit.SECONDS);
		}
		this.process = null;
	}

	private void closeClients() {
		if (this.admin != null) {
			this.admin.close();
		}
		synchronized (this.clients) {
			for (RedisClient client : this.clients) {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
			this.clients.clear();
		}
	}

	private static boolean ping(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.readNBytes(reply, 0, 7);
			return read == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** A port that was free a moment ago on 127.0.0.1. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String findBinary() {
		String configured = System.getProperty("lockstep.redis.server");
		if (configured != null && !configured.isBlank()) {
			return Files.isExecutable(Path.of(configured)) ? configured : null;
		}
		String path = System.getenv("PATH");
		List<String> directories = new ArrayList<>();
		if (path != null) {
			directories.addAll(List.of(path.split(File.pathSeparator)));
		}
		directories.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
		for (String directory : directories) {
			Path candidate = Path.of(directory, "redis-server");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

}
