package net.linuxnet.protocols.arp;

import static net.linuxnet.protocols.arp.ArpWorld.A;
import static net.linuxnet.protocols.arp.ArpWorld.B;
import static net.linuxnet.protocols.arp.ArpWorld.MAC_A;
import static net.linuxnet.protocols.arp.ArpWorld.MAC_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.linuxnet.api.kernel.ReportSection;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.core.config.ConfigException;
import net.linuxnet.core.host.Host;
import net.linuxnet.protocols.arp.ArpWorld.Frame;
import net.linuxnet.protocols.inet.Neigh4;
import org.junit.jupiter.api.Test;

/** Static entries, the report, gratuitous ARP learning, PROBE failure and NOARP devices. */
final class NeighTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final String STATIC_B =
            "neigh = [ { dst = \"10.0.0.2\", lladdr = \"02:00:00:00:00:02\", dev = eth0 } ]";

    private static ReportSection section(Host h, String key) {
        return h.reportSections().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void aStaticEntryIsPermanentAndNeedsNoArp() {
        ArpWorld w = new ArpWorld(STATIC_B, "");
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(10 * MS);

        assertThat(w.tapB.ip()).extracting(Frame::ipId).containsExactly(1);
        assertThat(w.tapB.arp().stream().filter(f -> f.arpTip() == B)).isEmpty();
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("PERMANENT");

        StringBuilder text = new StringBuilder();
        section(w.a, "neigh").text(text);
        assertThat(text.toString()).isEqualTo("$ ip neigh show\n10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT\n");
        assertThat(section(w.a, "neigh").json()).isEqualTo(
                List.of(Map.of("dst", "10.0.0.2", "dev", "eth0", "lladdr", "02:00:00:00:00:02", "state", List.of("PERMANENT"))));

        // a static entry outlives the reachable time and ignores ARP claiming another address
        ArpWorld.sendArpAt(w.b, 20 * MS, Arp.ARPOP_REQUEST, w.b.devGetByName("eth0").broadcast(),
                IfEther.parseMac("02:00:00:00:00:0b"), B, new byte[6], B);
        w.world.runUntil(60 * S);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("PERMANENT");
        assertThat(w.neigh(w.a, B).ha()).isEqualTo(MAC_B);
        w.world.finish();
    }

    @Test
    void theReportShowsStatesAndCounters() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, B, 1);
        w.sendAt(w.a, 1 * MS, ArpWorld.SILENT, 2);
        w.world.runUntil(10 * MS);
        StringBuilder text = new StringBuilder();
        section(w.a, "neigh").text(text);
        assertThat(text.toString()).isEqualTo("""
                $ ip neigh show
                10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE
                10.0.0.3 dev eth0 INCOMPLETE
                """);
        w.world.runUntil(4 * S);
        text.setLength(0);
        section(w.a, "neigh").text(text);
        assertThat(text.toString()).contains("10.0.0.3 dev eth0 FAILED\n");
        @SuppressWarnings("unchecked")
        Map<String, Long> cache = (Map<String, Long>) section(w.a, "arp_cache").json();
        // the third entry: the ICMP host unreachable for the failed packet goes to a's own
        // address through lo, whose neighbour is a NOARP entry, as on Linux
        assertThat(cache).containsEntry("entries", 3L).containsEntry("allocs", 3L).containsEntry("res_failed", 1L);
        StringBuilder stat = new StringBuilder();
        section(w.a, "arp_cache").text(stat);
        assertThat(stat.toString()).startsWith("$ cat /proc/net/stat/arp_cache\nentries allocs destroys");
        w.world.finish();
    }

    @Test
    void gratuitousArpUpdatesAnExistingEntryAndCreatesNone() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(10 * MS);
        byte[] newMac = IfEther.parseMac("02:00:00:00:00:0b");
        byte[] bcast = w.b.devGetByName("eth0").broadcast();
        // within locktime of the reply, but gratuitous: it overrides
        ArpWorld.sendArpAt(w.b, 20 * MS, Arp.ARPOP_REQUEST, bcast, newMac, B, new byte[6], B);
        ArpWorld.sendArpAt(w.b, 20 * MS, Arp.ARPOP_REQUEST, bcast, newMac, 0x0a000009, new byte[6], 0x0a000009);
        w.world.runUntil(30 * MS);

        Neighbour n = w.neigh(w.a, B);
        assertThat(n.ha()).isEqualTo(newMac);
        assertThat(Neighbour.stateName(n.nudState())).isEqualTo("STALE");
        assertThat(w.neigh(w.a, 0x0a000009)).isNull();
        w.world.finish();
    }

    @Test
    void aReplyWithinLocktimeDoesNotOverrideAndBroadcastRepliesOnlyMakeStale() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(10 * MS);
        byte[] other = IfEther.parseMac("02:00:00:00:00:0c");
        ArpWorld.sendArpAt(w.b, 20 * MS, Arp.ARPOP_REPLY, MAC_A, other, B, MAC_A, A);
        w.world.runUntil(30 * MS);
        assertThat(w.neigh(w.a, B).ha()).isEqualTo(MAC_B);

        // after locktime (1 s) a unicast reply with another address wins
        ArpWorld.sendArpAt(w.b, 2 * S, Arp.ARPOP_REPLY, MAC_A, other, B, MAC_A, A);
        w.world.runUntil(2 * S + 10 * MS);
        assertThat(w.neigh(w.a, B).ha()).isEqualTo(other);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("REACHABLE");
        w.world.finish();
    }

    @Test
    void aPeerThatGoesSilentInProbeFailsAfterThreeUnicastProbes() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(10 * MS);
        // b stops answering ARP
        NetDevice bEth = w.b.devGetByName("eth0");
        bEth.setFlags(bEth.flags() | NetDevice.IFF_NOARP);
        w.world.runUntil(46 * S);
        w.sendAt(w.a, 50 * S, B, 2);
        int before = w.tapB.arp().size();
        w.world.runUntil(59 * S);

        List<Frame> probes = w.tapB.arp().subList(before, w.tapB.arp().size());
        assertThat(probes).hasSize(3).allMatch(f -> f.dstIs(MAC_B));
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("FAILED");
        assertThat(w.tbl(w.a).stats()).containsEntry("res_failed", 1L);
        w.world.finish();
    }

    @Test
    void loopbackSendsWithoutResolution() {
        ArpWorld w = new ArpWorld();
        NetDevice lo = w.a.devGetByName("lo");
        w.a.timerSetup(t -> Neigh4.of(w.a).output(ArpWorld.ipv4(w.a, 1), lo, 0x7f000001)).mod(1 * MS);
        w.world.runUntil(10 * MS);
        Neighbour n = w.tbl(w.a).get(lo, 0x7f000001);
        assertThat(Neighbour.stateName(n.nudState())).isEqualTo("NOARP");
        assertThat(w.tapA.ip()).hasSize(1);
        assertThat(w.tapB.arp().stream().filter(f -> f.arpTip() == 0x7f000001)).isEmpty();
        w.world.finish();
    }

    @Test
    void badStaticEntriesFailWithFileAndLine() {
        assertThatThrownBy(() -> new ArpWorld(STATIC_B.replace("10.0.0.2", "10.0.0.300"), ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:6: linuxnet.hosts.a.neigh[0].dst: '10.0.0.300' is not an IPv4 address");
        assertThatThrownBy(() -> new ArpWorld(STATIC_B.replace("dev = eth0", "dev = eth9"), ""))
                .hasMessageContaining("linuxnet.hosts.a.neigh[0].dev: no device 'eth9' on host a (devices: lo, eth0)");
        assertThatThrownBy(() -> new ArpWorld(STATIC_B.replace("dev = eth0", "dev = eth0, via = x"), ""))
                .hasMessageContaining("linuxnet.hosts.a.neigh[0].via: unknown key (accepted: dev, dst, lladdr, nud)");
        assertThatThrownBy(() -> new ArpWorld(STATIC_B.replace("dev = eth0", "dev = eth0, nud = stale"), ""))
                .hasMessageContaining("linuxnet.hosts.a.neigh[0].nud").hasMessageContaining("permanent");
        assertThatThrownBy(() -> new ArpWorld(STATIC_B.replace("02:00:00:00:00:02", "02:00"), ""))
                .hasMessageContaining("linuxnet.hosts.a.neigh[0].lladdr: '02:00' is not a MAC address");
        assertThatThrownBy(() -> new ArpWorld("neigh = \"10.0.0.2\"", ""))
                .hasMessageContaining("linuxnet.hosts.a.neigh: expected a list of objects");
    }

    @Test
    void aRunThatEndsWhileResolvingPurgesTheQueue() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, ArpWorld.SILENT, 1, 2, 3);
        w.world.runUntil(10 * MS);
        w.world.finish(); // drains 1 s: still INCOMPLETE, the 3 packets are purged
        assertThat(w.a.drops(SkbDropReason.QUEUE_PURGE)).isEqualTo(3);
        assertThat(w.world.purged()).isEqualTo(3);
        assertThat(w.a.pool().live()).isZero();
    }

    @Test
    void aFullTableDropsNewNeighboursUntilGarbageCollectionFreesFailedOnes() {
        ArpWorld w = new ArpWorld("sysctl { \"net.ipv4.neigh.default.gc_thresh2\" = 2, \"net.ipv4.neigh.default.gc_thresh3\" = 3 }", "");
        w.sendAt(w.a, 1 * MS, 0x0a000011, 1);
        w.sendAt(w.a, 1 * MS, 0x0a000012, 2);
        w.sendAt(w.a, 1 * MS, 0x0a000013, 3);
        w.sendAt(w.a, 1 * MS, 0x0a000014, 4);
        w.world.runUntil(10 * MS);
        assertThat(w.tbl(w.a).entries()).hasSize(3);
        assertThat(w.a.drops(SkbDropReason.NEIGH_CREATEFAIL)).isEqualTo(1);
        assertThat(w.results).containsExactly(0, 0, 0, -22);
        assertThat(w.tbl(w.a).stats()).containsEntry("table_fulls", 1L);

        w.world.runUntil(5 * S); // the three failed
        w.sendAt(w.a, 6 * S, B, 5);
        w.world.runUntil(6 * S + 10 * MS);
        assertThat(w.tbl(w.a).entries()).extracting(n -> NeighTable.ipString(n.primaryKey())).containsExactly("10.0.0.2");
        // the three FAILED entries and lo's NOARP entry (made by the ICMP host unreachables
        // a sent itself) are collected
        assertThat(w.tbl(w.a).stats()).containsEntry("destroys", 4L).containsEntry("entries", 1L);
        assertThat(w.tapB.ip()).extracting(Frame::ipId).containsExactly(5);
        w.world.finish();
    }

    @Test
    void periodicGcRemovesEntriesUnusedForGcStaleTime() {
        ArpWorld w = new ArpWorld("sysctl { \"net.ipv4.neigh.default.gc_thresh1\" = 1 }", "");
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(100 * S); // STALE since about 50 s, unused since 1 ms
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("STALE");
        w.sendAt(w.a, 100 * S, ArpWorld.SILENT, 2);
        w.world.runUntil(100 * S + 10 * MS);
        assertThat(w.neigh(w.a, B)).isNull();
        assertThat(w.tbl(w.a).stats()).containsEntry("periodic_gc_runs", 1L).containsEntry("destroys", 1L);
        w.world.runUntil(104 * S); // let 10.0.0.3 fail: its queued packet is dropped, not leaked
        w.world.finish();
    }

    @Test
    void theResolvedPathAllocatesNothing() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(10 * MS);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] allocated = new long[1];
        NetDevice dev = w.a.devGetByName("eth0");
        Neigh4 neigh = Neigh4.of(w.a);
        w.a.timerSetup(t -> {
            SkBuff[] skbs = new SkBuff[200];
            allocated[0] = Long.MAX_VALUE;
            // the least of several rounds: a round the JIT compiles in may allocate on its own
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < skbs.length; i++) {
                    skbs[i] = ArpWorld.ipv4(w.a, i);
                }
                long before = mx.getCurrentThreadAllocatedBytes();
                for (SkBuff skb : skbs) {
                    neigh.output(skb, dev, B);
                }
                allocated[0] = Math.min(allocated[0], mx.getCurrentThreadAllocatedBytes() - before);
            }
        }).mod(20 * MS);
        w.world.runUntil(30 * MS);
        assertThat(w.tapB.ip()).hasSize(1001);
        assertThat(allocated[0]).as("bytes allocated by 200 resolved outputs").isLessThan(200);
        w.world.finish();
    }

    @Test
    void broadcastAndMulticastNextHopsAreNoarpWithTheMappedAddress() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, 0xffffffff, 1);
        w.sendAt(w.a, 1 * MS, 0xe0000001 | 0x00810203, 2); // 224.129.2.3 -> 01:00:5e:01:02:03
        w.world.runUntil(10 * MS);
        assertThat(w.tapB.ip()).hasSize(2);
        assertThat(w.tapB.ip().get(0).broadcast()).isTrue();
        assertThat(w.tapB.ip().get(1).dstIs(IfEther.parseMac("01:00:5e:01:02:03"))).isTrue();
        assertThat(Neighbour.stateName(w.neigh(w.a, 0xffffffff).nudState())).isEqualTo("NOARP");
        assertThat(w.tapB.arp().stream().filter(f -> f.arpOp() == Arp.ARPOP_REQUEST && f.arpSip() != f.arpTip())).isEmpty();
        w.world.finish();
    }

    @Test
    void arpIgnore8AnswersNothing() {
        ArpWorld w = new ArpWorld("", "sysctl { \"net.ipv4.conf.all.arp_ignore\" = 8 }");
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(4 * S);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("FAILED");
        assertThat(w.tapA.arp().stream().filter(f -> f.arpOp() == Arp.ARPOP_REPLY)).isEmpty();
        // no reply, and no entry learnt from the requests either
        assertThat(w.neigh(w.b, A)).isNull();
        w.world.finish();
    }

    @Test
    void arpAccept1LearnsFromGratuitousArp() {
        ArpWorld w = new ArpWorld("sysctl { \"net.ipv4.conf.all.arp_accept\" = 1 }", "");
        w.world.runUntil(1 * MS);
        // b's announcement at boot created a STALE entry on a
        Neighbour n = w.neigh(w.a, B);
        assertThat(n).isNotNull();
        assertThat(Neighbour.stateName(n.nudState())).isEqualTo("STALE");
        assertThat(n.ha()).isEqualTo(MAC_B);
        // used: DELAY, and b answers the unicast probe 5 s later
        w.sendAt(w.a, 2 * MS, B, 1);
        w.world.runUntil(6 * S);
        assertThat(w.tapB.ip()).hasSize(1);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("REACHABLE");
        w.world.finish();
    }
}
