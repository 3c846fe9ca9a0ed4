package net.linuxnet.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.apps.udp.UdpSink;
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
 * Simulated UDP datagrams per wall-clock second through the socket layer of two hosts joined
 * by a veth pair: {@code udp-sender} on host {@code a} calls {@code sendto} with 64-byte
 * datagrams as fast as its simulated CPU allows ({@code udp_sendmsg}, the IPv4 route and
 * output path, the neighbour entry of {@code b}'s address, {@code dev_queue_xmit},
 * {@code veth_xmit}); host {@code b}'s NET_RX softirq takes each frame through
 * {@code __netif_receive_skb_core}, {@code ip_rcv}, {@code ip_local_deliver} and
 * {@code udp_rcv} into the socket of {@code udp-sink}, whose thread reads it with
 * {@code recvfrom}.
 *
 * <p>The world is built from HOCON once per trial, as the scenario tests build theirs, and
 * stepped with {@link World#runUntil}. The first datagram resolves {@code b}'s address with
 * ARP; the warm-up iterations run past it. One operation is one datagram read by the sink;
 * each invocation runs the world until {@value #DATAGRAMS_PER_INVOCATION} more have been read
 * (the overshoot of the last step counts towards the next invocation). The sink's CPU is not
 * the one that runs {@code b}'s softirq, and its receive buffer is large, so nothing should
 * drop; the trial fails if anything did or, after {@link World#finish}, if an skb was not
 * freed. In steady state nothing should be allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UdpVethBenchmark {

    /** Datagrams the sink reads per invocation. */
    private static final int DATAGRAMS_PER_INVOCATION = 10_000;
    /** Simulated time the world advances per step. */
    private static final long STEP_NS = 100_000;

    private static final String SCENARIO = """
            linuxnet {
              hosts {
                a { cpus = 1
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a",
                                      addresses = ["10.0.0.1/24"] } }
                    apps { tx { kind = udp-sender, dst = "10.0.0.2:9000", size = 64, flows = 1 } } }
                b { cpus = 2
                    sysctl { "net.core.netdev_max_backlog" = 1000000, "net.core.rmem_max" = 1073741824 }
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                    apps { rx { kind = udp-sink, port = 9000, rcvbuf = 512mb, cpu = 1 } } }
              }
            }
            """;

    private World world;
    private UdpSink sink;
    private long target;

    @Setup(Level.Trial)
    public void setUp() {
        PluginManager plugins = PluginManager.load(UdpVethBenchmark.class.getClassLoader(), null);
        world = WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(SCENARIO, "udp-veth.conf"),
                Map.of(), plugins.referenceConfig()), plugins, false);
        sink = (UdpSink) world.apps().stream().filter(a -> a.name().equals("rx")).findFirst().orElseThrow().app();
        target = 0;
    }

    /** Runs the world until the sink has read {@value #DATAGRAMS_PER_INVOCATION} more datagrams. */
    @Benchmark
    @OperationsPerInvocation(DATAGRAMS_PER_INVOCATION)
    public long receive() {
        target += DATAGRAMS_PER_INVOCATION;
        long now = world.scheduler().now();
        while (sink.received() < target) {
            now += STEP_NS;
            world.runUntil(now);
        }
        return sink.received();
    }

    /**
     * Fails the trial if a datagram was dropped on the way (then the figure would not be this
     * path's) or, once the world is finished, if an skb was not freed.
     */
    @TearDown(Level.Trial)
    public void checkNothingDroppedOrLeaked() {
        for (Host h : world.hosts().values()) {
            Map<SkbDropReason, Long> drops = h.dropReasons();
            if (!drops.isEmpty()) {
                throw new IllegalStateException("host " + h.hostname() + " dropped datagrams: " + drops);
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
