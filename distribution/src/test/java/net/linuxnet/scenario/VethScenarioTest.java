package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.report.Report;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/**
 * pktgen floods a host over a veth pair joining two hosts; the receiving backlog overflows.
 * Every frame pktgen offered is accounted for: received by the packet tap, or dropped with a
 * reason, and every skb is freed.
 */
final class VethScenarioTest {
    static World build(String scenario) {
        return TestWorlds.build(scenario);
    }

    static World run(String scenario) {
        return TestWorlds.run(scenario);
    }

    private static final String FLOOD = """
            linuxnet {
              run { duration = 100ms, seed = 7 }
              hosts {
                a { cpus = 2
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a" } }
                    apps {
                      gen0 { kind = pktgen, dev = veth0, dst-mac = "02:00:00:00:00:0b", src = "10.0.0.1", dst = "10.0.0.2",
                             rate = 3mpps, size = 64, flows = 8, cpu = 0 }
                      gen1 { kind = pktgen, dev = veth0, dst-mac = "02:00:00:00:00:0b", src = "10.0.0.1", dst = "10.0.0.2",
                             rate = 3mpps, size = 64, flows = 8, cpu = 1 }
                    } }
                b { cpus = 1
                    sysctl { "net.core.netdev_max_backlog" = 100 }
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b" } }
                    apps { tap { kind = af-packet, dev = veth0 } } }
              }
            }
            """;

    @Test
    void backlogOverflowIsCountedAndEveryFrameIsAccounted() {
        World w = run(FLOOD);
        Host a = w.host("a");
        Host b = w.host("b");
        Map<String, Object> report = Report.build(w);
        @SuppressWarnings("unchecked")
        Map<String, Object> hosts = (Map<String, Object>) report.get("hosts");
        @SuppressWarnings("unchecked")
        Map<String, Object> appsA = (Map<String, Object>) ((Map<String, Object>) hosts.get("a")).get("apps");
        @SuppressWarnings("unchecked")
        Map<String, Object> appsB = (Map<String, Object>) ((Map<String, Object>) hosts.get("b")).get("apps");
        long sent = 0;
        long errors = 0;
        for (String g : new String[] {"gen0", "gen1"}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) appsA.get(g);
            sent += (long) r.get("sent");
            errors += (long) r.get("errors");
        }
        @SuppressWarnings("unchecked")
        long received = (long) ((Map<String, Object>) appsB.get("tap")).get("received");
        long backlogDrops = b.drops(SkbDropReason.CPU_BACKLOG);
        long purged = b.drops(SkbDropReason.QUEUE_PURGE);

        assertThat(backlogDrops).isPositive();
        assertThat(sent + errors).isEqualTo(received + backlogDrops + purged);
        assertThat(errors).isEqualTo(backlogDrops);
        assertThat(b.net().softnetData(0).dropped).isEqualTo(backlogDrops);

        NetDevice bv = b.devGetByName("veth0");
        NetDevice av = a.devGetByName("veth0");
        RtnlLinkStats64 bs = bv.getStats(new RtnlLinkStats64());
        RtnlLinkStats64 as = av.getStats(new RtnlLinkStats64());
        assertThat(bs.rxDropped).isEqualTo(backlogDrops);
        assertThat(as.txDropped).isEqualTo(backlogDrops);
        assertThat(as.txPackets).isEqualTo(sent);
        assertThat(b.drops(SkbDropReason.UNHANDLED_PROTO)).isZero();
        assertThat(a.pool().live()).isZero();
        assertThat(b.pool().live()).isZero();
    }

    /**
     * Without a tap the frames go to IPv4, and b has no address 10.0.0.2 and does not forward:
     * route input drops each as {@code ip_error} does, {@code IpInAddrErrors} with reason
     * {@code IP_INADDRERRORS}. That is not a device drop, so {@code rx_dropped} stays 0.
     */
    @Test
    void withoutATapFramesAreDroppedByIpv4AsNotForThisHost() {
        World w = run(FLOOD.replace("apps { tap { kind = af-packet, dev = veth0 } }", "")
                .replace("rate = 3mpps", "rate = 100kpps"));
        Host b = w.host("b");
        assertThat(b.drops(SkbDropReason.CPU_BACKLOG)).isZero();
        assertThat(b.drops(SkbDropReason.IP_INADDRERRORS)).isEqualTo(b.net().softnetData(0).processed).isPositive();
        assertThat(b.mib("IpInAddrErrors").get()).isEqualTo(b.drops(SkbDropReason.IP_INADDRERRORS));
        assertThat(b.devGetByName("veth0").getStats(new RtnlLinkStats64()).rxDropped).isZero();
        assertThat(w.host("a").pool().live()).isZero();
    }

    @Test
    void aSteppedWorldAdvancesStepByStepAndCannotBeRunAfterwards() {
        World w = build(FLOOD.replace("rate = 3mpps", "rate = 100kpps"));
        Host b = w.host("b");
        w.runUntil(1_000_000);
        long first = b.net().softnetData(0).processed;
        w.runUntil(2_000_000);

        assertThat(first).isPositive();
        assertThat(b.net().softnetData(0).processed).isGreaterThan(first);
        assertThat(w.scheduler().now()).isEqualTo(2_000_000);
        assertThat(b.dropReasons()).containsOnlyKeys(SkbDropReason.IP_INADDRERRORS); // b is not 10.0.0.2
        assertThatThrownBy(() -> w.run(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a world that was stepped cannot be run");
        w.finish();
        assertThat(b.pool().live()).isZero();
    }

    @Test
    void aWorldThatRanCannotBeStepped() {
        World w = run(FLOOD.replace("rate = 3mpps", "rate = 100kpps").replace("duration = 100ms", "duration = 1ms"));
        assertThatThrownBy(() -> w.runUntil(2_000_000)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a world that was run cannot be stepped");
    }

    @Test
    void sameSeedSameReport() {
        String r1 = Report.json(run(FLOOD)).replaceAll("\"wall_ms\": \\d+", "");
        String r2 = Report.json(run(FLOOD)).replaceAll("\"wall_ms\": \\d+", "");
        assertThat(r1).isEqualTo(r2);
    }

    private static final String ONE_FLOW_TWO_CPUS = """
            linuxnet {
              run { duration = 20ms, seed = 7 }
              hosts {
                a { cpus = 2
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a" } }
                    apps {
                      gen0 { kind = pktgen, dev = veth0, dst-mac = "02:00:00:00:00:0b", src = "10.0.0.1", dst = "10.0.0.2",
                             rate = 3mpps, size = 64, flows = 1, cpu = 0 }
                      gen1 { kind = pktgen, dev = veth0, dst-mac = "02:00:00:00:00:0b", src = "10.0.0.1", dst = "10.0.0.2",
                             rate = 100kpps, size = 64, flows = 1, cpu = 1 }
                    } }
                b { cpus = 2
                    costs { netif_receive_skb { packet = 500ns } }
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b" } }
                    apps { tap { kind = af-packet, dev = veth0 } } }
              }
            }
            """;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tapResult(World w) {
        Map<String, Object> hosts = (Map<String, Object>) Report.build(w).get("hosts");
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) hosts.get("b")).get("apps")).get("tap");
    }

    /**
     * veth_xmit queues to the backlog of the sending CPU's index, so one flow sent from two
     * CPUs is received on two CPUs. Here the receiver's CPU 0 is overloaded by the bulk of the
     * flow and its backlog holds frames for a while, and CPU 1's few frames overtake them: the
     * flow arrives reordered. Sent from one CPU, the same traffic arrives in order.
     */
    @Test
    void oneFlowSentFromTwoCpusArrivesReordered() {
        World two = run(ONE_FLOW_TWO_CPUS);
        Host b = two.host("b");
        assertThat(b.net().softnetData(0).processed).isPositive();
        assertThat(b.net().softnetData(1).processed).isPositive();
        assertThat((long) tapResult(two).get("pktgen_frames")).isEqualTo((long) tapResult(two).get("received"));
        assertThat((long) tapResult(two).get("pktgen_reordered")).isPositive();

        World one = run(ONE_FLOW_TWO_CPUS.replace("cpu = 1", "cpu = 0"));
        assertThat(one.host("b").net().softnetData(1).processed).isZero();
        assertThat((long) tapResult(one).get("pktgen_reordered")).isZero();
    }
}
