package net.linuxnet.api.filter;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffPool;

/**
 * Builds real frames (Ethernet, ARP, IPv4, IPv6, UDP, TCP, ICMP) byte by byte, and skbs that
 * hold them the way the stack hands them to a filter. Checksums are left at zero: BPF does not
 * look at them. Every skb made here is freed by {@link #close()}.
 */
final class Packets implements AutoCloseable {

    static final byte[] MAC_CLIENT = IfEther.parseMac("02:00:00:00:00:01");
    static final byte[] MAC_SERVER = IfEther.parseMac("02:00:00:00:00:02");

    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_ICMPV6 = 58;

    /** The IPv4 "more fragments" flag in the fragment field. */
    static final int IP_MF = 0x2000;

    final SkBuffPool pool = new SkBuffPool(true);
    private final List<SkBuff> skbs = new ArrayList<>();

    // ---- headers -------------------------------------------------------------------------------

    /** A UDP header and {@code payloadLen} bytes of payload. */
    static byte[] udp(int sport, int dport, int payloadLen) {
        byte[] b = new byte[8 + payloadLen];
        putU16(b, 0, sport);
        putU16(b, 2, dport);
        putU16(b, 4, b.length);
        fill(b, 8);
        return b;
    }

    /** A TCP header of {@code doff} words (options as NOPs) and {@code payloadLen} bytes of payload. */
    static byte[] tcp(int sport, int dport, int doff, int payloadLen) {
        byte[] b = new byte[doff * 4 + payloadLen];
        putU16(b, 0, sport);
        putU16(b, 2, dport);
        putU32(b, 4, 1000);
        putU32(b, 8, 0);
        b[12] = (byte) (doff << 4);
        b[13] = 0x02; // SYN
        putU16(b, 14, 65535);
        for (int i = 20; i < doff * 4; i++) {
            b[i] = 1; // TCPOPT_NOP
        }
        fill(b, doff * 4);
        return b;
    }

    /** An ICMP echo request with {@code payloadLen} bytes of data. */
    static byte[] icmpEcho(int payloadLen) {
        byte[] b = new byte[8 + payloadLen];
        b[0] = 8;
        putU16(b, 4, 1);
        putU16(b, 6, 1);
        fill(b, 8);
        return b;
    }

    /** An IPv4 header without options, then {@code l4}. */
    static byte[] ipv4(int protocol, String src, String dst, int ttl, byte[] l4) {
        return ipv4(protocol, src, dst, ttl, 0, 0, l4);
    }

    /**
     * An IPv4 header with {@code optionWords} words of options (NOPs), the fragment field
     * {@code frag} (flags and offset in 8-byte units), then {@code l4}.
     */
    static byte[] ipv4(int protocol, String src, String dst, int ttl, int optionWords, int frag, byte[] l4) {
        int ihl = 5 + optionWords;
        byte[] b = new byte[ihl * 4 + l4.length];
        b[0] = (byte) (0x40 | ihl);
        putU16(b, 2, b.length);
        putU16(b, 4, 0x1234);
        putU16(b, 6, frag);
        b[8] = (byte) ttl;
        b[9] = (byte) protocol;
        System.arraycopy(addr(src), 0, b, 12, 4);
        System.arraycopy(addr(dst), 0, b, 16, 4);
        for (int i = 20; i < ihl * 4; i++) {
            b[i] = 1; // IPOPT_NOOP
        }
        System.arraycopy(l4, 0, b, ihl * 4, l4.length);
        return b;
    }

    /** An IPv6 header (next header {@code nexthdr}, hop limit 64), then {@code rest}. */
    static byte[] ipv6(int nexthdr, String src, String dst, byte[] rest) {
        byte[] b = new byte[40 + rest.length];
        b[0] = 0x60;
        putU16(b, 4, rest.length);
        b[6] = (byte) nexthdr;
        b[7] = 64;
        System.arraycopy(addr(src), 0, b, 8, 16);
        System.arraycopy(addr(dst), 0, b, 24, 16);
        System.arraycopy(rest, 0, b, 40, rest.length);
        return b;
    }

    /** An IPv6 extension header of 8 bytes (hop-by-hop, routing or destination options) before {@code rest}. */
    static byte[] ipv6Ext(int nexthdr, byte[] rest) {
        byte[] b = new byte[8 + rest.length];
        b[0] = (byte) nexthdr;
        b[1] = 0; // (hdrlen + 1) * 8 bytes
        b[2] = 1; // PadN
        b[3] = 4;
        System.arraycopy(rest, 0, b, 8, rest.length);
        return b;
    }

    /** An Ethernet II frame. */
    static byte[] ether(byte[] dst, byte[] src, int ethertype, byte[] payload) {
        byte[] b = new byte[14 + payload.length];
        System.arraycopy(dst, 0, b, 0, 6);
        System.arraycopy(src, 0, b, 6, 6);
        putU16(b, 12, ethertype);
        System.arraycopy(payload, 0, b, 14, payload.length);
        return b;
    }

    /** An Ethernet frame with one 802.1Q tag. */
    static byte[] etherVlan(byte[] dst, byte[] src, int tci, int ethertype, byte[] payload) {
        byte[] b = new byte[18 + payload.length];
        System.arraycopy(dst, 0, b, 0, 6);
        System.arraycopy(src, 0, b, 6, 6);
        putU16(b, 12, IfEther.ETH_P_8021Q);
        putU16(b, 14, tci);
        putU16(b, 16, ethertype);
        System.arraycopy(payload, 0, b, 18, payload.length);
        return b;
    }

    /** An ARP request ("who has {@code target}? tell {@code sender}") in an Ethernet broadcast. */
    static byte[] arpRequest(String sender, String target) {
        byte[] arp = new byte[28];
        putU16(arp, 0, 1); // ARPHRD_ETHER
        putU16(arp, 2, IfEther.ETH_P_IP);
        arp[4] = 6;
        arp[5] = 4;
        putU16(arp, 6, 1); // ARPOP_REQUEST
        System.arraycopy(MAC_CLIENT, 0, arp, 8, 6);
        System.arraycopy(addr(sender), 0, arp, 14, 4);
        System.arraycopy(addr(target), 0, arp, 24, 4);
        return ether(IfEther.parseMac("ff:ff:ff:ff:ff:ff"), MAC_CLIENT, IfEther.ETH_P_ARP, arp);
    }

    /** Ethernet + IPv4 + UDP from the client to the server, TTL 64. */
    static byte[] udp4(String src, String dst, int sport, int dport, int payloadLen) {
        return ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, src, dst, 64, udp(sport, dport, payloadLen)));
    }

    /** Ethernet + IPv4 + TCP (no options) from the client to the server, TTL 64. */
    static byte[] tcp4(String src, String dst, int sport, int dport, int payloadLen) {
        return ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_TCP, src, dst, 64, tcp(sport, dport, 5, payloadLen)));
    }

    /** Ethernet + IPv6 + UDP. */
    static byte[] udp6(String src, String dst, int sport, int dport, int payloadLen) {
        return ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IPV6,
                ipv6(IPPROTO_UDP, src, dst, udp(sport, dport, payloadLen)));
    }

    /** Ethernet + IPv6 + TCP. */
    static byte[] tcp6(String src, String dst, int sport, int dport, int payloadLen) {
        return ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IPV6,
                ipv6(IPPROTO_TCP, src, dst, tcp(sport, dport, 5, payloadLen)));
    }

    // ---- skbs ----------------------------------------------------------------------------------

    /**
     * An skb holding an Ethernet frame as {@code packet_rcv} gives it to an AF_PACKET filter:
     * {@code data} and the MAC header at the start of the frame, the network header after the
     * Ethernet header (at the tag of a VLAN-tagged frame, as {@code eth_type_trans} leaves it),
     * and {@code protocol} the frame's ethertype.
     */
    SkBuff ethernet(byte[] frame) {
        SkBuff skb = fill(frame);
        skb.resetMacHeader();
        int ethertype = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
        skb.setNetworkHeader(skb.data() + IfEther.ETH_HLEN);
        skb.setProtocol(ethertype);
        return skb;
    }

    /**
     * An skb holding an IP packet with no link-layer header, as a filter on a {@code DLT_RAW}
     * device (tun) sees it: {@code data} and the network header at the IP header, no MAC header.
     */
    SkBuff rawIp(byte[] packet) {
        SkBuff skb = fill(packet);
        skb.resetNetworkHeader();
        skb.setProtocol((packet[0] & 0xf0) == 0x60 ? IfEther.ETH_P_IPV6 : IfEther.ETH_P_IP);
        return skb;
    }

    /**
     * An skb holding an Ethernet + IPv4 frame as {@code udp_queue_rcv_skb} gives it to a socket
     * filter: the MAC and network headers set, {@code data} at the transport header.
     */
    SkBuff atTransport(byte[] frame) {
        SkBuff skb = ethernet(frame);
        int ihl = (frame[IfEther.ETH_HLEN] & 0x0f) * 4;
        skb.pull(IfEther.ETH_HLEN + ihl);
        skb.setTransportHeader(skb.data());
        return skb;
    }

    private SkBuff fill(byte[] bytes) {
        SkBuff skb = pool.allocSkb(IfEther.NET_SKB_PAD + bytes.length);
        skb.reserve(IfEther.NET_SKB_PAD);
        int at = skb.put(bytes.length);
        skb.putBytes(at, bytes, 0, bytes.length);
        skbs.add(skb);
        return skb;
    }

    @Override
    public void close() {
        for (SkBuff skb : skbs) {
            if (skb.unref()) {
                pool.release(skb);
            }
        }
        skbs.clear();
    }

    // ---- bytes ---------------------------------------------------------------------------------

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void fill(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            b[i] = (byte) ('a' + (i - from) % 26);
        }
    }
}
