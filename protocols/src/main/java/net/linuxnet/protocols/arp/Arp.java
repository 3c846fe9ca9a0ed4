package net.linuxnet.protocols.arp;

import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * The Address Resolution Protocol of one host ({@code net/ipv4/arp.c}): the receive handler
 * for {@code ETH_P_ARP} frames and the sending of requests and replies.
 *
 * <p>An ARP packet for Ethernet and IPv4 is 28 bytes after the Ethernet header:
 *
 * <pre>
 *   0        2        4    5    6        8              14       18             24       28
 *   | ar_hrd | ar_pro |hln |pln | ar_op  | sender MAC   | sender | target MAC   | target |
 *   |   1    | 0x0800 | 6  | 4  | 1 or 2 |              |  IP    |              |  IP    |
 * </pre>
 *
 * <p>Receive ({@code arp_rcv}, then {@code arp_process}): frames for other hosts and on
 * NOARP devices are consumed unread; short or malformed packets (hardware type, protocol,
 * lengths, opcode, a multicast or loopback target) are dropped with their reason. A request
 * for one of our addresses ({@code inet_addr_type == RTN_LOCAL}; with {@code arp_ignore=0}
 * any local address on any interface) is answered with a unicast reply, and the sender's
 * entry is created or refreshed to STALE ({@code neigh_event_ns}). Any other packet updates
 * the sender's entry only if one exists (with {@code arp_accept=0}): a unicast reply makes it
 * REACHABLE, anything else STALE; within {@code locktime} of the last update a different
 * address does not override the entry, unless the packet is gratuitous.
 *
 * <p>Send ({@code arp_create}, {@code arp_xmit}): requests go to the broadcast address,
 * unicast probes and replies to the known address; the source is the device's address.
 */
public final class Arp implements PacketType {
    public static final int ARPOP_REQUEST = 1;
    public static final int ARPOP_REPLY = 2;
    /** {@code ARPHRD_IEEE802}, accepted as Ethernet. */
    static final int ARPHRD_IEEE802 = 6;
    /** {@code arp_hdr_len} for Ethernet and IPv4. */
    public static final int ARP_HDR_LEN = 28;
    /** {@code LL_RESERVED_SPACE} of an Ethernet device. */
    private static final int LL_RESERVED_SPACE = 16;

    private final NeighTable tbl;
    private final Kernel kernel;
    private final CostStage arpRcvCost;

    Arp(NeighTable tbl) {
        this.tbl = tbl;
        this.kernel = tbl.kernel;
        this.arpRcvCost = kernel.costStage("arp_rcv");
    }

    @Override
    public int type() {
        return IfEther.ETH_P_ARP;
    }

    private static final String ARP_ACCEPT = "net.ipv4.conf.all.arp_accept";
    private static final String ARP_IGNORE = "net.ipv4.conf.all.arp_ignore";
    private static final String ARP_ANNOUNCE = "net.ipv4.conf.all.arp_announce";

    private long conf(String name) {
        return kernel.sysctl().getLong(name);
    }

    /** {@code arp_rcv}: the checks that need no state, then {@link #arpProcess}. */
    @Override
    public int func(SkBuff skb, NetDevice dev, NetDevice origDev) {
        kernel.charge(arpRcvCost, skb.len());
        if ((dev.flags() & NetDevice.IFF_NOARP) != 0 || skb.pktType() == SkBuff.PACKET_OTHERHOST
                || skb.pktType() == SkBuff.PACKET_LOOPBACK) {
            kernel.consumeSkb(skb);
            return NetRx.NET_RX_SUCCESS;
        }
        if (!skb.mayPull(ARP_HDR_LEN)) {
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_SMALL);
            return NetRx.NET_RX_DROP;
        }
        int arp = skb.data();
        if (skb.getU8(arp + 4) != IfEther.ETH_ALEN || skb.getU8(arp + 5) != 4) {
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            return NetRx.NET_RX_DROP;
        }
        return arpProcess(skb, dev);
    }

    /** {@code arp_process}: answers requests for our addresses and learns senders. */
    private int arpProcess(SkBuff skb, NetDevice dev) {
        int arp = skb.data();
        int hrd = skb.getU16(arp);
        int pro = skb.getU16(arp + 2);
        int op = skb.getU16(arp + 6);
        if ((hrd != IfEther.ARPHRD_ETHER && hrd != ARPHRD_IEEE802) || pro != IfEther.ETH_P_IP
                || (op != ARPOP_REQUEST && op != ARPOP_REPLY)) {
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            return NetRx.NET_RX_DROP;
        }
        byte[] h = skb.head();
        int sha = arp + 8;
        int sip = skb.getU32(arp + 14);
        int tha = arp + 18;
        int tip = skb.getU32(arp + 24);
        if (isMulticast(tip) || isLoopback(tip)) {
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            return NetRx.NET_RX_DROP;
        }
        Inet4 inet = Inet4.of(kernel);
        if (sip == 0) {
            // duplicate address detection (RFC 2131, RFC 5227): a probe for one of ours gets a reply
            if (op == ARPOP_REQUEST && inet != null && inet.inetAddrType(tip) == Rtable.RTN_LOCAL && !arpIgnore(dev, sip, tip)) {
                arpSend(ARPOP_REPLY, sip, dev, tip, h, sha, dev.devAddr(), h, sha);
            }
            kernel.consumeSkb(skb);
            return NetRx.NET_RX_SUCCESS;
        }
        if (op == ARPOP_REQUEST && inet != null && routeInputOk(inet, sip)
                && inet.inetAddrType(tip) == Rtable.RTN_LOCAL) {
            if (!arpIgnore(dev, sip, tip)) {
                Neighbour n = tbl.neighEventNs(h, sha, sip, dev);
                if (n != null) {
                    arpSend(ARPOP_REPLY, sip, dev, tip, h, sha, dev.devAddr(), h, sha);
                }
            }
            kernel.consumeSkb(skb);
            return NetRx.NET_RX_SUCCESS;
        }

        // update our ARP tables
        Neighbour n = tbl.neighLookup(dev, sip);
        boolean accept = conf(ARP_ACCEPT) != 0;
        boolean isGarp = false;
        if (n != null || accept) {
            isGarp = arpIsGarp(op, sip, tip, h, sha, tha);
        }
        if (accept && n == null && (isGarp || (op == ARPOP_REPLY && tbl.addrType(sip) == Rtable.RTN_UNICAST))) {
            n = tbl.neighLookup(dev, sip, true);
        }
        if (n != null) {
            int state = Neighbour.NUD_REACHABLE;
            boolean override = kernel.ktimeGetNs() > n.updated + tbl.locktimeNs() || isGarp;
            // broadcast replies and requests do not assert reachability
            if (op != ARPOP_REPLY || skb.pktType() != SkBuff.PACKET_HOST) {
                state = Neighbour.NUD_STALE;
            }
            tbl.neighUpdate(n, h, sha, state, override ? NeighTable.NEIGH_UPDATE_F_OVERRIDE : 0);
        }
        kernel.consumeSkb(skb);
        return NetRx.NET_RX_SUCCESS;
    }

    /**
     * The part of {@code ip_route_input_noref} that matters to ARP: a request whose sender
     * claims one of our addresses, a multicast or a loopback address is a martian source.
     */
    private static boolean routeInputOk(Inet4 inet, int sip) {
        return !isMulticast(sip) && !isLoopback(sip) && inet.inetAddrType(sip) != Rtable.RTN_LOCAL;
    }

    /** {@code arp_is_garp}: sender and target IP equal (and, for replies, the MACs too), from a unicast address. */
    private boolean arpIsGarp(int op, int sip, int tip, byte[] h, int sha, int tha) {
        boolean isGarp = tip == sip;
        if (isGarp && op == ARPOP_REPLY) {
            isGarp = IfEther.etherAddrEqual(h, tha, h, sha);
        }
        return isGarp && tbl.addrType(sip) == Rtable.RTN_UNICAST;
    }

    /**
     * {@code arp_ignore} by {@code net.ipv4.conf.all.arp_ignore}: 0 answers for any local
     * address; 1 and 2 only for an address of the receiving device (2 without checking the
     * sender's subnet here); 3 like 0 (scopes are not modelled); 4 to 7 reserved (answer);
     * 8 never.
     */
    private boolean arpIgnore(NetDevice dev, int sip, int tip) {
        int mode = (int) conf(ARP_IGNORE);
        switch (mode) {
            case 1, 2 -> {
                Inet4 inet = Inet4.of(kernel);
                return inet == null || inet.inetSelectAddr(dev, tip) != tip;
            }
            case 8 -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * {@code arp_solicit}: sends a request for {@code n}, as broadcast while the multicast
     * probes last and as unicast to the known address for the first {@code ucast_solicit}
     * probes of PROBE. The source address follows {@code arp_announce}: with 0, the source of
     * the packet that waits ({@code skb}, at its network header) if it is ours, else
     * {@code inet_select_addr}.
     */
    void arpSolicit(Neighbour n, SkBuff skb) {
        NetDevice dev = n.dev;
        int target = n.primaryKey;
        Inet4 inet = Inet4.of(kernel);
        int saddr = 0;
        if (conf(ARP_ANNOUNCE) == 0 && skb != null && inet != null && skb.len() >= 20) {
            int s = skb.getU32(skb.data() + 12);
            if (inet.inetAddrType(s) == Rtable.RTN_LOCAL) {
                saddr = s;
            }
        }
        if (saddr == 0 && inet != null) {
            saddr = inet.inetSelectAddr(dev, target);
        }
        int probes = n.probes - tbl.ucastProbes();
        byte[] dstHw = null;
        if (probes < 0) {
            dstHw = n.ha;
        } else if (probes - tbl.appProbes() < 0) {
            return; // neigh_app_ns: a question for arpd, which the model does not run
        }
        arpSend(ARPOP_REQUEST, target, dev, saddr, dstHw, 0, dev.devAddr(), null, 0);
    }

    /** {@code arp_send} for requests sent with no packet data of their own (gratuitous ARP). */
    void arpSend(int type, int destIp, NetDevice dev, int srcIp, byte[] destHw, byte[] srcHw, byte[] targetHw) {
        arpSend(type, destIp, dev, srcIp, destHw, 0, srcHw, targetHw, 0);
    }

    /**
     * {@code arp_send_dst}: {@code arp_create} (an skb with the Ethernet header and the ARP
     * packet; a null {@code destHw} means broadcast, a null {@code targetHw} zeros) and
     * {@code arp_xmit} ({@code dev_queue_xmit}). Nothing is sent on a NOARP device.
     */
    void arpSend(int type, int destIp, NetDevice dev, int srcIp, byte[] destHw, int destHwOff, byte[] srcHw,
            byte[] targetHw, int targetHwOff) {
        if ((dev.flags() & NetDevice.IFF_NOARP) != 0) {
            return;
        }
        SkBuff skb = kernel.allocSkb(LL_RESERVED_SPACE + ARP_HDR_LEN);
        skb.reserve(LL_RESERVED_SPACE);
        int arp = skb.put(ARP_HDR_LEN);
        skb.resetNetworkHeader();
        skb.setProtocol(IfEther.ETH_P_ARP);
        skb.setDev(dev);
        skb.putU16(arp, IfEther.ARPHRD_ETHER);
        skb.putU16(arp + 2, IfEther.ETH_P_IP);
        skb.putU8(arp + 4, IfEther.ETH_ALEN);
        skb.putU8(arp + 5, 4);
        skb.putU16(arp + 6, type);
        skb.putBytes(arp + 8, srcHw, 0, IfEther.ETH_ALEN);
        skb.putU32(arp + 14, srcIp);
        if (targetHw != null) {
            skb.putBytes(arp + 18, targetHw, targetHwOff, IfEther.ETH_ALEN);
        } else {
            for (int i = 0; i < IfEther.ETH_ALEN; i++) {
                skb.putU8(arp + 18 + i, 0);
            }
        }
        skb.putU32(arp + 24, destIp);
        int mac = skb.push(IfEther.ETH_HLEN);
        if (destHw != null) {
            skb.putBytes(mac, destHw, destHwOff, IfEther.ETH_ALEN);
        } else {
            skb.putBytes(mac, dev.broadcast(), 0, IfEther.ETH_ALEN);
        }
        skb.putBytes(mac + IfEther.ETH_ALEN, srcHw, 0, IfEther.ETH_ALEN);
        skb.putU16(mac + 12, IfEther.ETH_P_ARP);
        skb.resetMacHeader();
        kernel.devQueueXmit(skb);
    }

    /**
     * {@code arp_error_report}: a packet that waited for an address that never came;
     * {@code dst_link_failure} answers its sender with ICMP host unreachable (when IPv4 is
     * there), and the packet is dropped with {@code NEIGH_FAILED}.
     */
    void arpErrorReport(SkBuff skb) {
        Inet4 inet = Inet4.of(kernel);
        if (inet != null) {
            if (skb.networkHeader() == SkBuff.NO_HEADER) {
                skb.resetNetworkHeader();
            }
            inet.icmpSend(skb, Inet4.ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
        }
        kernel.kfreeSkbReason(skb, SkbDropReason.NEIGH_FAILED);
    }

    /** {@code ICMP_HOST_UNREACH}. */
    public static final int ICMP_HOST_UNREACH = 1;

    /** {@code ip_eth_mc_map}: 01:00:5e and the low 23 bits of the group. */
    static void arpMcMap(int addr, byte[] out) {
        out[0] = 0x01;
        out[1] = 0x00;
        out[2] = 0x5e;
        out[3] = (byte) ((addr >>> 16) & 0x7f);
        out[4] = (byte) (addr >>> 8);
        out[5] = (byte) addr;
    }

    static boolean isMulticast(int addr) {
        return (addr & 0xf0000000) == 0xe0000000;
    }

    static boolean isLoopback(int addr) {
        return (addr & 0xff000000) == 0x7f000000;
    }
}
