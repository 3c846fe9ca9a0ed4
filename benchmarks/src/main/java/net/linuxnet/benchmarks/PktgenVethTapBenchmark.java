package net.linuxnet.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.apps.packet.PacketSock;
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
 * Simulated packets per wall-clock second through the whole receive path of two hosts joined
 * by a veth pair: pktgen on host {@code a} builds 64-byte UDP frames as fast as its simulated
 * CPU allows and hands them to {@code veth_xmit}, which {@code netif_rx}es them into the
 * backlog of host {@code b}; {@code b}'s NET_RX softirq polls the backlog and
 * {@code __netif_receive_skb_core} gives each frame to an AF_PACKET tap, which counts and
 * frees it. Every step charges its simulated CPU, so the run exercises the scheduler, the
 * CPUs' dispatch and softirqs, the skb pool and the device layer as a scenario does.
 *
 * <p>The world is built from HOCON once per trial, as the scenario tests build theirs (with
 * the skb pool in its recycling mode), and stepped with {@link World#runUntil}. One
 * operation is one frame counted by the tap; each invocation runs the world until
 * {@value #PACKETS_PER_INVOCATION} more have arrived (the overshoot of the last step counts
 * towards the next invocation). {@code netdev_max_backlog} is large so that nothing drops;
 * the trial fails if anything did. In steady state nothing should be allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PktgenVethTapBenchmark {

    /** Frames the tap receives per invocation. */
    private static final int PACKETS_PER_INVOCATION = 10_000;
    /** Simulated time the world advances per step. */
    private static final long STEP_NS = 100_000;

    private static final String SCENARIO = """
            linuxnet {
              hosts {
                a { cpus = 1
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a" } }
                    apps { gen { kind = pktgen, dev = veth0, dst-mac = "02:00:00:00:00:0b",
                                 src = "10.0.0.1", dst = "10.0.0.2", size = 64, flows = 8 } } }
                b { cpus = 1
                    sysctl { "net.core.netdev_max_backlog" = 1000000 }
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b" } }
                    apps { tap { kind = af-packet, dev = veth0 } } }
              }
            }
            """;

    private World world;
    private PacketSock tap;
    private long target;

    @Setup(Level.Trial)
    public void setUp() {
        PluginManager plugins = PluginManager.load(PktgenVethTapBenchmark.class.getClassLoader(), null);
        world = WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(SCENARIO, "pktgen-veth-tap.conf"),
                Map.of(), plugins.referenceConfig()), plugins, false);
        tap = (PacketSock) world.apps().stream().filter(a -> a.name().equals("tap")).findFirst().orElseThrow().app();
        target = 0;
    }

    /** Runs the world until the tap has counted {@value #PACKETS_PER_INVOCATION} more frames. */
    @Benchmark
    @OperationsPerInvocation(PACKETS_PER_INVOCATION)
    public long receive() {
        target += PACKETS_PER_INVOCATION;
        long now = world.scheduler().now();
        while (tap.received() < target) {
            now += STEP_NS;
            world.runUntil(now);
        }
        return tap.received();
    }

    /**
     * Fails the trial if a frame was dropped on the way (then the figure would not be this
     * path's) or, once the world is finished, if an skb was not freed.
     */
    @TearDown(Level.Trial)
    public void checkNothingDroppedOrLeaked() {
        for (Host h : world.hosts().values()) {
            Map<SkbDropReason, Long> drops = h.dropReasons();
            if (!drops.isEmpty()) {
                throw new IllegalStateException("host " + h.hostname() + " dropped frames: " + drops);
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
