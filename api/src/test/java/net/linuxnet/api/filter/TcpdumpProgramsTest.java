package net.linuxnet.api.filter;

import static net.linuxnet.api.filter.Packets.IPPROTO_ICMP;
import static net.linuxnet.api.filter.Packets.IPPROTO_TCP;
import static net.linuxnet.api.filter.Packets.IPPROTO_UDP;
import static net.linuxnet.api.filter.Packets.IP_MF;
import static net.linuxnet.api.filter.Packets.MAC_CLIENT;
import static net.linuxnet.api.filter.Packets.MAC_SERVER;
import static net.linuxnet.api.filter.Packets.arpRequest;
import static net.linuxnet.api.filter.Packets.ether;
import static net.linuxnet.api.filter.Packets.etherVlan;
import static net.linuxnet.api.filter.Packets.icmpEcho;
import static net.linuxnet.api.filter.Packets.ipv4;
import static net.linuxnet.api.filter.Packets.ipv6;
import static net.linuxnet.api.filter.Packets.tcp;
import static net.linuxnet.api.filter.Packets.tcp4;
import static net.linuxnet.api.filter.Packets.tcp6;
import static net.linuxnet.api.filter.Packets.udp;
import static net.linuxnet.api.filter.Packets.udp4;
import static net.linuxnet.api.filter.Packets.udp6;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the programs that real {@code tcpdump -dd} made (see {@link TcpdumpPrograms}) on real
 * frames, and checks what each keeps and what it drops. tcpdump's programs return the
 * snapshot length, 262144, for a match and 0 otherwise.
 *
 * <p>{@code -y EN10MB} programs see a frame as AF_PACKET gives it to them: {@code skb->data}
 * at the Ethernet header. {@code -y RAW} programs see an IP packet with no link-layer header.
 */
final class TcpdumpProgramsTest {

    private static final int MATCH = 262144;

    private final Packets packets = new Packets();
    private final BpfRunContext ctx = new BpfRunContext(() -> 0, new SplittableRandom(1));

    @AfterEach
    void freeSkbs() {
        packets.close();
        assertThat(packets.pool.live()).isZero();
    }

    static java.util.stream.Stream<String> names() {
        return TcpdumpPrograms.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyStoredProgramPassesTheCheckerAndPrintsBackAsStored(String name) {
        SockFprog fprog = TcpdumpPrograms.load(name);
        TcpdumpPrograms.prog(name);
        String text = TcpdumpPrograms.text(name);
        assertThat(fprog.toTcpdumpDd()).isEqualTo(text.substring(text.indexOf('\n') + 1));
        assertThat(TcpdumpPrograms.header(name).expression()).isNotBlank();
    }

    @Test
    void storesTheProgramsTheTestsUse() {
        assertThat(TcpdumpPrograms.names()).contains(
                "en10mb/udp-dst-port-53.dd", "en10mb/ip-src-10.0.0.1.dd", "en10mb/tcp.dd",
                "en10mb/udp-and-port-5000.dd", "en10mb/ip-ttl-lt-5.dd", "en10mb/len-gt-100.dd",
                "en10mb/inbound.dd", "en10mb/ifindex-3.dd", "en10mb/vlan-100.dd",
                "raw/udp-dst-port-53.dd", "raw/ip-src-10.0.0.1.dd", "raw/tcp.dd", "raw/ip-ttl-lt-5.dd");
    }

    // ---- -y EN10MB ---------------------------------------------------------------------------

    @Test
    void udpDstPort53() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/udp-dst-port-53.dd");

        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 40000, 53, 30))).isEqualTo(MATCH);
        assertThat(eth(prog, udp6("2001:db8::1", "2001:db8::2", 40000, 53, 30))).isEqualTo(MATCH);
        // IP options move the UDP header: found through ldxb 4*([14]&0xf)
        assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 3, 0, udp(40000, 53, 0))))).isEqualTo(MATCH);
        // the first fragment carries the UDP header
        assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 0, IP_MF, udp(40000, 53, 64))))).isEqualTo(MATCH);

        assertThat(eth(prog, udp4("10.0.0.2", "10.0.0.1", 53, 40000, 30))).isZero();
        assertThat(eth(prog, tcp4("10.0.0.1", "10.0.0.2", 40000, 53, 0))).isZero();
        assertThat(eth(prog, arpRequest("10.0.0.1", "10.0.0.2"))).isZero();
        // a later fragment: jset #0x1fff sees the fragment offset, whatever the bytes say
        byte[] laterFragment = ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 0, 185, udp(40000, 53, 0)));
        assertThat(eth(prog, laterFragment)).isZero();
    }

    @Test
    void udpDstPort53DropsAFrameCutInsideTheUdpHeader() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/udp-dst-port-53.dd");
        SkBuff skb = packets.ethernet(udp4("10.0.0.1", "10.0.0.2", 40000, 53, 30));
        skb.trim(14 + 20 + 3);
        // ldh [x + 16] reads past the tail: the load fails and the run returns 0
        assertThat(prog.run(skb, ctx)).isZero();
        skb.trim(14 + 20);
        assertThat(prog.run(skb, ctx)).isZero();
    }

    @Test
    void ipSrc() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/ip-src-10.0.0.1.dd");

        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 1, 2, 0))).isEqualTo(MATCH);
        assertThat(eth(prog, tcp4("10.0.0.1", "192.0.2.7", 1, 2, 0))).isEqualTo(MATCH);

        assertThat(eth(prog, udp4("10.0.0.2", "10.0.0.1", 1, 2, 0))).isZero();
        assertThat(eth(prog, arpRequest("10.0.0.1", "10.0.0.2"))).isZero();
        assertThat(eth(prog, udp6("2001:db8::1", "2001:db8::2", 1, 2, 0))).isZero();
    }

    @Test
    void tcpOverIpv4AndIpv6() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/tcp.dd");

        assertThat(eth(prog, tcp4("10.0.0.1", "10.0.0.2", 40000, 80, 0))).isEqualTo(MATCH);
        assertThat(eth(prog, tcp6("2001:db8::1", "2001:db8::2", 40000, 80, 0))).isEqualTo(MATCH);
        // IPv6 with a fragment header before TCP: tcpdump looks one header further
        byte[] fragHdr = {(byte) IPPROTO_TCP, 0, 0, 0, 0, 0, 0, 7};
        assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IPV6,
                ipv6(44, "2001:db8::1", "2001:db8::2", Packets.concat(fragHdr, Packets.tcp(1, 2, 5, 0))))))
                .isEqualTo(MATCH);

        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 40000, 80, 0))).isZero();
        assertThat(eth(prog, udp6("2001:db8::1", "2001:db8::2", 40000, 80, 0))).isZero();
        assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_ICMP, "10.0.0.1", "10.0.0.2", 64, icmpEcho(56))))).isZero();
        assertThat(eth(prog, arpRequest("10.0.0.1", "10.0.0.2"))).isZero();
    }

    @Test
    void udpAndPort5000() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/udp-and-port-5000.dd");

        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 5000, 40000, 10))).isEqualTo(MATCH);
        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 40000, 5000, 10))).isEqualTo(MATCH);
        assertThat(eth(prog, udp6("2001:db8::1", "2001:db8::2", 40000, 5000, 10))).isEqualTo(MATCH);
        assertThat(eth(prog, udp6("2001:db8::1", "2001:db8::2", 5000, 40000, 10))).isEqualTo(MATCH);

        assertThat(eth(prog, tcp4("10.0.0.1", "10.0.0.2", 40000, 5000, 0))).isZero();
        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 5001, 4999, 10))).isZero();
    }

    @Test
    void ipTtlBelow5() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/ip-ttl-lt-5.dd");

        for (int ttl : new int[] {0, 1, 4}) {
            assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                    ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", ttl, udp(1, 2, 0))))).as("ttl %d", ttl).isEqualTo(MATCH);
        }
        for (int ttl : new int[] {5, 64, 255}) {
            assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                    ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", ttl, udp(1, 2, 0))))).as("ttl %d", ttl).isZero();
        }
        assertThat(eth(prog, udp6("2001:db8::1", "2001:db8::2", 1, 2, 0))).isZero();
    }

    @Test
    void lenAbove100() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/len-gt-100.dd");

        // 14 + 20 + 8 + 59 = 101 bytes
        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 1, 2, 59))).isEqualTo(MATCH);
        assertThat(eth(prog, udp4("10.0.0.1", "10.0.0.2", 1, 2, 58))).isZero();
        assertThat(eth(prog, arpRequest("10.0.0.1", "10.0.0.2"))).isZero();
        // len is skb->len: for a socket filter, from the transport header on
        SkBuff atTransport = packets.atTransport(udp4("10.0.0.1", "10.0.0.2", 1, 2, 59));
        assertThat(prog.run(atTransport, ctx)).isZero();
    }

    @Test
    void inboundReadsPktTypeAsAncillaryData() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/inbound.dd");
        byte[] frame = udp4("10.0.0.1", "10.0.0.2", 1, 2, 0);

        for (int pktType : new int[] {SkBuff.PACKET_HOST, SkBuff.PACKET_BROADCAST, SkBuff.PACKET_OTHERHOST}) {
            SkBuff skb = packets.ethernet(frame);
            skb.setPktType(pktType);
            assertThat(prog.run(skb, ctx)).as("pkt_type %d", pktType).isEqualTo(MATCH);
        }
        SkBuff out = packets.ethernet(frame);
        out.setPktType(SkBuff.PACKET_OUTGOING);
        assertThat(prog.run(out, ctx)).isZero();
    }

    @Test
    void ifindexReadsTheDeviceAsAncillaryData() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/ifindex-3.dd");
        byte[] frame = udp4("10.0.0.1", "10.0.0.2", 1, 2, 0);

        SkBuff on3 = packets.ethernet(frame);
        on3.setDev(new NetDevice(null, "eth1", 3, 1, 1));
        assertThat(prog.run(on3, ctx)).isEqualTo(MATCH);
        SkBuff on4 = packets.ethernet(frame);
        on4.setDev(new NetDevice(null, "eth2", 4, 1, 1));
        assertThat(prog.run(on4, ctx)).isZero();
        // no device: the run ends at the load, returning A (0)
        assertThat(prog.run(packets.ethernet(frame), ctx)).isZero();
    }

    @Test
    void vlan100ReadsTheTagInThePacket() {
        BpfProg prog = TcpdumpPrograms.prog("en10mb/vlan-100.dd");
        byte[] ip = ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0));

        assertThat(eth(prog, etherVlan(MAC_SERVER, MAC_CLIENT, 100, IfEther.ETH_P_IP, ip))).isEqualTo(MATCH);
        // priority 5 in the top bits of the TCI: and #0xfff keeps only the VLAN id
        assertThat(eth(prog, etherVlan(MAC_SERVER, MAC_CLIENT, (5 << 13) | 100, IfEther.ETH_P_IP, ip))).isEqualTo(MATCH);

        assertThat(eth(prog, etherVlan(MAC_SERVER, MAC_CLIENT, 101, IfEther.ETH_P_IP, ip))).isZero();
        assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP, ip))).isZero();
    }

    // ---- -y RAW ------------------------------------------------------------------------------

    @Test
    void rawUdpDstPort53() {
        BpfProg prog = TcpdumpPrograms.prog("raw/udp-dst-port-53.dd");

        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(40000, 53, 20)))).isEqualTo(MATCH);
        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 1, 0, udp(40000, 53, 20))))
                .isEqualTo(MATCH);
        assertThat(raw(prog, ipv6(IPPROTO_UDP, "2001:db8::1", "2001:db8::2", udp(40000, 53, 20)))).isEqualTo(MATCH);

        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(53, 40000, 20)))).isZero();
        assertThat(raw(prog, ipv4(IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 64, tcp(40000, 53, 5, 0)))).isZero();
    }

    @Test
    void rawIpSrc() {
        BpfProg prog = TcpdumpPrograms.prog("raw/ip-src-10.0.0.1.dd");

        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0)))).isEqualTo(MATCH);
        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.3", "10.0.0.1", 64, udp(1, 2, 0)))).isZero();
        assertThat(raw(prog, ipv6(IPPROTO_UDP, "2001:db8::a00:1", "2001:db8::2", udp(1, 2, 0)))).isZero();
    }

    @Test
    void rawTcp() {
        BpfProg prog = TcpdumpPrograms.prog("raw/tcp.dd");

        assertThat(raw(prog, ipv4(IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 64, tcp(1, 2, 5, 0)))).isEqualTo(MATCH);
        assertThat(raw(prog, ipv6(IPPROTO_TCP, "2001:db8::1", "2001:db8::2", tcp(1, 2, 5, 0)))).isEqualTo(MATCH);
        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0)))).isZero();
        assertThat(raw(prog, ipv6(Packets.IPPROTO_ICMPV6, "2001:db8::1", "2001:db8::2", new byte[8]))).isZero();
    }

    @Test
    void rawIpTtlBelow5() {
        BpfProg prog = TcpdumpPrograms.prog("raw/ip-ttl-lt-5.dd");

        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 3, udp(1, 2, 0)))).isEqualTo(MATCH);
        assertThat(raw(prog, ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 5, udp(1, 2, 0)))).isZero();
        // the same program on an Ethernet frame reads the MAC address instead: it must not match
        assertThat(eth(prog, ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 3, udp(1, 2, 0))))).isZero();
    }

    private int eth(BpfProg prog, byte[] frame) {
        return prog.run(packets.ethernet(frame), ctx);
    }

    private int raw(BpfProg prog, byte[] packet) {
        return prog.run(packets.rawIp(packet), ctx);
    }
}
