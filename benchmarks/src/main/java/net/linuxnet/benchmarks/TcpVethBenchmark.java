package net.linuxnet.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.linuxnet.core.config.ScenarioLoader;
import net.linuxnet.core.config.WorldBuilder;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.plugin.PluginManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Simulated TCP segments per wall-clock second of one bulk connection between two hosts joined
 * by a veth pair: {@code tcp-client} on host {@code a} writes as fast as its send buffer allows
 * ({@code tcp_sendmsg}, {@code tcp_write_xmit} under the congestion and receive windows,
 * {@code tcp_transmit_skb}, IPv4 output, veth); host {@code b} takes each segment through
 * NET_RX, {@code ip_rcv} and {@code tcp_v4_rcv} into the receive queue ({@code tcp_data_queue},
 * the delayed-ACK engine), where {@code tcp-server} in discard mode reads it; {@code b}'s ACKs
 * go back the same way into {@code tcp_ack} on {@code a}.
 *
 * <p>One operation is one segment received by {@code b} ({@code TcpInSegs}); each invocation
 * runs the world until {@value #SEGMENTS_PER_INVOCATION} more arrived. Nothing may be dropped
 * and, after {@link World#finish}, every skb must be freed, or the trial fails.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TcpVethBenchmark {

    private static final int SEGMENTS_PER_INVOCATION = 10_000;
    private static final long STEP_NS = 100_000;

    private static final String SCENARIO = """
            linuxnet {
              hosts {
                a { cpus = 1
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a",
                                      addresses = ["10.0.0.1/24"] } }
                    apps { tx { kind = tcp-client, dst = "10.0.0.2:5001", bytes = 1000000000000 } } }
                b { cpus = 2
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                    apps { rx { kind = tcp-server, listen = "10.0.0.2:5001", mode = discard, sample-interval = 0, cpu = 1 } } }
              }
            }
            """;

    private World world;
    private Host b;
    private long target;

    @Setup(Level.Trial)
    public void setUp() {
        PluginManager plugins = PluginManager.load(TcpVethBenchmark.class.getClassLoader(), null);
        world = WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(SCENARIO, "tcp-veth.conf"),
                Map.of(), plugins.referenceConfig()), plugins, false);
        b = world.host("b");
        target = 0;
    }

    /** Runs the world until {@code b} has received {@value #SEGMENTS_PER_INVOCATION} more segments. */
    @Benchmark
    @OperationsPerInvocation(SEGMENTS_PER_INVOCATION)
    public long receive() {
        target += SEGMENTS_PER_INVOCATION;
        long now = world.scheduler().now();
        while (b.mib("TcpInSegs").get() < target) {
            now += STEP_NS;
            world.runUntil(now);
        }
        return target;
    }

    @TearDown(Level.Trial)
    public void checkNothingDroppedOrLeaked() {
        for (Host h : world.hosts().values()) {
            if (!h.dropReasons().isEmpty()) {
                throw new IllegalStateException("host " + h.hostname() + " dropped: " + h.dropReasons());
            }
        }
        world.finish();
        for (Host h : world.hosts().values()) {
            if (h.pool().live() != 0) {
                throw new IllegalStateException("host " + h.hostname() + " leaked " + h.pool().live() + " skbs");
            }
        }
    }
}
