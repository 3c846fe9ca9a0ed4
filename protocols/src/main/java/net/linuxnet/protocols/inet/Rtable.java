package net.linuxnet.protocols.inet;

import net.linuxnet.api.net.NetDevice;

/**
 * The result of an IPv4 route lookup, as {@code struct rtable} (with the parts of
 * {@code dst_entry} the model uses). A caller owns its {@code Rtable} and passes it to the
 * lookup to be filled, so a lookup per packet allocates nothing.
 */
public final class Rtable {
    /** {@code RTN_UNICAST}: a gateway or a directly connected destination. */
    public static final int RTN_UNICAST = 1;
    /** {@code RTN_LOCAL}: an address of this host. */
    public static final int RTN_LOCAL = 2;
    /** {@code RTN_BROADCAST}. */
    public static final int RTN_BROADCAST = 3;
    /** {@code RTN_MULTICAST}. */
    public static final int RTN_MULTICAST = 5;
    /** {@code RTN_UNREACHABLE}. */
    public static final int RTN_UNREACHABLE = 7;

    /** {@code IPTOS_TOS_MASK}: the four TOS bits of the TOS byte. */
    public static final int IPTOS_TOS_MASK = 0x1e;

    /**
     * {@code ip_tos2prio} (net/ipv4/route.c): the {@code TC_PRIO_*} of each TOS value, indexed
     * by {@code IPTOS_TOS(tos) >> 1}: best effort 0, bulk 2, interactive 6, interactive bulk 4.
     */
    private static final int[] IP_TOS2PRIO = {0, 0, 0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 4, 4, 4, 4};

    /** {@code rt_tos2priority} (include/net/route.h): the {@code skb->priority} a TOS byte means. */
    public static int rtTos2priority(int tos) {
        return IP_TOS2PRIO[(tos & IPTOS_TOS_MASK) >> 1];
    }

    /** {@code rt_type}. */
    public int rtType;
    /** The output device ({@code dst.dev}); {@code lo} for local routes. */
    public NetDevice dev;
    /** {@code rt_gw4}: the next hop's address, or 0 when the destination is on link. */
    public int gateway;
    /** The preferred source address ({@code fib_info.fib_prefsrc} or the selected one). */
    public int prefsrc;
    /** {@code dst_mtu}: the device MTU, or a smaller path MTU learned from ICMP. */
    public int mtu;

    /** The next hop ({@code rt_nexthop}): the gateway, or {@code daddr} on link. */
    public int nexthop(int daddr) {
        return gateway != 0 ? gateway : daddr;
    }
}
