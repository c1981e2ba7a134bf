package io.github.lockstep.spring;

/**
 * Lockstep's configuration or annotations cannot work as written. Thrown at startup; Spring Boot
 * reports it as a failure analysis with the {@link #description()} of what is wrong (the key or
 * method, and the value) and the {@link #action()} that fixes it.
 *
 * <pre>{@code
 * throw new LockstepConfigurationException(
 *         "lockstep.semaphores.payment-api.permits is 0, but a semaphore needs at least 1 permit.",
 *         "Set lockstep.semaphores.payment-api.permits to 1 or more.");
 * }</pre>
 */
public class LockstepConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** What is wrong, naming the key or the method, and the value. */
	private final String description;

	/** What fixes it. */
	private final String action;

	/**
	 * Creates an exception.
	 * @param description what is wrong, naming the key or the method, and the value
	 * @param action what fixes it
	 */
	public LockstepConfigurationException(String description, String action) {
		super(description + " " + action);
		this.description = description;
		this.action = action;
	}

	/**
	 * Returns what is wrong.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Returns what fixes it.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
