package net.linuxnet.core.dev;

import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.core.cpu.CpuContext;
import net.linuxnet.core.cpu.IrqDescImpl;
import net.linuxnet.core.cpu.Softirq;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.sim.Event;
import net.linuxnet.core.testing.TestNicDriverProvider.TestNic;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/**
 * The receive engine driven by an interrupt-driven NIC ({@code testnic}): one IRQ per frame
 * while the CPU keeps up, NAPI polling with interrupts off under load, {@code netdev_budget}
 * and {@code time_squeeze}, the restart limit of {@code __do_softirq} and {@code ksoftirqd},
 * IRQ affinity, and a full RX ring.
 */
final class NapiTest {

    private static String scenario(int ring, int irqCpu, String sysctl) {
        return """
                linuxnet {
                  run { duration = 100ms, seed = 1 }
                  hosts {
                    h { cpus = 2
                        sysctl { "net.core.default_qdisc" = testfifo, %s }
                        devices { eth0 { driver = testnic, ring = %d } }
                        irq-affinity { "eth0-rx" = %d } }
                  }
                }
                """.formatted(sysctl, ring, irqCpu);
    }

    /** A 64-byte Ethernet frame carrying IPv4 (the bytes after the header do not matter here). */
    private static final byte[] FRAME = new byte[64];

    static {
        FRAME[12] = 0x08;
    }

    /** Counts the IPv4 frames that reach the stack and on which CPU. */
    private static final class Counter implements PacketType {
        final long[] perCpu;
        final Host host;

        Counter(Host host) {
            this.host = host;
            this.perCpu = new long[host.numCpus()];
            host.devAddPack(this);
        }

        @Override
        public int type() {
            return IfEther.ETH_P_IP;
        }

        @Override
        public int func(SkBuff skb, NetDevice dev, NetDevice origDev) {
            perCpu[host.smpProcessorId()]++;
            host.consumeSkb(skb);
            return NetRx.NET_RX_SUCCESS;
        }

        long total() {
            long t = 0;
            for (long n : perCpu) {
                t += n;
            }
            return t;
        }
    }

    /** {@code frames} frames arrive on the wire, {@code gapNs} apart, from time {@code startNs}. */
    private static void wire(World w, TestNic nic, int frames, long startNs, long gapNs, int perArrival) {
        Event e = new Event() {
            int left = frames;

            @Override
            protected void fire() {
                for (int i = 0; i < perArrival && left > 0; i++, left--) {
                    nic.wireReceive(FRAME);
                }
                if (left > 0) {
                    w.scheduler().schedule(this, time() + gapNs);
                }
            }
        };
        w.scheduler().schedule(e, startNs);
    }

    @Test
    void aSlowTrickleTakesOneInterruptPerFrameOnTheAffinityCpu() {
        World w = TestWorlds.build(scenario(256, 1, ""));
        Host h = w.host("h");
        TestNic nic = TestNic.of(h.devGetByName("eth0"));
        Counter c = new Counter(h);
        wire(w, nic, 100, 1_000_000, 100_000, 1);   // 10 kpps: the CPU is idle between frames
        w.run(null);

        IrqDescImpl irq = (IrqDescImpl) nic.irq();
        assertThat(c.perCpu).containsExactly(0, 100);
        assertThat(irq.count(0)).isZero();
        assertThat(irq.count(1)).isEqualTo(100);
        assertThat(h.cpu(1).softirqCount(Softirq.NET_RX)).isEqualTo(100);
        assertThat(h.net().softnetData(1).timeSqueeze).isZero();
        assertThat(h.cpu(1).timeIn(CpuContext.KSOFTIRQD)).isZero();
        assertThat(h.devGetByName("eth0").stats().rxPackets).isEqualTo(100);
    }

    @Test
    void oneNapiContextIsPolledOncePerRoundAndTheRestartLimitHandsTheRestToKsoftirqd() {
        // net_rx_action puts a context that used its whole weight on the repoll list and ends
        // the round when nothing else is listed: 1000 frames take 16 rounds of at most 64, never
        // a time_squeeze. __do_softirq restarts 10 times, then wakes ksoftirqd for the rest.
        World w = TestWorlds.build(scenario(1024, 0, ""));
        Host h = w.host("h");
        TestNic nic = TestNic.of(h.devGetByName("eth0"));
        Counter c = new Counter(h);
        wire(w, nic, 1000, 1_000_000, 0, 1000);
        w.run(null);

        IrqDescImpl irq = (IrqDescImpl) nic.irq();
        assertThat(c.total()).isEqualTo(1000);
        assertThat(irq.count(0)).isEqualTo(1);
        assertThat(h.cpu(0).softirqCount(Softirq.NET_RX)).isEqualTo(16);
        assertThat(h.net().softnetData(0).timeSqueeze).isZero();
        assertThat(h.cpu(0).timeIn(CpuContext.KSOFTIRQD)).isPositive();
    }

    @Test
    void fiveContextsOnOneCpuExhaustNetdevBudget() {
        // five NICs, all IRQs on CPU 0, 320 frames each: every round polls 5 x 64 = 320 frames,
        // the fifth poll takes the budget of 300 below zero, and the round is squeezed
        StringBuilder devices = new StringBuilder();
        StringBuilder affinity = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            devices.append("eth").append(i).append(" { driver = testnic, ring = 512 }\n");
            affinity.append("\"eth").append(i).append("-rx\" = 0\n");
        }
        World w = TestWorlds.build("""
                linuxnet {
                  hosts.h { cpus = 1
                            sysctl { "net.core.default_qdisc" = testfifo }
                            devices { %s }
                            irq-affinity { %s } }
                }
                """.formatted(devices, affinity));
        Host h = w.host("h");
        Counter c = new Counter(h);
        for (int i = 0; i < 5; i++) {
            wire(w, TestNic.of(h.devGetByName("eth" + i)), 320, 1_000_000, 0, 320);
        }
        w.run(null);

        assertThat(c.total()).isEqualTo(1600);
        assertThat(h.net().softnetData(0).timeSqueeze).isEqualTo(5);
    }

    @Test
    void aSmallerBudgetSqueezesEveryRound() {
        World w = TestWorlds.build(scenario(1024, 0, "\"net.core.netdev_budget\" = 64"));
        Host h = w.host("h");
        TestNic nic = TestNic.of(h.devGetByName("eth0"));
        new Counter(h);
        wire(w, nic, 640, 1_000_000, 0, 640);
        w.run(null);

        assertThat(h.net().softnetData(0).timeSqueeze).isEqualTo(10);
    }

    @Test
    void slowPacketsRunOutOfNetdevBudgetUsecs() {
        // 20 us a packet: one poll of 64 takes 1.28 ms, more than netdev_budget_usecs = 1000,
        // so every round is squeezed; after 2 ms __do_softirq hands over to ksoftirqd
        World w = TestWorlds.build(scenario(1024, 0, "\"net.core.netdev_budget_usecs\" = 1000")
                .replace("hosts {", "costs { netif_receive_skb { packet = 20us } }\n  hosts {"));
        Host h = w.host("h");
        TestNic nic = TestNic.of(h.devGetByName("eth0"));
        Counter c = new Counter(h);
        wire(w, nic, 640, 1_000_000, 0, 640);
        w.run(null);

        assertThat(c.total()).isEqualTo(640);
        assertThat(h.net().softnetData(0).timeSqueeze).isEqualTo(10);
        assertThat(h.cpu(0).timeIn(CpuContext.KSOFTIRQD)).isGreaterThan(10_000_000L);
    }

    @Test
    void aFullRingDropsInTheHardwareAsRxMissedErrors() {
        World w = TestWorlds.build(scenario(256, 0, ""));
        Host h = w.host("h");
        NetDevice eth0 = h.devGetByName("eth0");
        TestNic nic = TestNic.of(eth0);
        Counter c = new Counter(h);
        wire(w, nic, 1000, 1_000_000, 0, 1000);
        w.run(null);

        assertThat(c.total()).isEqualTo(256);
        assertThat(eth0.stats().rxMissedErrors).isEqualTo(744);
        assertThat(h.pool().allocated()).isEqualTo(256);
    }
}
