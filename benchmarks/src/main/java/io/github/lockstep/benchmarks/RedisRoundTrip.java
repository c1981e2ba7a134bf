package io.github.lockstep.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A {@code redis-server} of its own and one Lettuce connection to it, for the {@code ping}
 * benchmark of {@link RedisEventFanOutBenchmark} and {@link RedisBarrierBenchmark}: one
 * {@code PING}, the round trip (RTT) their results are read in multiples of, measured in the same
 * run and mode as they are (as the {@code ping} peer of {@link RedisUncontendedBenchmark} is).
 *
 * <pre>{@code
 * @Benchmark
 * public void ping(RedisRoundTrip rtt) throws Exception {
 *     rtt.ping();
 * }
 * }</pre>
 */
@State(Scope.Benchmark)
public class RedisRoundTrip {

	private RedisProcess redis;

	private RedisPeer ping;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.redis = new RedisProcess();
		this.ping = RedisPeer.create("ping", this.redis);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.ping.close();
		this.redis.close();
	}

	/** One {@code PING}, returning once Redis has answered. */
	void ping() throws Exception {
		this.ping.acquire();
	}

}
