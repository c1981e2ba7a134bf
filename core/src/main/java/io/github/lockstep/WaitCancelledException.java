package io.github.lockstep;

import java.util.concurrent.CancellationException;

/**
 * The failure of a wait given up by {@code cancel()}. It carries no stack trace (the stack of the
 * canceller says nothing about the wait) and builds its message only when asked, so cancelling a
 * million waiters costs no more than the waiters themselves; kotlinx.coroutines does the same.
 */
final class WaitCancelledException extends CancellationException {

	private static final long serialVersionUID = 1L;

	private final String kind;

	private final String name;

	WaitCancelledException(String kind, String name) {
		this.kind = kind;
		this.name = name;
	}

	@Override
	public String getMessage() {
		return this.kind + " '" + this.name + "': wait cancelled";
	}

	@Override
	public Throwable fillInStackTrace() {
		return this;
	}

}
