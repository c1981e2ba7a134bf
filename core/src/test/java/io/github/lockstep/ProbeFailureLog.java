package io.github.lockstep;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the primitives log about failing probes (the {@link System.Logger} named after
 * {@link PrimitiveProbe}, which the JDK backs with {@code java.util.logging}) and keeps it off the
 * console while open.
 *
 * <pre>{@code
 * try (ProbeFailureLog log = ProbeFailureLog.open()) {
 *     ...
 *     assertThat(log.records()).hasSize(1);
 * }
 * }</pre>
 */
final class ProbeFailureLog extends Handler implements AutoCloseable {

	/** Held strongly: {@code java.util.logging} keeps loggers only weakly. */
	private final Logger logger = Logger.getLogger(PrimitiveProbe.class.getName());

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private ProbeFailureLog() {
		this.logger.addHandler(this);
		this.logger.setUseParentHandlers(false);
	}

	static ProbeFailureLog open() {
		return new ProbeFailureLog();
	}

	List<LogRecord> records() {
		return List.copyOf(this.records);
	}

	@Override
	public void publish(LogRecord record) {
		this.records.add(record);
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		this.logger.removeHandler(this);
		this.logger.setUseParentHandlers(true);
	}

}
