package io.github.lockstep.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Workload 4, not a timing: the bytes each queued waiter retains. For every async peer, queues
 * {@code N} waiters (default 1,000,000) on a held permit and counts, with JOL, everything reachable
 * from the primitive and the returned futures, less what the held primitive alone retains. The
 * same is cross-checked with the heap in use after a full GC. "Beyond the future" subtracts a
 * plain {@code CompletableFuture}, which any future-returning acquire must allocate.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.lockstep.benchmarks.WaiterFootprint [N]
 * </pre>
 */
public final class WaiterFootprint {

	private record Variant(String peer, boolean cancellable) {

		String label() {
			return this.cancellable && this.peer.startsWith("kotlinx") ? this.peer + " (Job per waiter)" : this.peer;
		}

	}

	private static final List<Variant> VARIANTS = List.of(new Variant("lockstep-semaphore", true),
			new Variant("lockstep-lock", true), new Variant("kotlinx-semaphore", false),
			new Variant("kotlinx-semaphore", true), new Variant("kotlinx-mutex", false),
			new Variant("kotlinx-mutex", true), new Variant("asyncutil-semaphore", false),
			new Variant("asyncutil-lock", false));

	private WaiterFootprint() {
	}

	public static void main(String[] args) {
		// kotlinx.coroutines keeps lambdas (hidden classes) in its queues; Unsafe cannot read their layout
		System.setProperty("jol.magicFieldOffset", "true");
		int waiters = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		long plainFuture = ClassLayout.parseClass(CompletableFuture.class).instanceSize();
		System.out.printf(Locale.ROOT, "%,d queued waiters per peer; a plain CompletableFuture is %d bytes%n%n",
				waiters, plainFuture);
		System.out.println("| peer | returned future | its size (B) | retained per waiter, JOL (B) "
				+ "| heap delta per waiter (B) | beyond a plain future (B) |");
		System.out.println("|---|---|--:|--:|--:|--:|");
		for (Variant variant : VARIANTS) {
			measure(variant, waiters, plainFuture);
		}
	}

	private static void measure(Variant variant, int waiters, long plainFuture) {
		Peer primitive = Peers.create(variant.peer(), variant.cancellable());
		CompletableFuture<?> holder = primitive.acquire();
		Object[] roots = new Object[waiters + 2];
		roots[0] = primitive;
		roots[1] = holder;
		long emptyGraph = GraphLayout.parseInstance(primitive, holder).totalSize();
		long emptyHeap = usedHeapAfterGc();
		for (int i = 2; i < roots.length; i++) {
			roots[i] = primitive.acquire();
		}
		long fullHeap = usedHeapAfterGc();
		long fullGraph = GraphLayout.parseInstance(roots).totalSize();
		double perWaiter = (fullGraph - emptyGraph) / (double) waiters;
		double heapPerWaiter = (fullHeap - emptyHeap) / (double) waiters;
		Object future = roots[2];
		System.out.printf(Locale.ROOT, "| %s | `%s` | %d | %.1f | %.1f | %.1f |%n", variant.label(),
				future.getClass().getName(), ClassLayout.parseInstance(future).instanceSize(), perWaiter,
				heapPerWaiter, perWaiter - plainFuture);
		if (((CompletableFuture<?>) future).isDone()) {
			throw new IllegalStateException(variant.peer() + ": a waiter was granted a held permit");
		}
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
