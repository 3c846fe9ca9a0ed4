package net.linuxnet.api.filter;

import net.linuxnet.api.net.SkBuff;

/**
 * The payload offset of a packet for {@code SKF_AD_PAY_OFFSET}: {@code skb_get_poff} in
 * {@code net/core/flow_dissector.c}, over the part of {@code __skb_flow_dissect} that
 * matters for it with the basic keys and no flags.
 *
 * <p>The dissector starts at the network header with {@code skb->protocol} and walks:
 * 802.1Q/802.1AD tags in the packet; IPv4 (a fragment other than the first stops at its
 * network header's end); IPv6 with its hop-by-hop, routing, destination-options and fragment
 * headers; IP-in-IP and IPv6-in-IP; ARP and RARP (which stop at the network header), at most
 * {@code MAX_FLOW_DISSECT_HDRS} headers in all. The transport header offset it reaches is
 * {@code thoff}, and {@code __skb_get_poff} adds the transport header's size: TCP's
 * {@code doff * 4} (at least 20), 8 for UDP, UDP-Lite, ICMP, ICMPv6 and IGMP, 12 for DCCP and
 * SCTP, nothing for anything else. Offsets count from {@code skb->data}.
 *
 * <p>Not modelled: GRE and other tunnels (the walk stops at the outer header, which then counts
 * as the transport header with no size), MPLS, PPPoE, and the protocols the kernel dissects
 * besides those above: for an unknown {@code skb->protocol} the dissection fails and the
 * result is 0, as the kernel's is for protocols it does not know.
 */
final class FlowDissector {

    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_ARP = 0x0806;
    private static final int ETH_P_RARP = 0x8035;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;
    private static final int ETH_P_IPV6 = 0x86dd;

    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_IGMP = 2;
    private static final int IPPROTO_IPIP = 4;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_DCCP = 33;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int IPPROTO_SCTP = 132;
    private static final int IPPROTO_UDPLITE = 136;
    private static final int NEXTHDR_HOP = 0;
    private static final int NEXTHDR_ROUTING = 43;
    private static final int NEXTHDR_FRAGMENT = 44;
    private static final int NEXTHDR_DEST = 60;

    private static final int IP_MF = 0x2000;
    private static final int IP_OFFSET = 0x1fff;
    private static final int IP6_OFFSET = 0xfff8;

    /** {@code MAX_FLOW_DISSECT_HDRS}: how many more headers the dissector follows. */
    private static final int MAX_FLOW_DISSECT_HDRS = 15;

    private FlowDissector() {
    }

    /** {@code skb_get_poff}: the payload offset from {@code skb->data}, or 0 when the packet cannot be dissected. */
    static int skbGetPoff(SkBuff skb) {
        if (skb.networkHeader() == SkBuff.NO_HEADER) {
            return 0;
        }
        int proto = skb.protocol() & 0xffff;
        int nhoff = skb.networkHeader() - skb.data();
        int ipProto = 0;
        boolean fragment = false;
        boolean firstFrag = false;
        int numHdrs = 0;

        dissect:
        while (true) {
            // proto_again: the network layer
            switch (proto) {
                case ETH_P_IP -> {
                    if (!headerPresent(skb, nhoff, 20)) {
                        return 0;
                    }
                    int ihl = byteAt(skb, nhoff) & 0x0f;
                    if (ihl < 5) {
                        return 0;
                    }
                    int fragOff = (byteAt(skb, nhoff + 6) << 8) | byteAt(skb, nhoff + 7);
                    ipProto = byteAt(skb, nhoff + 9);
                    nhoff += ihl * 4;
                    if ((fragOff & (IP_MF | IP_OFFSET)) != 0) {
                        fragment = true;
                        // a first fragment stops here too: no FLOW_DISSECTOR_F_PARSE_1ST_FRAG
                        firstFrag = (fragOff & IP_OFFSET) == 0;
                        break dissect;
                    }
                }
                case ETH_P_IPV6 -> {
                    if (!headerPresent(skb, nhoff, 40)) {
                        return 0;
                    }
                    ipProto = byteAt(skb, nhoff + 6);
                    nhoff += 40;
                }
                case ETH_P_8021Q, ETH_P_8021AD -> {
                    if (!headerPresent(skb, nhoff, 4)) {
                        return 0;
                    }
                    proto = (byteAt(skb, nhoff + 2) << 8) | byteAt(skb, nhoff + 3);
                    nhoff += 4;
                    if (++numHdrs > MAX_FLOW_DISSECT_HDRS) {
                        break dissect;
                    }
                    continue dissect;
                }
                case ETH_P_ARP, ETH_P_RARP -> {
                    break dissect;
                }
                default -> {
                    return 0;
                }
            }
            // ip_proto_again: extension headers and IP in IP
            while (true) {
                switch (ipProto) {
                    case NEXTHDR_HOP, NEXTHDR_ROUTING, NEXTHDR_DEST -> {
                        if (proto != ETH_P_IPV6) {
                            break dissect;
                        }
                        if (!headerPresent(skb, nhoff, 2)) {
                            return 0;
                        }
                        ipProto = byteAt(skb, nhoff);
                        nhoff += (byteAt(skb, nhoff + 1) + 1) << 3;
                        if (++numHdrs > MAX_FLOW_DISSECT_HDRS) {
                            break dissect;
                        }
                    }
                    case NEXTHDR_FRAGMENT -> {
                        if (proto != ETH_P_IPV6) {
                            break dissect;
                        }
                        if (!headerPresent(skb, nhoff, 8)) {
                            return 0;
                        }
                        fragment = true;
                        int fragOff = (byteAt(skb, nhoff + 2) << 8) | byteAt(skb, nhoff + 3);
                        ipProto = byteAt(skb, nhoff);
                        nhoff += 8;
                        firstFrag = (fragOff & IP6_OFFSET) == 0;
                        break dissect;
                    }
                    case IPPROTO_IPIP -> {
                        proto = ETH_P_IP;
                        if (++numHdrs > MAX_FLOW_DISSECT_HDRS) {
                            break dissect;
                        }
                        continue dissect;
                    }
                    case IPPROTO_IPV6 -> {
                        proto = ETH_P_IPV6;
                        if (++numHdrs > MAX_FLOW_DISSECT_HDRS) {
                            break dissect;
                        }
                        continue dissect;
                    }
                    default -> {
                        break dissect;
                    }
                }
            }
        }

        // out_good: thoff = min_t(u16, nhoff, skb->len)
        int poff = Math.min(nhoff & 0xffff, skb.len() & 0xffff);

        // __skb_get_poff
        if (fragment && !firstFrag) {
            return poff;
        }
        return switch (ipProto) {
            case IPPROTO_TCP -> {
                if (!headerPresent(skb, poff + 12, 1)) {
                    yield poff;
                }
                yield poff + Math.max(20, (byteAt(skb, poff + 12) & 0xf0) >> 2);
            }
            case IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IGMP -> poff + 8;
            case IPPROTO_DCCP, IPPROTO_SCTP -> poff + 12;
            default -> poff;
        };
    }

    /**
     * {@code __skb_header_pointer} on a linear skb: {@code len} bytes at {@code offset} from
     * {@code skb->data} are there when they end before the tail (and, which the kernel takes
     * for granted, start inside the buffer).
     */
    private static boolean headerPresent(SkBuff skb, int offset, int len) {
        return offset <= skb.len() - len && skb.data() + offset >= 0;
    }

    private static int byteAt(SkBuff skb, int offset) {
        return skb.head()[skb.data() + offset] & 0xff;
    }
}
