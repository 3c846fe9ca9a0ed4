package net.linuxnet.protocols.tcp;

import static net.linuxnet.api.sock.SockConst.*;
import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.core.host.Host;
import org.junit.jupiter.api.Test;

/**
 * The TCP listen path between two hosts joined by a veth pair, over the IPv4 and ARP modules.
 */
final class TcpListenTest extends TwoHostTcpTest {
    TcpListenTest() {
        super(3);
    }

    int listener(int backlog) {
        int fd = b.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertThat(fd).isGreaterThanOrEqualTo(3);
        assertThat(b.bind(fd, new SockaddrIn(B, 80))).isZero();
        assertThat(b.listen(fd, backlog)).isZero();
        return fd;
    }

    /** A non-blocking connect from a; returns the descriptor. */
    int connect() {
        int fd = a.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertThat(a.connect(null, fd, new SockaddrIn(B, 80))).isEqualTo(-Errno.EINPROGRESS);
        return fd;
    }


    @Test
    void handshakeThenAccept() {
        int lfd = listener(5);
        assertThat(b.accept(null, lfd, null, 0)).isEqualTo(-Errno.EAGAIN);
        int cfd = connect();
        assertThat(a.connect(null, cfd, new SockaddrIn(B, 80))).isEqualTo(-Errno.EALREADY);
        advance(10_000_000L);
        assertThat(a.connect(null, cfd, new SockaddrIn(B, 80))).isZero();
        assertThat(tsk(a, cfd).skState).isEqualTo(TCP_ESTABLISHED);
        assertThat(tsk(b, lfd).skAckBacklog()).isEqualTo(1);
        SockaddrIn peer = new SockaddrIn(0, 0);
        int nfd = b.accept(null, lfd, peer, 0);
        assertThat(nfd).isGreaterThan(lfd);
        assertThat(peer.addr).isEqualTo(A);
        assertThat(peer.port).isEqualTo(tsk(a, cfd).inetNum);
        assertThat(tsk(b, nfd).skState).isEqualTo(TCP_ESTABLISHED);
        assertThat(tsk(b, nfd).rcvNxt).isEqualTo(tsk(a, cfd).sndNxt);
        assertThat(tsk(a, cfd).rcvNxt).isEqualTo(tsk(b, nfd).sndNxt);
        assertThat(tsk(a, cfd).mssCache).isEqualTo(1448);
        assertThat(mib(a, "TcpActiveOpens")).isEqualTo(1);
        assertThat(mib(b, "TcpPassiveOpens")).isEqualTo(1);
        assertThat(mib(a, "TcpCurrEstab")).isEqualTo(1);
        assertThat(mib(b, "TcpCurrEstab")).isEqualTo(1);
        assertThat(mib(b, "TcpInErrs")).isZero();
        // close of the accepted socket sends a FIN: the client reads end of stream
        assertThat(b.close(nfd)).isZero();
        advance(10_000_000L);
        assertThat(tsk(a, cfd).skState).isEqualTo(TCP_CLOSE_WAIT);
        assertThat(a.recvfrom(null, cfd, new byte[10], 0, 10, 0, null)).isZero();
        assertThat(mib(a, "TcpEstabResets")).isZero();
        assertThat(mib(b, "TcpOutRsts")).isZero();
        a.close(cfd);
        b.close(lfd);
    }

    @Test
    void blockingConnectAndAcceptSleepAndWake() {
        int lfd = b.socket(AF_INET, SOCK_STREAM, 0);
        b.bind(lfd, new SockaddrIn(B, 80));
        b.listen(lfd, 5);
        int[] accepted = {0};
        Task st = b.taskCreate("srv", 0, t -> {
            int r = b.accept(t, lfd, null, 0);
            if (r != -Errno.ERESTARTSYS) {
                accepted[0] = r;
            }
        });
        st.wakeUp();
        int cfd = a.socket(AF_INET, SOCK_STREAM, 0);
        int[] connected = {1};
        Task ct = a.taskCreate("cli", 0, t -> {
            int r = a.connect(t, cfd, new SockaddrIn(B, 80));
            if (r != -Errno.ERESTARTSYS) {
                connected[0] = r;
            }
        });
        ct.wakeUp();
        advance(10_000_000L);
        assertThat(connected[0]).isZero();
        assertThat(accepted[0]).isGreaterThan(lfd);
    }

    @Test
    void connectToClosedPortIsRefused() {
        int cfd = connect();
        advance(10_000_000L);
        assertThat(a.connect(null, cfd, new SockaddrIn(B, 80))).isEqualTo(-Errno.ECONNREFUSED);
        assertThat(mib(b, "TcpOutRsts")).isEqualTo(1);
        assertThat(mib(a, "TcpAttemptFails")).isEqualTo(1);
    }

    @Test
    void fullAcceptQueueDropsSynsSilentlyAndClientsRetransmit() {
        int backlog = 1;
        int lfd = listener(backlog);
        // when each client port sent a SYN, seen at a's LOCAL_OUT
        java.util.Map<Integer, java.util.List<Long>> synTimes = new java.util.HashMap<>();
        a.nfRegisterNetHook(new net.linuxnet.api.netfilter.NfHookOps(net.linuxnet.api.netfilter.NfInetHooks.NF_INET_LOCAL_OUT, 0,
                (skb, n) -> {
                    int nh = skb.networkHeader();
                    int th = nh + (skb.getU8(nh) & 0xf) * 4;
                    if (skb.getU8(nh + 9) == IPPROTO_TCP && (skb.getU8(th + 13) & Tcp.SYN) != 0) {
                        synTimes.computeIfAbsent(skb.getU16(th), k -> new java.util.ArrayList<>()).add(a.ktimeGetNs());
                    }
                    return net.linuxnet.api.netfilter.NfVerdict.ACCEPT;
                }));
        int[] fds = new int[5];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = connect();
            advance(5_000_000L);
        }
        TcpSock lsk = tsk(b, lfd);
        assertThat(lsk.skAckBacklog()).isEqualTo(backlog + 1);
        assertThat(lsk.icskAcceptQueue.qlen).isZero();
        assertThat(mib(b, "TcpExtListenOverflows")).isEqualTo(3);
        assertThat(mib(b, "TcpExtListenDrops")).isEqualTo(3);
        assertThat(mib(b, "TcpOutRsts")).isZero();
        advance(130 * S);
        assertThat(a.connect(null, fds[4], new SockaddrIn(B, 80))).isEqualTo(-Errno.EALREADY);
        advance(2 * S);
        TcpSock dropped = tsk(a, fds[4]);
        java.util.List<Long> times = synTimes.get(dropped.inetNum);
        long t0 = times.get(0);
        long[] offsets = new long[times.size() - 1];
        for (int i = 1; i < times.size(); i++) {
            offsets[i - 1] = (times.get(i) - t0) / 1_000_000L;
        }
        assertThat(offsets).containsExactly(1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000);
        assertThat(a.connect(null, fds[4], new SockaddrIn(B, 80))).isEqualTo(-Errno.ETIMEDOUT);
        assertThat(mib(a, "TcpRetransSegs")).isEqualTo(3 * 10);
        assertThat(mib(a, "TcpAttemptFails")).isEqualTo(3);
        assertThat(mib(b, "TcpExtListenOverflows")).isEqualTo(3 * 11);
        assertThat(mib(b, "TcpExtListenDrops")).isEqualTo(mib(b, "TcpExtListenOverflows") + mib(b, "TcpExtTCPReqQFullDrop"));
        assertThat(a.connect(null, fds[0], new SockaddrIn(B, 80))).isZero();
        assertThat(lsk.skAckBacklog()).isEqualTo(backlog + 1);
    }

    @Test
    void aFullSynQueueDropsWithoutSyncookies() {
        b.sysctl().set("net.ipv4.tcp_syncookies", "0");
        int lfd = listener(0);
        // three SYNs at once: the first makes a request, the others find qlen 1 > 0: TCPReqQFullDrop
        int c1 = connect();
        int c2 = connect();
        int c3 = connect();
        advance(10_000_000L);
        TcpSock lsk = tsk(b, lfd);
        assertThat(lsk.skAckBacklog()).isEqualTo(1);
        assertThat(mib(b, "TcpExtTCPReqQFullDrop")).isEqualTo(2);
        assertThat(mib(b, "TcpExtSyncookiesSent")).isZero();
        assertThat(mib(b, "TcpExtListenDrops")).isEqualTo(mib(b, "TcpExtListenOverflows") + mib(b, "TcpExtTCPReqQFullDrop"));
    }

    @Test
    void handshakeSegmentsAreCounted() {
        listener(1);
        int cfd = connect();
        advance(10_000_000L);
        assertThat(mib(b, "TcpInCsumErrors")).isZero();
        assertThat(mib(b, "TcpInSegs")).isEqualTo(2);
        assertThat(mib(a, "TcpInSegs")).isEqualTo(1);
        assertThat(mib(a, "TcpOutSegs")).isEqualTo(2);
    }

    /** Backlog 2: one connection first, then three SYNs at once; the third final ACK overflows. */
    TcpSock overflowAtFinalAck(int[] fds) {
        int lfd = listener(2);
        fds[0] = connect();
        advance(5_000_000L);
        fds[1] = connect();
        fds[2] = connect();
        fds[3] = connect();
        advance(5_000_000L);
        return tsk(b, lfd);
    }

    @Test
    void finalAckOnFullAcceptQueueIsDroppedAndTheSynAckRetransmitted() {
        int[] fds = new int[4];
        TcpSock lsk = overflowAtFinalAck(fds);
        assertThat(lsk.skAckBacklog()).isEqualTo(3);
        assertThat(lsk.icskAcceptQueue.qlen).isEqualTo(1);
        // the client believes it is established
        assertThat(a.connect(null, fds[3], new SockaddrIn(B, 80))).isZero();
        assertThat(mib(b, "TcpExtListenOverflows")).isEqualTo(1);
        assertThat(mib(b, "TcpOutRsts")).isZero();
        long[] expect = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        long[] at = {999, 1001, 2999, 3001, 6999, 7001, 14999, 15001, 30999, 31001};
        long t0 = w.scheduler().now() - 5_000_000L;
        for (int i = 0; i < at.length; i++) {
            w.runUntil(t0 + at[i] * 1_000_000L);
            assertThat(mib(b, "TcpRetransSegs")).as("SYN-ACKs retransmitted by %d ms", at[i]).isEqualTo(expect[i] - (i % 2 == 0 ? 1 : 0));
        }
        // each retransmitted SYN-ACK draws the client's ACK, which overflows again
        assertThat(mib(b, "TcpExtListenOverflows")).isEqualTo(6);
        assertThat(mib(b, "TcpExtListenDrops")).isEqualTo(6);
        w.runUntil(t0 + 64 * S);
        assertThat(lsk.icskAcceptQueue.qlen).isZero();
        assertThat(mib(b, "TcpExtTCPTimeouts")).isEqualTo(6);
    }

    @Test
    void abortOnOverflowAnswersTheFinalAckWithReset() {
        b.sysctl().set("net.ipv4.tcp_abort_on_overflow", "1");
        int[] fds = new int[4];
        TcpSock lsk = overflowAtFinalAck(fds);
        assertThat(lsk.skAckBacklog()).isEqualTo(3);
        assertThat(lsk.icskAcceptQueue.qlen).isZero();
        assertThat(mib(b, "TcpExtEmbryonicRsts")).isEqualTo(1);
        assertThat(mib(b, "TcpOutRsts")).isEqualTo(1);
        // the client was established for a moment, then reset
        assertThat(a.connect(null, fds[3], new SockaddrIn(B, 80))).isEqualTo(-Errno.ECONNRESET);
        assertThat(mib(a, "TcpEstabResets")).isEqualTo(1);
    }

    @Test
    void malformedSegmentsAreDroppedAndCounted() {
        listener(1);
        int cfd = connect();
        advance(10_000_000L);
        TcpSock c = tsk(a, cfd);
        long before = mib(b, "TcpInSegs");
        // a segment with a bad checksum, and one whose data offset is below 5 words
        for (int bad = 0; bad < 2; bad++) {
            net.linuxnet.api.net.SkBuff skb = b.allocSkb(128);
            skb.reserve(64);
            int nh = skb.put(40);
            skb.putU8(nh, 0x45);
            skb.putU16(nh + 2, 40);
            skb.putU8(nh + 8, 64);
            skb.putU8(nh + 9, IPPROTO_TCP);
            skb.putU32(nh + 12, A);
            skb.putU32(nh + 16, B);
            skb.setNetworkHeader(nh);
            skb.pull(20);
            int th = skb.data();
            skb.putU16(th, c.inetNum);
            skb.putU16(th + 2, 80);
            skb.putU8(th + 12, bad == 0 ? 0x50 : 0x40);
            skb.putU8(th + 13, Tcp.ACK);
            skb.putU16(th + 16, 0x1234);
            b.inetProtocol(IPPROTO_TCP).handler(skb);
        }
        assertThat(mib(b, "TcpInCsumErrors")).isEqualTo(1);
        assertThat(mib(b, "TcpInErrs")).isEqualTo(2);
        assertThat(mib(b, "TcpInSegs")).isEqualTo(before + 1);
    }

    @Test
    void syncookiesAlwaysEncodeMssWindowScaleAndSack() {
        b.sysctl().set("net.ipv4.tcp_syncookies", "2");
        int lfd = listener(5);
        int[] c = new int[3];
        for (int i = 0; i < c.length; i++) {
            c[i] = connect();
            advance(5_000_000L);
            assertThat(a.connect(null, c[i], new SockaddrIn(B, 80))).isZero();
        }
        TcpSock lsk = tsk(b, lfd);
        assertThat(lsk.skAckBacklog()).isEqualTo(3);
        assertThat(lsk.icskAcceptQueue.qlen).isZero();
        assertThat(mib(b, "TcpExtSyncookiesSent")).isEqualTo(3);
        assertThat(mib(b, "TcpExtSyncookiesRecv")).isEqualTo(3);
        assertThat(mib(b, "TcpExtTCPReqQFullDoCookies")).isEqualTo(3);
        assertThat(mib(b, "TcpExtSyncookiesFailed")).isZero();
        assertThat(mib(b, "TcpExtListenDrops")).isZero();
        int nfd = b.accept(null, lfd, null, 0);
        TcpSock child = tsk(b, nfd);
        assertThat(child.mssClamp).isEqualTo(1460);
        assertThat(child.wscaleOk).isTrue();
        assertThat(child.sndWscale).isEqualTo(7);
        assertThat(child.sackOk).isTrue();
        assertThat(child.tstampOk).isTrue();
        assertThat(child.rcvNxt).isEqualTo(tsk(a, c[0]).sndNxt);
        assertThat(child.sndNxt).isEqualTo(tsk(a, c[0]).rcvNxt);
    }

    @Test
    void aFullSynQueueSendsCookiesAndABadCookieIsReset() {
        int lfd = listener(2);
        int[] c = new int[4];
        for (int i = 0; i < c.length; i++) {
            c[i] = connect();
        }
        advance(5_000_000L);
        // three requests (qlen 0, 1, 2 ≤ backlog), the fourth SYN finds qlen 3 > 2: a cookie;
        // its ACK then meets the accept queue full with the three others
        assertThat(mib(b, "TcpExtSyncookiesSent")).isEqualTo(1);
        assertThat(mib(b, "TcpExtSyncookiesRecv")).isEqualTo(1);
        assertThat(mib(b, "TcpExtTCPReqQFullDrop")).isZero();
        assertThat(mib(b, "TcpExtListenOverflows")).isEqualTo(1);
        assertThat(mib(b, "TcpExtListenDrops")).isEqualTo(1);
        assertThat(tsk(b, lfd).skAckBacklog()).isEqualTo(3);
        // the checker refuses a forged cookie
        Tcp tcp = b.netGeneric(Tcp.class);
        int cookie = tcp.secureTcpSynCookie(A, B, 4000, 80, 1000, 3);
        assertThat(tcp.checkTcpSynCookie(cookie, A, B, 4000, 80, 1000)).isEqualTo(3);
        assertThat(tcp.checkTcpSynCookie(cookie + 1, A, B, 4000, 80, 1000)).isNotEqualTo(3);
        assertThat(tcp.checkTcpSynCookie(cookie, A, B, 4001, 80, 1000)).isNotEqualTo(3);
        w.runUntil(w.scheduler().now() + 130 * S);
        assertThat(tcp.checkTcpSynCookie(cookie, A, B, 4000, 80, 1000)).isEqualTo(-1);
    }
}
