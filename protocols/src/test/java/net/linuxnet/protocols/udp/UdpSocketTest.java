package net.linuxnet.protocols.udp;

import static net.linuxnet.api.sock.SockConst.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.filter.SockFilter;
import net.linuxnet.api.filter.SockFprog;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UDP sockets between two hosts joined by a veth pair, over the IPv4 and ARP modules.
 */
final class UdpSocketTest {
    static final int A = SockaddrIn.aton("10.0.0.1");
    static final int B = SockaddrIn.aton("10.0.0.2");

    private static final String TWO_HOSTS = """
            linuxnet {
              run { duration = 1s, seed = 3 }
              hosts {
                a { cpus = 1
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } } }
                b { cpus = 1
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } } }
              }
            }
            """;

    World w;
    Host a;
    Host b;

    @BeforeEach
    void setUp() {
        w = TestWorlds.build(TWO_HOSTS);
        a = w.host("a");
        b = w.host("b");
        w.runUntil(0);
    }

    @AfterEach
    void tearDown() {
        w.finish();
    }

    /** Runs {@code body} once as a task on CPU 0 of {@code h}, and the world for {@code ns}. */
    Task run(Host h, Task.Body body) {
        Task t = h.taskCreate("test", 0, body);
        t.wakeUp();
        return t;
    }

    void advance(long ns) {
        w.runUntil(w.scheduler().now() + ns);
    }

    int udpSocket(Host h) {
        int fd = h.socket(AF_INET, SOCK_DGRAM, 0);
        assertThat(fd).isGreaterThanOrEqualTo(3);
        return fd;
    }

    long mib(Host h, String name) {
        return h.mib(name).get();
    }

    @Test
    void ipTosSetsTheSocketPriorityAsRtTos2priority() {
        int fd = udpSocket(b);
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_PRIORITY)).isZero();
        assertThat(b.setsockopt(fd, SOL_IP, IP_TOS, 0x10)).isZero();    // IPTOS_LOWDELAY
        assertThat(b.getsockopt(fd, SOL_IP, IP_TOS)).isEqualTo(0x10);
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_PRIORITY)).isEqualTo(6);  // TC_PRIO_INTERACTIVE
        assertThat(b.setsockopt(fd, SOL_IP, IP_TOS, 0x08)).isZero();    // IPTOS_THROUGHPUT
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_PRIORITY)).isEqualTo(2);  // TC_PRIO_BULK
        assertThat(b.setsockopt(fd, SOL_IP, IP_TOS, 0x18)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_PRIORITY)).isEqualTo(4);  // TC_PRIO_INTERACTIVE_BULK
        assertThat(b.setsockopt(fd, SOL_IP, IP_TOS, 0x03)).isZero();    // ECN bits only: best effort
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_PRIORITY)).isZero();
        // SO_PRIORITY set later wins, and setting the same TOS again leaves it alone
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_PRIORITY, 5)).isZero();
        assertThat(b.setsockopt(fd, SOL_IP, IP_TOS, 0x03)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_PRIORITY)).isEqualTo(5);
        assertThat(b.close(fd)).isZero();
    }

    @Test
    void rcvbufAndSndbufAreDoubledAndClamped() {
        int fd = udpSocket(b);
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(212992);
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_SNDBUF)).isEqualTo(212992);
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 100_000)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(200_000);
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 100_000_000)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(2 * 4194304);
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 1)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(Sock.SOCK_MIN_RCVBUF);
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 0)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_SNDBUF)).isEqualTo(Sock.SOCK_MIN_SNDBUF);
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, 100_000_000)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(200_000_000);
        b.sysctl().set("net.core.rmem_max", "1000");
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 5000)).isZero();
        assertThat(b.getsockopt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(2304);
        assertThat(b.setsockopt(fd, SOL_SOCKET, 999, 1)).isEqualTo(-Errno.ENOPROTOOPT);
        assertThat(b.close(fd)).isZero();
        assertThat(b.close(fd)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void ephemeralPortsComeFromTheLocalPortRange() {
        SockaddrIn sin = new SockaddrIn();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int fd = udpSocket(b);
            assertThat(b.bind(fd, new SockaddrIn(0, 0))).isZero();
            assertThat(b.getsockname(fd, sin)).isZero();
            assertThat(sin.port).isBetween(32768, 60999);
            ports.add(sin.port);
        }
        assertThat(ports).doesNotHaveDuplicates();
        b.sysctl().set("net.ipv4.ip_local_port_range", "40000 40001");
        int f1 = udpSocket(b);
        int f2 = udpSocket(b);
        int f3 = udpSocket(b);
        assertThat(b.bind(f1, new SockaddrIn(0, 0))).isZero();
        assertThat(b.bind(f2, new SockaddrIn(0, 0))).isZero();
        assertThat(b.bind(f3, new SockaddrIn(0, 0))).isEqualTo(-Errno.EADDRINUSE);
        assertThat(b.getsockname(f1, sin)).isZero();
        int p1 = sin.port;
        b.getsockname(f2, sin);
        assertThat(List.of(p1, sin.port)).containsExactlyInAnyOrder(40000, 40001);
    }

    @Test
    void bindRules() {
        int f1 = udpSocket(b);
        int f2 = udpSocket(b);
        assertThat(b.bind(f1, new SockaddrIn(0, 9000))).isZero();
        assertThat(b.bind(f1, new SockaddrIn(0, 9001))).isEqualTo(-Errno.EINVAL);
        assertThat(b.bind(f2, new SockaddrIn(B, 9000))).isEqualTo(-Errno.EADDRINUSE);
        assertThat(b.bind(f2, new SockaddrIn(SockaddrIn.aton("10.9.9.9"), 9000))).isEqualTo(-Errno.EADDRNOTAVAIL);
        int r1 = udpSocket(b);
        int r2 = udpSocket(b);
        b.setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, 1);
        b.setsockopt(r2, SOL_SOCKET, SO_REUSEADDR, 1);
        assertThat(b.bind(r1, new SockaddrIn(0, 7000))).isZero();
        assertThat(b.bind(r2, new SockaddrIn(B, 7000))).isZero();
        int p1 = udpSocket(b);
        int p2 = udpSocket(b);
        int p3 = udpSocket(b);
        b.setsockopt(p1, SOL_SOCKET, SO_REUSEPORT, 1);
        b.setsockopt(p2, SOL_SOCKET, SO_REUSEPORT, 1);
        assertThat(b.bind(p1, new SockaddrIn(0, 7001))).isZero();
        assertThat(b.bind(p2, new SockaddrIn(0, 7001))).isZero();
        assertThat(b.bind(p3, new SockaddrIn(0, 7001))).isEqualTo(-Errno.EADDRINUSE);
        assertThat(b.socket(AF_INET, SOCK_RAW, 0)).isEqualTo(-Errno.ESOCKTNOSUPPORT);
        assertThat(b.socket(AF_INET, SOCK_STREAM, IPPROTO_UDP)).isEqualTo(-Errno.EPROTONOSUPPORT);
        assertThat(b.socket(AF_INET, SOCK_DGRAM, 6)).isEqualTo(-Errno.EPROTONOSUPPORT);
        assertThat(b.socket(10, SOCK_DGRAM, 0)).isEqualTo(-Errno.EAFNOSUPPORT);
    }

    /** Sends {@code n} datagrams of {@code size} from a fresh socket of {@code a}; returns the fd. */
    int sendFromA(int n, int size, int dport, byte first, int sport) {
        int fd = udpSocket(a);
        if (sport != 0) {
            assertThat(a.bind(fd, new SockaddrIn(0, sport))).isZero();
        }
        byte[] buf = new byte[size];
        buf[0] = first;
        SockaddrIn to = new SockaddrIn(B, dport);
        int[] left = {n};
        run(a, t -> {
            while (left[0] > 0) {
                int r = a.sendto(t, fd, buf, 0, size, 0, to);
                if (r == -Errno.ERESTARTSYS) {
                    return;
                }
                assertThat(r).isEqualTo(size);
                left[0]--;
            }
        });
        return fd;
    }

    @Test
    void datagramReachesTheBoundSocketWithItsSource() {
        int fd = udpSocket(b);
        assertThat(b.bind(fd, new SockaddrIn(0, 9000))).isZero();
        int afd = sendFromA(1, 100, 9000, (byte) 'x', 5555);
        advance(1_000_000);
        byte[] buf = new byte[200];
        SockaddrIn from = new SockaddrIn();
        int[] got = {0};
        run(b, t -> got[0] = b.recvfrom(t, fd, buf, 0, 200, 0, from));
        advance(1_000_000);
        assertThat(got[0]).isEqualTo(100);
        assertThat(buf[0]).isEqualTo((byte) 'x');
        assertThat(from.addr).isEqualTo(A);
        assertThat(from.port).isEqualTo(5555);
        assertThat(mib(a, "UdpOutDatagrams")).isEqualTo(1);
        assertThat(mib(b, "UdpInDatagrams")).isEqualTo(1);
        assertThat(b.sockfdLookup(fd).sk.skRmemAlloc).isZero();
        assertThat(a.sockfdLookup(afd).sk.skWmemAlloc).isZero();
        // truncation
        sendFromA(1, 100, 9000, (byte) 'y', 0);
        advance(1_000_000);
        run(b, t -> got[0] = b.recvfrom(t, fd, buf, 0, 10, MSG_TRUNC, from));
        advance(1_000_000);
        assertThat(got[0]).isEqualTo(100);
    }

    @Test
    void noSocketSendsPortUnreachable() {
        sendFromA(3, 64, 9999, (byte) 0, 0);
        advance(1_000_000);
        assertThat(mib(b, "UdpNoPorts")).isEqualTo(3);
        assertThat(mib(b, "IcmpOutDestUnreachs")).isEqualTo(3);   // port unreachable, within icmp_ratelimit's burst
        assertThat(mib(a, "IcmpInDestUnreachs")).isEqualTo(3);
        assertThat(b.drops(SkbDropReason.NO_SOCKET)).isEqualTo(3);
    }

    @Test
    void fullReceiveBufferDropsAndCounts() {
        int fd = udpSocket(b);
        b.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 10_000); // 20000 bytes: a few 1000-byte datagrams
        assertThat(b.bind(fd, new SockaddrIn(0, 9000))).isZero();
        int sent = 50;
        sendFromA(sent, 1000, 9000, (byte) 0, 0);
        advance(10_000_000);
        byte[] buf = new byte[2000];
        int[] read = {0};
        run(b, t -> {
            while (read[0] < 3 && b.recvfrom(t, fd, buf, 0, 2000, MSG_DONTWAIT, null) > 0) {
                read[0]++;
            }
        });
        advance(1_000_000);
        Sock sk = b.sockfdLookup(fd).sk;
        int queued = sk.skReceiveQueue.qlen();
        assertThat(read[0]).isEqualTo(3);
        assertThat(queued).isPositive();
        assertThat(mib(b, "UdpRcvbufErrors")).isEqualTo(sent - read[0] - queued).isPositive();
        assertThat(mib(b, "UdpInErrors")).isEqualTo(sent - read[0] - queued);
        assertThat(sk.skDrops).isEqualTo(sent - read[0] - queued);
        assertThat(b.drops(SkbDropReason.SOCKET_RCVBUFF)).isEqualTo(sent - read[0] - queued);
        assertThat(sk.skRmemAlloc).isLessThanOrEqualTo(sk.skRcvbuf + 4096);
    }

    @Test
    void reuseportSpreadsFlowsAndKeepsAFlowOnOneSocket() {
        int[] fds = new int[4];
        for (int i = 0; i < 4; i++) {
            fds[i] = udpSocket(b);
            b.setsockopt(fds[i], SOL_SOCKET, SO_REUSEPORT, 1);
            assertThat(b.bind(fds[i], new SockaddrIn(0, 9000))).isZero();
        }
        for (int f = 0; f < 64; f++) {
            sendFromA(1, 64, 9000, (byte) 0, 20000 + f);
        }
        advance(10_000_000);
        int total = 0;
        for (int fd : fds) {
            int q = b.sockfdLookup(fd).sk.skReceiveQueue.qlen();
            assertThat(q).as("socket %d", fd).isPositive();
            total += q;
        }
        assertThat(total).isEqualTo(64);
        // one flow: every datagram to the same socket
        int[] before = new int[4];
        for (int i = 0; i < 4; i++) {
            before[i] = b.sockfdLookup(fds[i]).sk.skReceiveQueue.qlen();
        }
        sendFromA(10, 64, 9000, (byte) 0, 30000);
        advance(10_000_000);
        int grew = 0;
        for (int i = 0; i < 4; i++) {
            int d = b.sockfdLookup(fds[i]).sk.skReceiveQueue.qlen() - before[i];
            assertThat(d).isIn(0, 10);
            grew += d == 10 ? 1 : 0;
        }
        assertThat(grew).isEqualTo(1);
    }

    @Test
    void connectedSocketBeatsWildcard() {
        int wild = udpSocket(b);
        int conn = udpSocket(b);
        b.setsockopt(wild, SOL_SOCKET, SO_REUSEADDR, 1);
        b.setsockopt(conn, SOL_SOCKET, SO_REUSEADDR, 1);
        assertThat(b.bind(wild, new SockaddrIn(0, 9000))).isZero();
        assertThat(b.bind(conn, new SockaddrIn(0, 9000))).isZero();
        assertThat(b.connect(conn, new SockaddrIn(A, 4444))).isZero();
        sendFromA(2, 64, 9000, (byte) 0, 4444);
        sendFromA(3, 64, 9000, (byte) 0, 4445);
        advance(10_000_000);
        assertThat(b.sockfdLookup(conn).sk.skReceiveQueue.qlen()).isEqualTo(2);
        assertThat(b.sockfdLookup(wild).sk.skReceiveQueue.qlen()).isEqualTo(3);
    }

    @Test
    void socketFilterPassesAndDropsWithOffsetsFromTheUdpHeader() {
        int fd = udpSocket(b);
        assertThat(b.bind(fd, new SockaddrIn(0, 9000))).isZero();
        // ldh [2]; jeq #9000 jt 0 jf 3; ldb [8]; jeq #'A' jt 0 jf 1; ret #0xffff; ret #0
        SockFprog prog = SockFprog.of(
                new SockFilter(0x28, 0, 0, 2),
                new SockFilter(0x15, 0, 3, 9000),
                new SockFilter(0x30, 0, 0, 8),
                new SockFilter(0x15, 0, 1, 'A'),
                new SockFilter(0x06, 0, 0, 0xffff),
                new SockFilter(0x06, 0, 0, 0));
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog)).isZero();
        sendFromA(2, 64, 9000, (byte) 'A', 0);
        sendFromA(3, 64, 9000, (byte) 'B', 0);
        advance(10_000_000);
        Sock sk = b.sockfdLookup(fd).sk;
        assertThat(sk.skReceiveQueue.qlen()).isEqualTo(2);
        assertThat(sk.skDrops).isEqualTo(3);
        assertThat(b.drops(SkbDropReason.SOCKET_FILTER)).isEqualTo(3);
        assertThat(mib(b, "UdpInErrors")).isEqualTo(3);
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, 0)).isZero();
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, 0)).isEqualTo(-Errno.ENOENT);
        sendFromA(1, 64, 9000, (byte) 'B', 0);
        advance(10_000_000);
        assertThat(sk.skReceiveQueue.qlen()).isEqualTo(3);
        // a program that does not end in a return is refused
        SockFprog bad = SockFprog.of(new SockFilter(0x28, 0, 0, 2));
        assertThat(b.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, bad)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void fullSendBufferBlocksASenderAndWakesIt() {
        int fd = udpSocket(a);
        a.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 1); // SOCK_MIN_SNDBUF: two skbs of 1000 bytes
        int bfd = udpSocket(b);
        b.bind(bfd, new SockaddrIn(0, 9000));
        byte[] buf = new byte[1000];
        SockaddrIn to = new SockaddrIn(B, 9000);
        int[] sent = {0};
        int[] blocked = {0};
        run(a, t -> {
            while (sent[0] < 100) {
                int r = a.sendto(t, fd, buf, 0, 1000, 0, to);
                if (r == -Errno.ERESTARTSYS) {
                    blocked[0]++;
                    return;
                }
                assertThat(r).isEqualTo(1000);
                sent[0]++;
            }
        });
        advance(100_000_000);
        assertThat(sent[0]).isEqualTo(100);
        assertThat(blocked[0]).isPositive();
        assertThat(mib(a, "UdpSndbufErrors")).isZero();
        assertThat(a.sockfdLookup(fd).sk.skWmemAlloc).isZero();
        assertThat(b.sockfdLookup(bfd).sk.skReceiveQueue.qlen() + mib(b, "UdpRcvbufErrors")).isEqualTo(100);
    }

    @Test
    void nonblockingSenderGetsEagainAndCountsSndbufErrors() {
        int fd = a.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        a.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 1);
        byte[] buf = new byte[1000];
        SockaddrIn to = new SockaddrIn(B, 9000);
        int[] ok = {0};
        int[] eagain = {0};
        run(a, t -> {
            for (int i = 0; i < 10; i++) {
                int r = a.sendto(t, fd, buf, 0, 1000, 0, to);
                if (r == -Errno.EAGAIN) {
                    eagain[0]++;
                } else {
                    ok[0]++;
                }
            }
        });
        advance(10_000_000);
        assertThat(eagain[0]).isPositive();
        assertThat(ok[0] + eagain[0]).isEqualTo(10);
        assertThat(mib(a, "UdpSndbufErrors")).isEqualTo(eagain[0]);
    }

    @Test
    void blockedReaderIsWokenByData() {
        int fd = udpSocket(b);
        b.bind(fd, new SockaddrIn(0, 9000));
        byte[] buf = new byte[100];
        int[] got = {0};
        int[] sleeps = {0};
        run(b, t -> {
            int r = b.recvfrom(t, fd, buf, 0, 100, 0, null);
            if (r == -Errno.ERESTARTSYS) {
                sleeps[0]++;
                return;
            }
            got[0] = r;
        });
        advance(1_000_000);
        assertThat(sleeps[0]).isEqualTo(1);
        sendFromA(1, 42, 9000, (byte) 0, 0);
        advance(1_000_000);
        assertThat(got[0]).isEqualTo(42);
        assertThat(sleeps[0]).isEqualTo(1);
    }

    @Test
    void queuedDatagramsArePurgedAtTheEndAndRemembered() {
        int fd = udpSocket(b);
        b.bind(fd, new SockaddrIn(0, 9000));
        sendFromA(5, 64, 9000, (byte) 0, 0);
        advance(1_000_000);
        w.finish();
        Sock sk = b.sockfdLookup(fd).sk;
        assertThat(sk.purgedQlen).isEqualTo(5);
        assertThat(sk.skReceiveQueue.qlen()).isZero();
        assertThat(b.drops(SkbDropReason.QUEUE_PURGE)).isEqualTo(5);
        w = TestWorlds.build(TWO_HOSTS); // tearDown finishes this one
    }

    /** Sends a hand-made UDP datagram from {@code a}: {@code ulen} in the header, {@code check} as given. */
    void rawUdp(int payload, int ulen, int check) {
        run(a, t -> {
            SkBuff skb = a.allocSkb(Inet4.MAX_HEADER + 8 + payload);
            skb.reserve(Inet4.MAX_HEADER);
            int uh = skb.put(8 + payload);
            skb.putU16(uh, 1234);
            skb.putU16(uh + 2, 9000);
            skb.putU16(uh + 4, ulen);
            skb.putU16(uh + 6, check);
            Rtable rt = new Rtable();
            Inet4 ip = Inet4.of(a);
            ip.ipRouteOutputKey(new Flowi4().init(0, 0, 0, 17, B, 0, 9000, 1234), rt);
            ip.ipSendSkb(skb, rt, A, B, 17, 0, 64, true, null);
        });
    }

    @Test
    void badChecksumAndShortDatagramsAreInErrors() {
        int fd = udpSocket(b);
        b.bind(fd, new SockaddrIn(0, 9000));
        rawUdp(10, 18, 0x1234); // wrong checksum
        advance(1_000_000);
        assertThat(mib(b, "UdpInCsumErrors")).isEqualTo(1);
        assertThat(mib(b, "UdpInErrors")).isEqualTo(1);
        assertThat(b.drops(SkbDropReason.UDP_CSUM)).isEqualTo(1);
        rawUdp(10, 40, 0); // ulen beyond the packet
        rawUdp(10, 4, 0); // ulen below the header
        advance(1_000_000);
        assertThat(mib(b, "UdpInErrors")).isEqualTo(3);
        assertThat(b.drops(SkbDropReason.PKT_TOO_SMALL)).isEqualTo(2);
        rawUdp(10, 18, 0); // no checksum: accepted
        advance(1_000_000);
        assertThat(b.sockfdLookup(fd).sk.skReceiveQueue.qlen()).isEqualTo(1);
        assertThat(b.sockfdLookup(fd).sk.skReceiveQueue.peek().len()).isEqualTo(10);
    }

    @Test
    void portUnreachableReachesAConnectedSocket() {
        int fd = udpSocket(a);
        assertThat(a.connect(fd, new SockaddrIn(B, 9999))).isZero();
        SockaddrIn local = new SockaddrIn();
        a.getsockname(fd, local);
        assertThat(local.addr).isEqualTo(A);
        // the ICMP error as icmp_unreach hands it over: data at the quoted IPv4 header
        SkBuff skb = a.allocSkb(200);
        skb.reserve(20);
        int ic = skb.put(8);
        skb.putU8(ic, 3);
        skb.putU8(ic + 1, 3);
        skb.setTransportHeader(ic);
        int iph = skb.put(28);
        skb.putU8(iph, 0x45);
        skb.putU8(iph + 9, 17);
        skb.putU32(iph + 12, A);
        skb.putU32(iph + 16, B);
        skb.putU16(iph + 20, local.port);
        skb.putU16(iph + 22, 9999);
        skb.pull(8);
        a.inetProtocol(17).errHandler(skb, 0);
        a.consumeSkb(skb);
        int[] r = {0};
        run(a, t -> r[0] = a.recvfrom(t, fd, new byte[10], 0, 10, 0, null));
        advance(1_000_000);
        assertThat(r[0]).isEqualTo(-Errno.ECONNREFUSED);
        assertThat(a.getsockopt(fd, SOL_SOCKET, SO_ERROR)).isZero();
    }

    @Test
    void peekLeavesTheDatagramAndShutdownEndsReads() {
        int fd = udpSocket(b);
        b.bind(fd, new SockaddrIn(0, 9000));
        sendFromA(1, 30, 9000, (byte) 7, 0);
        advance(1_000_000);
        byte[] buf = new byte[100];
        int[] r = new int[4];
        run(b, t -> {
            r[0] = b.recvfrom(t, fd, buf, 0, 100, MSG_PEEK, null);
            r[1] = b.recvfrom(t, fd, buf, 0, 100, MSG_PEEK, null);
            r[2] = b.recvfrom(t, fd, buf, 0, 100, 0, null);
            r[3] = b.recvfrom(t, fd, buf, 0, 100, MSG_DONTWAIT, null);
        });
        advance(1_000_000);
        assertThat(r).containsExactly(30, 30, 30, -Errno.EAGAIN);
        assertThat(mib(b, "UdpInDatagrams")).isEqualTo(1);
        assertThat(b.shutdown(fd, SHUT_RD)).isEqualTo(-Errno.ENOTCONN);
        run(b, t -> r[0] = b.recvfrom(t, fd, buf, 0, 100, 0, null));
        advance(1_000_000);
        assertThat(r[0]).isZero();
    }
}
