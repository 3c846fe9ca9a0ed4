package net.linuxnet.protocols.tcp;

import static net.linuxnet.api.sock.SockConst.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.netfilter.NfHookOps;
import net.linuxnet.api.netfilter.NfInetHooks;
import net.linuxnet.api.netfilter.NfVerdict;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.TcpInfo;
import net.linuxnet.core.host.Host;
import org.junit.jupiter.api.Test;

/**
 * TCP data transfer and the close state machine between two hosts joined by a veth pair:
 * bytes arrive whole and in order, ACKs, retransmission after loss, FIN sequences through
 * FIN-WAIT, CLOSE-WAIT, LAST-ACK and TIME-WAIT, resets on close, keepalive, simultaneous open.
 */
final class TcpDataTest extends TwoHostTcpTest {
    TcpDataTest() {
        super(5);
    }

    /** A connected pair: {client fd on a, server fd on b}. */
    int[] connectedPair() {
        int lfd = b.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertThat(b.bind(lfd, new SockaddrIn(B, 80))).isZero();
        assertThat(b.listen(lfd, 16)).isZero();
        int cfd = a.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertThat(a.connect(null, cfd, new SockaddrIn(B, 80))).isEqualTo(-Errno.EINPROGRESS);
        advance(10 * MS);
        assertThat(a.connect(null, cfd, new SockaddrIn(B, 80))).isZero();
        int sfd = b.accept(null, lfd, null, SOCK_NONBLOCK);
        assertThat(sfd).isPositive();
        b.close(lfd);
        return new int[] {cfd, sfd};
    }

    /** Sends {@code data} from (h, fd) and reads on (r, rfd) until all arrived or {@code limit} passed. */
    byte[] transfer(Host h, int fd, Host r, int rfd, byte[] data, long limit) {
        byte[] got = new byte[data.length];
        int sent = 0;
        int recvd = 0;
        long end = w.scheduler().now() + limit;
        byte[] buf = new byte[65536];
        while (recvd < data.length && w.scheduler().now() < end) {
            if (sent < data.length) {
                int n = h.sendto(null, fd, data, sent, data.length - sent, 0, null);
                if (n > 0) {
                    sent += n;
                } else {
                    assertThat(n).isEqualTo(-Errno.EAGAIN);
                }
            }
            advance(MS);
            int n;
            while ((n = r.recvfrom(null, rfd, buf, 0, buf.length, 0, null)) > 0) {
                System.arraycopy(buf, 0, got, recvd, n);
                recvd += n;
            }
        }
        assertThat(recvd).isEqualTo(data.length);
        return got;
    }

    static byte[] pattern(int n, long seed) {
        byte[] d = new byte[n];
        new Random(seed).nextBytes(d);
        return d;
    }

    @Test
    void aMegabyteArrivesWholeAndInOrder() {
        int[] p = connectedPair();
        byte[] data = pattern(1 << 20, 1);
        byte[] got = transfer(a, p[0], b, p[1], data, 10 * S);
        assertThat(Arrays.equals(got, data)).isTrue();
        TcpSock c = tsk(a, p[0]);
        TcpSock s = tsk(b, p[1]);
        advance(300 * MS);
        assertThat(c.sndUna).isEqualTo(c.sndNxt);
        assertThat(c.bytesAcked).isEqualTo(1 << 20);
        assertThat(s.bytesReceived).isEqualTo(1 << 20);
        assertThat(c.rtxQueue.isEmpty()).isTrue();
        assertThat(c.skWmemQueued).isZero();
        assertThat(mib(a, "TcpRetransSegs")).isZero();
        assertThat(c.sndCwnd).isGreaterThan(10);
        // every full segment carries 1448 bytes with timestamps
        assertThat(c.dataSegsOut).isGreaterThanOrEqualTo((1 << 20) / 1448);
        assertThat(mib(b, "TcpInSegs")).isGreaterThan(c.dataSegsOut);
        // the srtt is measured and the RTO follows it, at least TCP_RTO_MIN
        assertThat(c.srttUs).isPositive();
        assertThat(c.icskRto).isBetween(200 * MS, 1 * S);
    }

    @Test
    void theBulkReceiverAcksEverySecondSegmentAndLoneSegmentsWaitForTheDelayedAck() {
        int[] p = connectedPair();
        TcpSock s = tsk(b, p[1]);
        byte[] small = pattern(100, 2);
        assertThat(a.sendto(null, p[0], small, 0, small.length, 0, null)).isEqualTo(100);
        long acksBefore = mib(b, "TcpOutSegs");
        advance(MS);
        // the first data segment is in quickack mode: ACKed at once
        assertThat(mib(b, "TcpOutSegs")).isEqualTo(acksBefore + 1);
        assertThat(s.icskAckQuick).isPositive();
        byte[] buf = new byte[200];
        assertThat(b.recvfrom(null, p[1], buf, 0, 200, 0, null)).isEqualTo(100);
        assertThat(Arrays.copyOf(buf, 100)).isEqualTo(small);
        assertThat(b.recvfrom(null, p[1], buf, 0, 200, 0, null)).isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void nagleHoldsASmallSegmentWhileAnotherIsUnacknowledgedUnlessNodelay() {
        int[] p = connectedPair();
        TcpSock c = tsk(a, p[0]);
        byte[] d = pattern(100, 10);
        a.sendto(null, p[0], d, 0, 100, 0, null);
        a.sendto(null, p[0], d, 0, 100, 0, null);
        a.sendto(null, p[0], d, 0, 100, 0, null);
        // the second and third writes share one held segment
        assertThat(c.dataSegsOut).isEqualTo(1);
        assertThat(c.skWriteQueue.qlen()).isEqualTo(1);
        advance(MS);
        assertThat(c.dataSegsOut).isEqualTo(2);
        assertThat(c.bytesSent).isEqualTo(300);
        assertThat(a.setsockopt(p[0], SOL_TCP, TCP_NODELAY, 1)).isZero();
        a.sendto(null, p[0], d, 0, 100, 0, null);
        a.sendto(null, p[0], d, 0, 100, 0, null);
        assertThat(c.dataSegsOut).isEqualTo(4);
    }

    @Test
    void afterAnIdlePeriodTheWindowRestartsFromTheInitialWindow() {
        int[] p = connectedPair();
        TcpSock c = tsk(a, p[0]);
        byte[] d = pattern(400_000, 12);
        transfer(a, p[0], b, p[1], d, 10 * S);
        advance(100 * MS);
        int grown = c.sndCwnd;
        assertThat(grown).isGreaterThan(10);
        // idle for much longer than the RTO: the next write starts from 10 segments again
        advance(5 * S);
        a.sendto(null, p[0], d, 0, 100, 0, null);
        assertThat(c.sndCwnd).isEqualTo(10);
        assertThat(c.sndSsthresh).isGreaterThanOrEqualTo((grown >> 1) + (grown >> 2));
    }

    @Test
    void aRequestAnsweredWithinTheAtoMakesTheConnectionInteractive() {
        int[] p = connectedPair();
        byte[] req = pattern(100, 3);
        byte[] buf = new byte[1000];
        for (int i = 0; i < 20; i++) {
            a.sendto(null, p[0], req, 0, req.length, 0, null);
            advance(MS);
            assertThat(b.recvfrom(null, p[1], buf, 0, buf.length, 0, null)).isEqualTo(100);
            b.sendto(null, p[1], req, 0, req.length, 0, null);
            advance(MS);
            assertThat(a.recvfrom(null, p[0], buf, 0, buf.length, 0, null)).isEqualTo(100);
            advance(10 * MS);
        }
        // replies carry the ACKs: the server is in pingpong mode
        assertThat(tsk(b, p[1]).icskAckPingpong).isPositive();
    }

    @Test
    void aLostSegmentBeforeTheTailIsFoundByRackAfterAQuarterOfTheMinRtt() {
        int[] p = dropOnce(3);
        byte[] data = pattern(5 * 1448, 4);
        byte[] got = transfer(a, p[0], b, p[1], data, 5 * S);
        assertThat(got).isEqualTo(data);
        // segments 4 and 5 are SACKed: only two, too few for the duplicate threshold, but RACK
        // marks segment 3 lost once it is overdue by a quarter of the min RTT (the reordering
        // timer), and it is fast-retransmitted in Recovery; no loss probe, no timeout
        assertThat(mib(b, "TcpExtTCPOFOQueue")).isEqualTo(2);
        assertThat(mib(a, "TcpExtTCPSackRecovery")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPFastRetrans")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPLossProbes")).isZero();
        assertThat(mib(a, "TcpExtTCPTimeouts")).isZero();
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(1);
    }

    @Test
    void aLostTailIsRepairedByTheLossProbeWithoutATimeout() {
        int[] p = dropOnce(5);
        byte[] data = pattern(5 * 1448, 15);
        byte[] got = transfer(a, p[0], b, p[1], data, 5 * S);
        assertThat(got).isEqualTo(data);
        // nothing after segment 5 to SACK: the probe two RTTs later resends it and its ACK
        // ends the episode; no RTO
        assertThat(mib(a, "TcpExtTCPLossProbes")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPTimeouts")).isZero();
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(1);
    }

    /** A connected pair whose {@code n}-th data segment to {@code b} is lost once. */
    int[] dropOnce(int n) {
        int[] p = connectedPair();
        int[] count = {0};
        b.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_IN, 0, (skb, h) -> {
            if (tcpPayload(skb) > 0 && ++count[0] == n) {
                return NfVerdict.DROP;
            }
            return NfVerdict.ACCEPT;
        }));
        return p;
    }

    @Test
    void threeDuplicateAcksStartAFastRetransmit() {
        int[] p = connectedPair();
        int[] count = {0};
        b.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_IN, 0, (skb, n) -> {
            if (tcpPayload(skb) > 0 && ++count[0] == 2) {
                return NfVerdict.DROP;
            }
            return NfVerdict.ACCEPT;
        }));
        byte[] data = pattern(10 * 1448, 5);
        assertThat(a.sendto(null, p[0], data, 0, data.length, 0, null)).isEqualTo(data.length);
        advance(50 * MS); // well before the 200+ ms RTO
        assertThat(mib(a, "TcpExtTCPFastRetrans")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPSackRecovery")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPTimeouts")).isZero();
        byte[] buf = new byte[data.length];
        assertThat(b.recvfrom(null, p[1], buf, 0, buf.length, 0, null)).isEqualTo(data.length);
        assertThat(buf).isEqualTo(data);
    }

    @Test
    void sackRepairsSeveralHolesOfOneWindowInOneRecovery() {
        int[] p = connectedPair();
        int[] count = {0};
        // the 2nd, 4th and 6th data segments are lost
        b.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_IN, 0, (skb, n) -> {
            if (tcpPayload(skb) > 0) {
                int k = ++count[0];
                if (k == 2 || k == 4 || k == 6) {
                    return NfVerdict.DROP;
                }
            }
            return NfVerdict.ACCEPT;
        }));
        byte[] data = pattern(10 * 1448, 14);
        assertThat(a.sendto(null, p[0], data, 0, data.length, 0, null)).isEqualTo(data.length);
        advance(30 * MS); // well before the RTO
        // one Recovery episode, the three holes retransmitted at once from the SACK scoreboard
        assertThat(mib(a, "TcpExtTCPSackRecovery")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPFastRetrans")).isEqualTo(3);
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(3);
        assertThat(mib(a, "TcpExtTCPTimeouts")).isZero();
        TcpSock c = tsk(a, p[0]);
        assertThat(c.sndUna).isEqualTo(c.sndNxt);
        assertThat(c.sackedOut + c.lostOut + c.retransOut).isZero();
        byte[] buf = new byte[data.length];
        assertThat(b.recvfrom(null, p[1], buf, 0, buf.length, 0, null)).isEqualTo(data.length);
        assertThat(buf).isEqualTo(data);
    }

    @Test
    void withoutSackThreeDuplicateAcksStartRenoRecoveryAndNewRenoRepairsTheNextHole() {
        a.sysctl().set("net.ipv4.tcp_sack", "0");
        int[] p = connectedPair();
        assertThat(tsk(a, p[0]).sackOk).isFalse();
        int[] count = {0};
        b.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_IN, 0, (skb, n) -> {
            if (tcpPayload(skb) > 0) {
                int k = ++count[0];
                if (k == 2 || k == 4) {
                    return NfVerdict.DROP;
                }
            }
            return NfVerdict.ACCEPT;
        }));
        byte[] data = pattern(10 * 1448, 16);
        assertThat(a.sendto(null, p[0], data, 0, data.length, 0, null)).isEqualTo(data.length);
        advance(50 * MS);
        // segment 2 after three duplicate ACKs; the partial ACK that follows points at segment 4
        assertThat(mib(a, "TcpExtTCPRenoRecovery")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPSackRecovery")).isZero();
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(2);
        assertThat(mib(a, "TcpExtTCPTimeouts")).isZero();
        byte[] buf = new byte[data.length];
        assertThat(b.recvfrom(null, p[1], buf, 0, buf.length, 0, null)).isEqualTo(data.length);
        assertThat(buf).isEqualTo(data);
    }

    static int tcpPayload(SkBuff skb) {
        int nh = skb.networkHeader();
        if (skb.getU8(nh + 9) != IPPROTO_TCP) {
            return 0;
        }
        int ihl = (skb.getU8(nh) & 0xf) * 4;
        int tot = skb.getU16(nh + 2);
        int doff = (skb.getU8(nh + ihl + 12) >>> 4) * 4;
        return tot - ihl - doff;
    }

    @Test
    void anActiveCloseGoesThroughFinWait2AndTimeWaitFor60Seconds() {
        int[] p = connectedPair();
        TcpSock c = tsk(a, p[0]);
        TcpSock s = tsk(b, p[1]);
        a.close(p[0]);
        assertThat(c.skState).isEqualTo(TCP_FIN_WAIT1);
        advance(MS);
        // the server read the FIN; its ACK is delayed (pingpong after a FIN), so the client waits
        assertThat(s.skState).isEqualTo(TCP_CLOSE_WAIT);
        assertThat(b.recvfrom(null, p[1], new byte[10], 0, 10, 0, null)).isZero();
        advance(100 * MS);
        // the orphan in FIN-WAIT-2 became a timewait sock with substate FIN-WAIT-2
        assertThat(c.skState).isEqualTo(TCP_CLOSE);
        assertThat(mib(b, "TcpExtDelayedACKs")).isEqualTo(1);
        b.close(p[1]);
        assertThat(s.skState).isEqualTo(TCP_LAST_ACK);
        advance(MS);
        assertThat(s.skState).isEqualTo(TCP_CLOSE);
        assertThat(ssStates(a)).containsExactly("TIME-WAIT");
        assertThat(mib(a, "TcpExtTW")).isZero();
        advance(59 * S);
        assertThat(ssStates(a)).containsExactly("TIME-WAIT");
        advance(2 * S);
        assertThat(ssStates(a)).isEmpty();
        assertThat(mib(a, "TcpExtTW")).isEqualTo(1);
        assertThat(mib(a, "TcpEstabResets")).isZero();
        assertThat(mib(b, "TcpEstabResets")).isZero();
        assertThat(mib(a, "TcpOutRsts") + mib(b, "TcpOutRsts")).isZero();
        assertThat(mib(a, "TcpCurrEstab") + mib(b, "TcpCurrEstab")).isZero();
    }

    @Test
    void aLostLastAckMakesLastAckRetransmitItsFinWhichTimeWaitAcksAgain() {
        int[] p = connectedPair();
        TcpSock s = tsk(b, p[1]);
        boolean[] dropNext = {false};
        b.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_IN, 0, (skb, n) -> {
            if (dropNext[0]) {
                dropNext[0] = false;
                return NfVerdict.DROP;
            }
            return NfVerdict.ACCEPT;
        }));
        a.close(p[0]);
        advance(MS);
        dropNext[0] = true; // the ACK of b's FIN will be lost
        b.close(p[1]);
        advance(MS);
        assertThat(ssStates(a)).containsExactly("TIME-WAIT");
        assertThat(s.skState).isEqualTo(TCP_LAST_ACK);
        long out = mib(a, "TcpOutSegs");
        advance(2 * S);
        // LAST-ACK retransmitted its FIN after the RTO; the timewait sock ACKed it and restarted its 60 s
        assertThat(mib(b, "TcpRetransSegs")).isEqualTo(1);
        assertThat(mib(a, "TcpOutSegs")).isEqualTo(out + 1);
        assertThat(s.skState).isEqualTo(TCP_CLOSE);
        long finRetransAt = w.scheduler().now();
        w.runUntil(60 * S + 10 * MS);
        assertThat(ssStates(a)).containsExactly("TIME-WAIT");
        w.runUntil(finRetransAt + 60 * S);
        assertThat(ssStates(a)).isEmpty();
        assertThat(mib(a, "TcpExtTW")).isEqualTo(1);
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        int[] p = connectedPair();
        TcpSock c = tsk(a, p[0]);
        TcpSock s = tsk(b, p[1]);
        a.shutdown(p[0], SHUT_WR);
        b.shutdown(p[1], SHUT_WR);
        assertThat(c.skState).isEqualTo(TCP_FIN_WAIT1);
        assertThat(s.skState).isEqualTo(TCP_FIN_WAIT1);
        advance(MS);
        // each FIN met FIN-WAIT-1: CLOSING, then the ACKs of the FINs: TIME-WAIT on both sides
        assertThat(c.skState).isEqualTo(TCP_CLOSE);
        assertThat(s.skState).isEqualTo(TCP_CLOSE);
        assertThat(ssStates(a)).contains("TIME-WAIT");
        assertThat(ssStates(b)).contains("TIME-WAIT");
        a.close(p[0]);
        b.close(p[1]);
    }

    @Test
    void closeWithUnreadDataResetsThePeer() {
        int[] p = connectedPair();
        byte[] d = pattern(500, 6);
        a.sendto(null, p[0], d, 0, d.length, 0, null);
        advance(MS);
        b.close(p[1]);
        advance(MS);
        assertThat(mib(b, "TcpExtTCPAbortOnClose")).isEqualTo(1);
        assertThat(mib(b, "TcpOutRsts")).isEqualTo(1);
        assertThat(tsk(a, p[0]).skState).isEqualTo(TCP_CLOSE);
        assertThat(a.recvfrom(null, p[0], new byte[10], 0, 10, 0, null)).isEqualTo(-Errno.ECONNRESET);
        assertThat(mib(a, "TcpEstabResets")).isEqualTo(1);
        a.close(p[0]);
    }

    @Test
    void soLingerZeroClosesWithReset() {
        int[] p = connectedPair();
        byte[] linger = {1, 0, 0, 0, 0, 0, 0, 0};
        assertThat(a.setsockopt(p[0], SOL_SOCKET, SO_LINGER, linger)).isZero();
        byte[] back = new byte[8];
        assertThat(a.getsockopt(p[0], SOL_SOCKET, SO_LINGER, back)).isEqualTo(8);
        assertThat(back).isEqualTo(linger);
        a.close(p[0]);
        advance(MS);
        assertThat(mib(a, "TcpExtTCPAbortOnData")).isEqualTo(1);
        assertThat(mib(a, "TcpOutRsts")).isEqualTo(1);
        assertThat(ssStates(a)).isEmpty();
        assertThat(tsk(b, p[1]).skState).isEqualTo(TCP_CLOSE);
        b.close(p[1]);
    }

    @Test
    void anRstOutsideTheExactSequenceGetsAChallengeAck() {
        int[] p = connectedPair();
        TcpSock s = tsk(b, p[1]);
        long before = mib(b, "TcpExtTCPChallengeACK");
        // forge an in-window RST with a sequence number one past rcv_nxt
        ForgedSegments.send(a, A, B, tsk(a, p[0]).inetNum, 80, s.rcvNxt + 1, 0, Tcp.RST);
        advance(MS);
        assertThat(s.skState).isEqualTo(TCP_ESTABLISHED);
        assertThat(mib(b, "TcpExtTCPChallengeACK")).isEqualTo(before + 1);
        ForgedSegments.send(a, A, B, tsk(a, p[0]).inetNum, 80, s.rcvNxt, 0, Tcp.RST);
        advance(MS);
        assertThat(s.skState).isEqualTo(TCP_CLOSE);
        assertThat(b.recvfrom(null, p[1], new byte[1], 0, 1, 0, null)).isEqualTo(-Errno.ECONNRESET);
    }

    @Test
    void aBlackholedConnectionBacksOffAndTimesOutAfterTcpRetries2() {
        int[] p = connectedPair();
        b.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_IN, 0, (skb, n) -> NfVerdict.DROP));
        TcpSock c = tsk(a, p[0]);
        byte[] d = pattern(100, 11);
        long t0 = w.scheduler().now();
        a.sendto(null, p[0], d, 0, d.length, 0, null);
        long rto0 = c.icskRto;
        assertThat(rto0).isBetween(200 * MS, 210 * MS);
        // the tail loss probe comes first (capped at the RTO), then the RTO from the probe on
        w.runUntil(t0 + rto0 + MS);
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(1);
        assertThat(mib(a, "TcpExtTCPLossProbes")).isEqualTo(1);
        assertThat(c.icskRto).isEqualTo(rto0);
        w.runUntil(t0 + 2 * rto0 + 2 * MS);
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(2);
        assertThat(c.icskRto).isEqualTo(2 * rto0);
        // 15 RTO retransmissions (tcp_retries2), the RTO doubling up to 120 s; given up 924.6 s
        // after the first retransmission (the probe)
        w.runUntil(t0 + 924 * S);
        assertThat(c.skState).isEqualTo(TCP_ESTABLISHED);
        w.runUntil(t0 + 1100 * S);
        assertThat(c.skState).isEqualTo(TCP_CLOSE);
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(16);
        assertThat(mib(a, "TcpExtTCPTimeouts")).isEqualTo(16);
        assertThat(mib(a, "TcpExtTCPAbortOnTimeout")).isEqualTo(1);
        assertThat(a.recvfrom(null, p[0], new byte[1], 0, 1, 0, null)).isEqualTo(-Errno.ETIMEDOUT);
    }

    @Test
    void anOldTimestampFailsPawsAndIsAnsweredWithADuplicateAck() {
        int[] p = connectedPair();
        TcpSock s = tsk(b, p[1]);
        TcpSock c = tsk(a, p[0]);
        int oldTs = s.tsRecent - 1000;
        long out = mib(b, "TcpOutSegs");
        ForgedSegments.send(a, A, B, c.inetNum, 80, s.rcvNxt, s.sndNxt, Tcp.ACK | Tcp.PSH, oldTs & 0xffffffffL, 0, 10);
        advance(MS);
        assertThat(mib(b, "TcpExtPAWSEstab")).isEqualTo(1);
        assertThat(mib(b, "TcpOutSegs")).isEqualTo(out + 1);
        assertThat(s.bytesReceived).isZero();
        assertThat(b.drops(net.linuxnet.api.net.SkbDropReason.TCP_RFC7323_PAWS)).isEqualTo(1);
    }

    @Test
    void keepaliveGivesUpOnADeadPeerAfterItsProbes() {
        int[] p = connectedPair();
        assertThat(a.setsockopt(p[0], SOL_TCP, TCP_KEEPIDLE, 10)).isZero();
        assertThat(a.setsockopt(p[0], SOL_TCP, TCP_KEEPINTVL, 1)).isZero();
        assertThat(a.setsockopt(p[0], SOL_TCP, TCP_KEEPCNT, 3)).isZero();
        assertThat(a.setsockopt(p[0], SOL_SOCKET, SO_KEEPALIVE, 1)).isZero();
        b.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_IN, 0, (skb, n) -> NfVerdict.DROP));
        advance(12 * S + 500 * MS);
        // probes at 10, 11, 12 s; at 13 s the fourth expiry resets and fails the connection
        assertThat(mib(a, "TcpExtTCPKeepAlive")).isEqualTo(3);
        assertThat(tsk(a, p[0]).skState).isEqualTo(TCP_ESTABLISHED);
        advance(S);
        assertThat(tsk(a, p[0]).skState).isEqualTo(TCP_CLOSE);
        assertThat(mib(a, "TcpOutRsts")).isEqualTo(1);
        assertThat(a.recvfrom(null, p[0], new byte[1], 0, 1, 0, null)).isEqualTo(-Errno.ETIMEDOUT);
    }

    @Test
    void keepaliveProbesAnIdleConnection() {
        int[] p = connectedPair();
        assertThat(a.setsockopt(p[0], SOL_TCP, TCP_KEEPIDLE, 10)).isZero();
        assertThat(a.setsockopt(p[0], SOL_TCP, TCP_KEEPINTVL, 2)).isZero();
        assertThat(a.setsockopt(p[0], SOL_SOCKET, SO_KEEPALIVE, 1)).isZero();
        advance(9 * S);
        assertThat(mib(a, "TcpExtTCPKeepAlive")).isZero();
        advance(2 * S);
        assertThat(mib(a, "TcpExtTCPKeepAlive")).isEqualTo(1);
        // the peer answers; the next probe comes after another idle period
        advance(5 * S);
        assertThat(mib(a, "TcpExtTCPKeepAlive")).isEqualTo(1);
        assertThat(tsk(a, p[0]).skState).isEqualTo(TCP_ESTABLISHED);
    }

    @Test
    void tcpInfoReportsStateMssWindowsAndRtt() {
        int[] p = connectedPair();
        byte[] d = pattern(3000, 7);
        a.sendto(null, p[0], d, 0, d.length, 0, null);
        advance(10 * MS);
        byte[] info = new byte[TcpInfo.SIZE];
        assertThat(a.getsockopt(p[0], SOL_TCP, TCP_INFO, info)).isEqualTo(TcpInfo.SIZE);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_state")).isEqualTo(TCP_ESTABLISHED);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_snd_mss")).isEqualTo(1448);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_snd_wscale")).isEqualTo(7);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_rcv_wscale")).isEqualTo(7);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_options")).isEqualTo(7);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_bytes_acked")).isEqualTo(3000);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_snd_cwnd")).isEqualTo(10);
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_rtt")).isPositive();
        assertThat(TcpInfo.get(info, TcpInfo.SIZE, "tcpi_rto")).isGreaterThanOrEqualTo(200_000);
        assertThat(a.getsockopt(p[0], SOL_TCP, TCP_MAXSEG)).isEqualTo(1448);
        assertThat(a.setsockopt(p[0], SOL_TCP, TCP_NODELAY, 1)).isZero();
        assertThat(a.getsockopt(p[0], SOL_TCP, TCP_NODELAY)).isEqualTo(1);
    }

    @Test
    void soRcvbufBeforeConnectLowersTheWindowScaleAndClamp() {
        int lfd = b.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        b.bind(lfd, new SockaddrIn(B, 80));
        b.listen(lfd, 4);
        int cfd = a.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertThat(a.setsockopt(cfd, SOL_SOCKET, SO_RCVBUF, 16384)).isZero();
        a.connect(null, cfd, new SockaddrIn(B, 80));
        TcpSock c = tsk(a, cfd);
        // 32768 of buffer allow a 16384-byte window: no scaling needed (ilog2(16384) - 15 < 0)
        assertThat(c.rcvWscale).isZero();
        assertThat(c.windowClamp).isEqualTo(16384);
        assertThat(c.rcvWnd).isEqualTo(16384 / 1460 * 1460);
        advance(10 * MS);
        assertThat(c.skState).isEqualTo(TCP_ESTABLISHED);
        assertThat(tsk(b, b.accept(null, lfd, null, 0)).sndWscale).isZero();
    }

    @Test
    void simultaneousOpenEstablishesBothSides() {
        int fa = a.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int fb = b.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertThat(a.bind(fa, new SockaddrIn(A, 5000))).isZero();
        assertThat(b.bind(fb, new SockaddrIn(B, 6000))).isZero();
        assertThat(a.connect(null, fa, new SockaddrIn(B, 6000))).isEqualTo(-Errno.EINPROGRESS);
        assertThat(b.connect(null, fb, new SockaddrIn(A, 5000))).isEqualTo(-Errno.EINPROGRESS);
        advance(10 * MS);
        assertThat(tsk(a, fa).skState).isEqualTo(TCP_ESTABLISHED);
        assertThat(tsk(b, fb).skState).isEqualTo(TCP_ESTABLISHED);
        assertThat(a.connect(null, fa, new SockaddrIn(B, 6000))).isZero();
        byte[] d = pattern(2000, 8);
        byte[] got = transfer(a, fa, b, fb, d, S);
        assertThat(got).isEqualTo(d);
    }

    @Test
    void aFullReceiverClosesItsWindowAndTheSenderProbes() {
        int[] p = connectedPair();
        byte[] d = pattern(400_000, 9);
        int sent = 0;
        for (int i = 0; i < 200 && sent < d.length; i++) {
            int n = a.sendto(null, p[0], d, sent, d.length - sent, 0, null);
            if (n > 0) {
                sent += n;
            }
            advance(10 * MS);
        }
        TcpSock s = tsk(b, p[1]);
        // nobody reads: the window closed
        assertThat(mib(b, "TcpExtTCPToZeroWindowAdv")).isEqualTo(1);
        assertThat(s.skRmemAlloc).isLessThanOrEqualTo(s.skRcvbuf + 65536);
        assertThat(mib(a, "TcpExtTCPWinProbe")).isPositive();
        byte[] got = new byte[d.length];
        int r = 0;
        for (int i = 0; i < 2000 && r < d.length; i++) {
            int n;
            while ((n = b.recvfrom(null, p[1], got, r, got.length - r, 0, null)) > 0) {
                r += n;
            }
            if (sent < d.length) {
                int m = a.sendto(null, p[0], d, sent, d.length - sent, 0, null);
                if (m > 0) {
                    sent += m;
                }
            }
            advance(10 * MS);
        }
        assertThat(r).isEqualTo(d.length);
        assertThat(got).isEqualTo(d);
    }

    @Test
    void randomSegmentsAgainstAnEstablishedConnectionNeverBreakTheStack() {
        int[] p = connectedPair();
        TcpSock c = tsk(a, p[0]);
        TcpSock s = tsk(b, p[1]);
        Random r = new Random(13);
        byte[] buf = new byte[70_000];
        for (int i = 0; i < 3000; i++) {
            // near the real sequence space half the time, anywhere the rest
            int seq = r.nextBoolean() ? s.rcvNxt + r.nextInt(200_000) - 100_000 : r.nextInt();
            int ack = r.nextBoolean() ? s.sndNxt + r.nextInt(4000) - 2000 : r.nextInt();
            // RST only now and then, so the connection lives long enough to be beaten on
            int flags = r.nextInt(64) & (r.nextInt(50) == 0 ? 0xff : ~Tcp.RST);
            long ts = r.nextInt(4) == 0 ? -1 : (s.tsRecent + r.nextInt(2000) - 1000) & 0xffffffffL;
            ForgedSegments.send(a, A, B, c.inetNum, 80, seq, ack, flags, ts, r.nextInt(), r.nextInt(4) == 0 ? r.nextInt(1400) : 0);
            if (i % 7 == 0) {
                b.recvfrom(null, p[1], buf, 0, buf.length, 0, null);
                a.sendto(null, p[0], buf, 0, r.nextInt(3000), 0, null);
            }
            advance(r.nextInt(3) * MS);
        }
        advance(2 * S);
        // whatever happened to the connection, the stack stayed consistent; finish() checks the skbs
        assertThat(s.skState).isIn(TCP_ESTABLISHED, TCP_CLOSE_WAIT, TCP_CLOSE);
        assertThat(s.skRmemAlloc).isGreaterThanOrEqualTo(0);
        assertThat(s.skWmemQueued).isGreaterThanOrEqualTo(0);
        assertThat(mib(b, "TcpInSegs")).isGreaterThanOrEqualTo(3000);
    }

    @Test
    void randomSegmentsDuringTheCloseNeverBreakTheStack() {
        for (int seed = 1; seed <= 6; seed++) {
            int[] p = connectedPair();
            TcpSock c = tsk(a, p[0]);
            TcpSock s = tsk(b, p[1]);
            int cport = c.inetNum;
            Random r = new Random(seed);
            byte[] d = pattern(5000, seed);
            a.sendto(null, p[0], d, 0, d.length, 0, null);
            a.close(p[0]);
            for (int i = 0; i < 600; i++) {
                int seq = r.nextBoolean() ? s.sndNxt + r.nextInt(4000) - 2000 : r.nextInt();
                int ack = r.nextBoolean() ? s.rcvNxt + r.nextInt(40) - 20 : r.nextInt();
                int flags = r.nextInt(64) & (r.nextInt(40) == 0 ? 0xff : ~Tcp.RST);
                long ts = r.nextInt(3) == 0 ? -1 : r.nextInt() & 0xffffffffL;
                ForgedSegments.send(b, B, A, 80, cport, seq, ack, flags, ts, r.nextInt(), r.nextInt(5) == 0 ? r.nextInt(600) : 0);
                if (i == 300 && b.sockfdLookup(p[1]) != null) {
                    b.close(p[1]);
                }
                advance(r.nextInt(5) * MS);
            }
            if (b.sockfdLookup(p[1]) != null) {
                b.close(p[1]);
            }
            // past TIME-WAIT, FIN-WAIT-2 and the orphans' retries
            advance(200 * S);
            assertThat(ssStates(a)).isEmpty();
            assertThat(ssStates(b)).isEmpty();
            assertThat(mib(a, "TcpCurrEstab") + mib(b, "TcpCurrEstab")).isZero();
        }
    }

    /** The {@code ss} state names of the host's TCP socket rows, orphans and timewait included. */
    @SuppressWarnings("unchecked")
    static java.util.List<String> ssStates(Host h) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Tcp tcp = h.netGeneric(Tcp.class);
        tcp.forEachOrphan(sk -> out.add(ssStateName(sk instanceof TcpTimewaitSock tw ? tw.twSubstate : sk.skState)));
        return out;
    }
}
