package io.github.lockstep.benchmarks;

import java.util.Locale;

/**
 * Not a benchmark of any peer: the machine's own floor for {@link HandOffBenchmark}, and whether
 * that floor holds still. Two threads pass a token through one {@code volatile int}, each spinning
 * until it is their turn, which is a hand-off with no primitive at all: one cache line going back
 * and forth. Every half second it prints the hand-offs per millisecond of that half second (two
 * per round trip, the unit of {@code HandOffBenchmark}).
 *
 * <p>Run it before reading a fork-to-fork spread: on a VM whose vCPUs the hypervisor moves between
 * host cores, this number jumps (benchmarks/README.md §9), and so does every peer's hand-off.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.lockstep.benchmarks.MachineHandOff [seconds]
 * </pre>
 */
public final class MachineHandOff {

	private static volatile int turn;

	private static volatile long roundTrips;

	private MachineHandOff() {
	}

	public static void main(String[] args) throws InterruptedException {
		long seconds = (args.length > 0) ? Long.parseLong(args[0]) : 20;
		start("machine-hand-off-back", () -> {
			for (;;) {
				while (turn != 1) {
					Thread.onSpinWait();
				}
				turn = 0;
			}
		});
		start("machine-hand-off-there", () -> {
			for (long n = 1;; n++) {
				turn = 1;
				while (turn != 0) {
					Thread.onSpinWait();
				}
				roundTrips = n;
			}
		});
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long trips = 0;
		long since = System.nanoTime();
		StringBuilder line = new StringBuilder("hand-offs/ms, every 500 ms:");
		while (System.nanoTime() < end) {
			Thread.sleep(500);
			long now = System.nanoTime();
			long total = roundTrips;
			line.append(String.format(Locale.ROOT, " %,d", 2 * (total - trips) * 1_000_000 / (now - since)));
			trips = total;
			since = now;
		}
		System.out.println(line);
	}

	private static void start(String name, Runnable loop) {
		Thread thread = new Thread(loop, name);
		thread.setDaemon(true);
		thread.start();
	}

}
