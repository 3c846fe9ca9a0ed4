package net.linuxnet.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One packet through a qdisc: {@code enqueue} of a 1514-byte frame and {@code dequeue} of the
 * head, with {@value #BACKLOG} packets waiting, as {@code __dev_xmit_skb} and
 * {@code qdisc_restart} call them. The qdisc is the root of a veth built from HOCON
 * ({@code kind} and its options from {@link #OPTIONS}); the benchmark calls its ops directly,
 * so the cost is the qdisc's alone. The same skbs circulate: what is dequeued is enqueued
 * again, so nothing should be allocated.
 *
 * <p>Simulated time advances by one packet time at 100 Mbit/s (121.12 µs) per packet
 * ({@code World.runUntil} with nothing scheduled), so {@code tbf} at {@code rate 100mbit}
 * always has the tokens for the head and never throttles; the other kinds pay the same clock
 * step. To add a kind, add it to {@code kind} and its options to {@link #OPTIONS}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QdiscBenchmark {

    /** Packets per invocation. */
    private static final int PACKETS = 1000;
    /** Packets that stay queued. */
    static final int BACKLOG = 16;
    private static final int FRAME = 1514;
    /** One 1514-byte frame at 100 Mbit/s, in ns (rounded up). */
    private static final long STEP_NS = 121_121;

    /** The root qdisc options of each kind, as in a scenario's {@code qdiscs} entry. */
    static final Map<String, String> OPTIONS = Map.of(
            "pfifo", "kind = pfifo",
            "bfifo", "kind = bfifo",
            "pfifo_fast", "kind = pfifo_fast",
            "tbf", "kind = tbf, rate = 100mbit, burst = 32kbit, latency = 50ms");

    @Param({"pfifo", "bfifo", "pfifo_fast", "tbf"})
    public String kind;

    private World world;
    private Host host;
    private Qdisc<?> qdisc;
    private long now;
    /** The one packet outside the qdisc: dequeued last, enqueued next. */
    private SkBuff held;

    @Setup(Level.Trial)
    public void setUp() {
        String scenario = """
                linuxnet {
                  hosts {
                    a { cpus = 1
                        devices { v0 { driver = veth, peer = b.v0, mac = "02:00:00:00:00:0a" } }
                        qdiscs { v0.root { %s } } }
                    b { cpus = 1, devices { v0 { driver = veth, mac = "02:00:00:00:00:0b" } } }
                  }
                }
                """.formatted(OPTIONS.get(kind));
        PluginManager plugins = PluginManager.load(QdiscBenchmark.class.getClassLoader(), null);
        world = WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(scenario, "qdisc-" + kind + ".conf"),
                Map.of(), plugins.referenceConfig()), plugins, false);
        host = world.host("a");
        NetDevice dev = host.devGetByName("v0");
        qdisc = dev.qdisc();
        now = 1_000_000_000L;
        world.runUntil(now);
        for (int i = 0; i <= BACKLOG; i++) {
            SkBuff skb = host.allocSkb(FRAME);
            skb.put(FRAME);
            skb.setDev(dev);
            if (i == BACKLOG) {
                held = skb;
            } else if (qdisc.enqueue(skb) != NetXmit.NET_XMIT_SUCCESS) {
                throw new IllegalStateException(kind + " refused the backlog");
            }
        }
    }

    /** Enqueues the last dequeued packet and dequeues the head, {@value #PACKETS} times. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int enqueueDequeue() {
        Qdisc<?> q = qdisc;
        SkBuff skb = held;
        for (int i = 0; i < PACKETS; i++) {
            now += STEP_NS;
            world.runUntil(now);
            if (q.enqueue(skb) != NetXmit.NET_XMIT_SUCCESS) {
                throw new IllegalStateException(kind + " dropped");
            }
            skb = q.dequeue();
            if (skb == null) {
                throw new IllegalStateException(kind + " held its packets back");
            }
        }
        held = skb;
        return q.qlen;
    }

    /** Purges the qdisc and fails the trial if any skb was not freed. */
    @TearDown(Level.Trial)
    public void checkNothingLeaked() {
        host.consumeSkb(held);
        world.finish();
        for (Host h : world.hosts().values()) {
            if (h.pool().live() != 0) {
                throw new IllegalStateException("host " + h.hostname() + " leaked " + h.pool().live() + " skbs");
            }
        }
    }
}
