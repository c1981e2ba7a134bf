package io.github.lockstep.benchmarks;

/**
 * Creates the peers by the names the benchmarks take as {@code @Param}: every peer is a lock or a
 * semaphore of one permit.
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
		return switch (name) {
			case "lockstep-semaphore" -> new LockstepSemaphorePeer();
			case "lockstep-lock" -> new LockstepLockPeer();
			case "juc-semaphore-fair" -> new JucSemaphorePeer(true);
			case "juc-semaphore-unfair" -> new JucSemaphorePeer(false);
			case "juc-lock-fair" -> new JucLockPeer(true);
			case "juc-lock-unfair" -> new JucLockPeer(false);
			case "kotlinx-semaphore" -> new KotlinxSemaphorePeer(cancellable);
			case "kotlinx-mutex" -> new KotlinxMutexPeer(cancellable);
			case "asyncutil-semaphore" -> new AsyncUtilSemaphorePeer();
			case "asyncutil-lock" -> new AsyncUtilLockPeer();
			default -> throw new IllegalArgumentException("Unknown peer '" + name + "'");
		};
	}

}
