package io.github.lockstep.benchmarks;

/**
 * Creates the peers by the names the benchmarks take as {@code @Param}: every peer is a lock or a
 * semaphore of one permit, or of more for the semaphores of {@link #create(String, boolean, int)}.
 */
final class Peers {

	private Peers() {
	}

	/**
	 * Creates a peer.
	 * @param name {@code lockstep-semaphore}, {@code lockstep-lock}, {@code juc-semaphore-fair},
	 * {@code juc-semaphore-unfair}, {@code juc-lock-fair}, {@code juc-lock-unfair},
	 * {@code kotlinx-semaphore}, {@code kotlinx-mutex}, {@code asyncutil-semaphore} or
	 * {@code asyncutil-lock}
	 * @param cancellable whether queued acquisitions must be cancellable one by one; only
	 * kotlinx.coroutines pays for it (a {@code Job} per waiter), the others always can or never can
	 * @return a new idle peer
	 */
	static Peer create(String name, boolean cancellable) {
		return create(name, cancellable, 1);
	}

	/**
	 * Creates a peer with {@code permits} permits.
	 * @param name as for {@link #create(String, boolean)}
	 * @param cancellable as for {@link #create(String, boolean)}
	 * @param permits the permits of a semaphore; a lock or a mutex has one
	 * @return a new idle peer
	 * @throws IllegalArgumentException for a lock or mutex with other than one permit
	 */
	static Peer create(String name, boolean cancellable, int permits) {
		if (permits != 1 && !name.endsWith("-semaphore") && !name.startsWith("juc-semaphore")) {
			throw new IllegalArgumentException("Peer '" + name + "' is a lock: it has one permit, not " + permits);
		}
		return switch (name) {
			case "lockstep-semaphore" -> new LockstepSemaphorePeer(permits);
			case "lockstep-lock" -> new LockstepLockPeer();
			case "juc-semaphore-fair" -> new JucSemaphorePeer(true, permits);
			case "juc-semaphore-unfair" -> new JucSemaphorePeer(false, permits);
			case "juc-lock-fair" -> new JucLockPeer(true);
			case "juc-lock-unfair" -> new JucLockPeer(false);
			case "kotlinx-semaphore" -> new KotlinxSemaphorePeer(cancellable, permits);
			case "kotlinx-mutex" -> new KotlinxMutexPeer(cancellable);
			case "asyncutil-semaphore" -> new AsyncUtilSemaphorePeer(permits);
			case "asyncutil-lock" -> new AsyncUtilLockPeer();
			default -> throw new IllegalArgumentException("Unknown peer '" + name + "'");
		};
	}

}
