package net.linuxnet.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-packet cost of {@code fq_codel}: one operation allocates a 1514-byte IPv4/UDP frame
 * from the host's pool, writes its addresses and ports ({@code flows} distinct source ports in
 * turn), enqueues it ({@code fq_codel_enqueue}: {@code skb_get_hash} over the headers, the flow
 * table, the new-flow list), dequeues one packet ({@code fq_codel_dequeue}: DRR over the flow
 * lists, {@code codel_dequeue}) and frees it. The qdisc holds a standing backlog of
 * {@code flows} x 8 packets so that dequeue walks real lists. The world's clock stands still,
 * so CoDel never drops; in steady state nothing should be allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FqCodelBenchmark {

    private static final int LEN = 1514;

    private static final String SCENARIO = """
            linuxnet {
              hosts {
                a { devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a",
                                      addresses = ["10.0.0.1/24"] } }
                    qdiscs { veth0.root { kind = fq_codel } } }
                b { devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } } }
              }
            }
            """;

    /** Distinct flows the packets belong to. */
    @Param({"1", "64"})
    public int flows;

    private World world;
    private Host host;
    private NetDevice dev;
    private Qdisc<?> qdisc;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        PluginManager plugins = PluginManager.load(FqCodelBenchmark.class.getClassLoader(), null);
        world = WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(SCENARIO, "fq-codel.conf"),
                Map.of(), plugins.referenceConfig()), plugins, false);
        host = world.host("a");
        dev = host.devGetByName("veth0");
        qdisc = dev.txQueue(0).qdisc();
        for (int i = 0; i < flows * 8; i++) {
            qdisc.enqueue(frame());
        }
    }

    private SkBuff frame() {
        SkBuff skb = host.netdevAllocSkb(dev, LEN);
        int mac = skb.put(LEN);
        skb.setMacHeader(mac);
        int nh = mac + IfEther.ETH_HLEN;
        skb.setNetworkHeader(nh);
        skb.putU8(nh, 0x45);
        skb.putU16(nh + 6, 0);
        skb.putU8(nh + 9, 17);
        skb.putU32(nh + 12, 0x0a000001);
        skb.putU32(nh + 16, 0x0a000002);
        skb.putU16(nh + 20, 10_000 + (next++ % flows));
        skb.putU16(nh + 22, 9000);
        skb.setProtocol(IfEther.ETH_P_IP);
        return skb;
    }

    /** Enqueues one frame and dequeues and frees one; returns the qdisc's queue length. */
    @Benchmark
    public int enqueueDequeue() {
        qdisc.enqueue(frame());
        SkBuff skb = qdisc.dequeue();
        host.consumeSkb(skb);
        return qdisc.qlen;
    }

    /** Fails the trial if fq_codel dropped anything, or if an skb was not freed. */
    @TearDown(Level.Trial)
    public void checkNothingDroppedOrLeaked() {
        if (qdisc.drops != 0) {
            throw new IllegalStateException("fq_codel dropped " + qdisc.drops + " packets");
        }
        qdisc.reset(SkbDropReason.QUEUE_PURGE);
        world.finish();
        if (host.pool().live() != 0) {
            throw new IllegalStateException("host a leaked " + host.pool().live() + " skbs");
        }
    }
}
