package net.linuxnet.protocols.inet;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;

/**
 * The IPv4 layer of one host as its transport protocols (UDP, ICMP sockets, later TCP) and
 * ARP see it: route lookup, source address selection, address types, datagram output and
 * ICMP errors. The IPv4 module stores its implementation on each host with
 * {@code kernel.setNetGeneric(Inet4.class, ...)} when the host boots.
 *
 * <p>Addresses are IPv4 addresses as {@code int}s in host order ({@code 10.0.0.1} is
 * {@code 0x0a000001}); on the wire they are big-endian, as {@code SkBuff.getU32} reads them.
 */
public interface Inet4 {

    /** The IPv4 layer of {@code kernel}; null only before boot or without the IPv4 module. */
    static Inet4 of(Kernel kernel) {
        return kernel.netGeneric(Inet4.class);
    }

    /**
     * {@code ip_route_output_key}: looks {@code fl.daddr} up (local table, then main table,
     * longest prefix) and fills {@code rt}. When {@code fl.saddr} is 0 it is set to the
     * selected source address ({@code inet_select_addr} on the output device, or the
     * route's {@code prefsrc}).
     *
     * @return 0, or {@code -ENETUNREACH} when no route matches (counted by the caller's
     *     protocol as its kernel counterpart does: {@code IpOutNoRoutes} here)
     */
    int ipRouteOutputKey(Flowi4 fl, Rtable rt);

    /**
     * {@code inet_addr_type}: {@link Rtable#RTN_LOCAL} for an address of this host,
     * {@link Rtable#RTN_BROADCAST}, {@link Rtable#RTN_MULTICAST}, otherwise
     * {@link Rtable#RTN_UNICAST}.
     */
    int inetAddrType(int addr);

    /**
     * {@code inet_select_addr}: the primary address of {@code dev} in the same subnet as
     * {@code dst} if there is one, else the device's first primary address, else any
     * address of the host; 0 if the host has none.
     */
    int inetSelectAddr(NetDevice dev, int dst);

    /**
     * Sends a datagram whose transport header and payload are built, as {@code ip_make_skb}
     * (its header part) and {@code ip_send_skb} do: {@code skb.data()} is at the transport
     * header with at least {@link #MAX_HEADER} bytes of headroom. Pushes the IPv4 header
     * (IHL 5, {@code tos}, a fresh IP ID, DF when {@code df}, {@code ttl}, the checksum),
     * then {@code ip_local_out}: NF LOCAL_OUT, {@code dst_output}, NF POST_ROUTING,
     * fragmentation when the packet exceeds {@code rt.mtu} and DF is clear, neighbour
     * output and {@code dev_queue_xmit}. Counts {@code IpOutRequests} and, for drops,
     * {@code IpOutDiscards}. The skb is consumed in every case.
     *
     * @param sk the sending socket, or null; the skb stays charged to it until freed
     * @return 0, or a negative errno as {@code net_xmit_errno} makes it ({@code -ENOBUFS}
     *     when the qdisc dropped it; {@code -EMSGSIZE} when DF is set and it exceeds the MTU;
     *     {@code -EPERM} when netfilter dropped it)
     */
    int ipSendSkb(SkBuff skb, Rtable rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df, Object sk);

    /**
     * {@code __icmp_send}: answers {@code skbIn} (a received packet, its network header set)
     * with an ICMP error, subject to the kernel's rules (never about an ICMP error, a
     * fragment other than the first, or a broadcast) and to {@code icmp_ratelimit}. Does not
     * consume {@code skbIn}.
     */
    void icmpSend(SkBuff skbIn, int type, int code, int info);

    /** Room to reserve in front of a transport header for IPv4 and the link layer ({@code MAX_HEADER} + IP). */
    int MAX_HEADER = 128;

    // ---- ICMP types and codes the transport protocols use -----------------------------------

    int ICMP_DEST_UNREACH = 3;
    int ICMP_PORT_UNREACH = 3;
    int ICMP_FRAG_NEEDED = 4;
}
