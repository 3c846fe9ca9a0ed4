package net.linuxnet.protocols.arp;

import static net.linuxnet.protocols.arp.ArpWorld.A;
import static net.linuxnet.protocols.arp.ArpWorld.B;
import static net.linuxnet.protocols.arp.ArpWorld.MAC_A;
import static net.linuxnet.protocols.arp.ArpWorld.MAC_B;
import static net.linuxnet.protocols.arp.ArpWorld.SILENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.protocols.arp.ArpWorld.Frame;
import org.junit.jupiter.api.Test;

/** ARP and the neighbour state machine between two hosts over a veth pair. */
final class ArpTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void gratuitousArpAtBootIsABroadcastRequestForTheOwnAddress() {
        ArpWorld w = new ArpWorld();
        w.world.runUntil(1 * MS);

        List<Frame> onB = w.tapB.arp();
        assertThat(onB).hasSize(1);
        Frame garp = onB.getFirst();
        assertThat(garp.broadcast()).isTrue();
        assertThat(garp.arpOp()).isEqualTo(Arp.ARPOP_REQUEST);
        assertThat(garp.arpSip()).isEqualTo(A);
        assertThat(garp.arpTip()).isEqualTo(A);
        assertThat(garp.timeNs()).isLessThan(100_000);
        // arp_accept=0: a gratuitous ARP creates no entry
        assertThat(w.tbl(w.b).entries()).isEmpty();
        assertThat(w.tbl(w.a).entries()).isEmpty();
        w.world.finish();
    }

    @Test
    void oneRequestAndReplyResolveAndTheQueueGoesOutInOrder() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, B, 1, 2, 3);
        w.world.runUntil(10 * MS);

        List<Frame> requests = w.tapB.arp().stream().filter(f -> f.arpTip() == B).toList();
        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst().broadcast()).isTrue();
        assertThat(requests.getFirst().arpSip()).isEqualTo(A);
        List<Frame> replies = w.tapA.arp().stream().filter(f -> f.arpOp() == Arp.ARPOP_REPLY).toList();
        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().dstIs(MAC_A)).isTrue();
        assertThat(replies.getFirst().arpSip()).isEqualTo(B);
        assertThat(replies.getFirst().arpTip()).isEqualTo(A);

        assertThat(w.tapB.ip()).extracting(Frame::ipId).containsExactly(1, 2, 3);
        assertThat(w.tapB.ip()).allMatch(f -> f.dstIs(MAC_B));
        assertThat(w.results).containsExactly(0, 0, 0);
        Neighbour n = w.neigh(w.a, B);
        assertThat(Neighbour.stateName(n.nudState())).isEqualTo("REACHABLE");
        assertThat(n.ha()).isEqualTo(MAC_B);
        // the request taught b about a: STALE (neigh_event_ns)
        assertThat(Neighbour.stateName(w.neigh(w.b, A).nudState())).isEqualTo("STALE");

        // resolved: the next packet goes straight out, no more ARP
        w.sendAt(w.a, 20 * MS, B, 4);
        w.world.runUntil(30 * MS);
        assertThat(w.tapB.ip()).extracting(Frame::ipId).containsExactly(1, 2, 3, 4);
        assertThat(w.tapB.arp().stream().filter(f -> f.arpTip() == B)).hasSize(1);
        assertThat(w.tbl(w.a).stats()).containsEntry("allocs", 1L).containsEntry("entries", 1L)
                .containsEntry("res_failed", 0L).containsEntry("unresolved_discards", 0L);
        w.world.finish();
    }

    @Test
    void aSilentPeerFailsAfterThreeRequestsOneSecondApart() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, SILENT, 7, 8);
        w.world.runUntil(2500 * MS);
        assertThat(Neighbour.stateName(w.neigh(w.a, SILENT).nudState())).isEqualTo("INCOMPLETE");
        assertThat(w.neigh(w.a, SILENT).arpQueueLen()).isEqualTo(2);
        w.world.runUntil(4 * S);

        List<Frame> requests = w.tapB.arp().stream().filter(f -> f.arpTip() == SILENT).toList();
        assertThat(requests).hasSize(3).allMatch(Frame::broadcast);
        assertThat(requests.get(1).timeNs() - requests.get(0).timeNs()).isCloseTo(S, within(100_000L));
        assertThat(requests.get(2).timeNs() - requests.get(1).timeNs()).isCloseTo(S, within(100_000L));
        assertThat(Neighbour.stateName(w.neigh(w.a, SILENT).nudState())).isEqualTo("FAILED");
        assertThat(w.a.drops(SkbDropReason.NEIGH_FAILED)).isEqualTo(2);
        assertThat(w.tapB.ip()).isEmpty();
        assertThat(w.tbl(w.a).stats()).containsEntry("res_failed", 1L);
        // arp_error_report: each dropped packet's sender gets ICMP host unreachable (type 3, code 1)
        assertThat(w.a.mib("IcmpOutDestUnreachs").get()).isEqualTo(2);
        assertThat(w.a.mib("IcmpInDestUnreachs").get()).isEqualTo(2);
        w.world.finish();
    }

    @Test
    void unresQlenBytesOverflowDropsTheOldest() {
        ArpWorld probe = new ArpWorld();
        var sample = ArpWorld.ipv4(probe.a, 0);
        int truesize = sample.truesize();
        probe.a.consumeSkb(sample);
        probe.world.finish();
        ArpWorld w = new ArpWorld("sysctl { \"net.ipv4.neigh.default.unres_qlen_bytes\" = " + (3 * truesize + truesize / 2) + " }", "");
        w.sendAt(w.a, 1 * MS, B, 1, 2, 3, 4, 5);
        w.world.runUntil(10 * MS);

        assertThat(w.a.drops(SkbDropReason.NEIGH_QUEUEFULL)).isEqualTo(2);
        assertThat(w.tbl(w.a).stats()).containsEntry("unresolved_discards", 2L);
        assertThat(w.tapB.ip()).extracting(Frame::ipId).containsExactly(3, 4, 5);
        w.world.finish();
    }

    @Test
    void reachableGoesStaleThenDelayProbeAndReachableAgainOnAUnicastReply() {
        ArpWorld w = new ArpWorld();
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(10 * MS);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("REACHABLE");

        // reachable_time is drawn in [15 s, 45 s); unused for 5 s after it, the entry goes STALE
        w.world.runUntil(46 * S);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("STALE");

        // used while STALE: sent at once, DELAY for delay_first_probe_time, then PROBE
        w.sendAt(w.a, 50 * S, B, 2);
        w.world.runUntil(50 * S + 10 * MS);
        assertThat(w.tapB.ip()).extracting(Frame::ipId).containsExactly(1, 2);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("DELAY");
        int requestsBefore = w.tapB.arp().size();

        w.world.runUntil(55 * S + 10 * MS);
        List<Frame> probes = w.tapB.arp().subList(requestsBefore, w.tapB.arp().size());
        assertThat(probes).hasSize(1);
        assertThat(probes.getFirst().dstIs(MAC_B)).isTrue();
        assertThat(probes.getFirst().arpOp()).isEqualTo(Arp.ARPOP_REQUEST);
        assertThat(probes.getFirst().timeNs()).isBetween(55 * S, 55 * S + MS);
        assertThat(Neighbour.stateName(w.neigh(w.a, B).nudState())).isEqualTo("REACHABLE");
        w.world.finish();
    }

    @Test
    void malformedArpIsDroppedAndCounted() {
        ArpWorld w = new ArpWorld();
        w.a.timerSetup(t -> {
            sendRaw(w, 10, bytes -> { });                                   // too short
            sendRaw(w, 28, bytes -> bytes[14 + 1] = 6);                       // hardware type 6 (IEEE 802) is accepted
            sendRaw(w, 28, bytes -> bytes[14 + 0] = 9);                       // hardware type 0x0901
            sendRaw(w, 28, bytes -> bytes[14 + 4] = 8);                       // hln 8
            sendRaw(w, 28, bytes -> bytes[14 + 7] = 9);                       // opcode 9
            sendRaw(w, 28, bytes -> bytes[14 + 2] = (byte) 0x86);             // protocol 0x8600
        }).mod(1 * MS);
        w.world.runUntil(10 * MS);

        assertThat(w.b.drops(SkbDropReason.PKT_TOO_SMALL)).isEqualTo(1);
        assertThat(w.b.drops(SkbDropReason.NOT_SPECIFIED)).isEqualTo(4);
        assertThat(w.tbl(w.b).entries()).isEmpty();
        w.world.finish();
    }

    /** A request from a for b, {@code arpLen} bytes of ARP, changed by {@code edit}. */
    private static void sendRaw(ArpWorld w, int arpLen, java.util.function.Consumer<byte[]> edit) {
        byte[] f = new byte[14 + arpLen];
        byte[] full = new byte[14 + 28];
        java.util.Arrays.fill(full, 0, 6, (byte) 0xff);
        System.arraycopy(MAC_A, 0, full, 6, 6);
        full[12] = 0x08;
        full[13] = 0x06;
        full[14 + 1] = 1;
        full[14 + 2] = 0x08;
        full[14 + 4] = 6;
        full[14 + 5] = 4;
        full[14 + 7] = 1;
        System.arraycopy(MAC_A, 0, full, 14 + 8, 6);
        full[14 + 14] = 10;
        full[14 + 17] = 9; // sender 10.0.0.9: unknown to b
        full[14 + 24] = 10;
        full[14 + 27] = 99; // target 10.0.0.99: not b's
        System.arraycopy(full, 0, f, 0, f.length);
        edit.accept(f);
        var skb = w.a.allocSkb(16 + f.length);
        skb.reserve(16);
        int off = skb.put(f.length);
        skb.putBytes(off, f, 0, f.length);
        skb.resetMacHeader();
        skb.setProtocol(0x0806);
        skb.setDev(w.a.devGetByName("eth0"));
        w.a.devQueueXmit(skb);
    }

    @Test
    void unresQlenSetsTheBoundInFramesOfSkbTruesize() {
        ArpWorld w = new ArpWorld("sysctl { \"net.ipv4.neigh.default.unres_qlen\" = 3 }", "");
        assertThat(w.tbl(w.a).unresQlenBytes()).isEqualTo(3 * 2090);
        assertThat(w.tbl(w.b).unresQlenBytes()).isEqualTo(212992);
        w.world.finish();
    }
}
