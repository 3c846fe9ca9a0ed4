package net.linuxnet.protocols.ipv4;

import net.linuxnet.api.net.Checksum;
import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.kernel.Sysctl;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.netfilter.NfInetHooks;
import net.linuxnet.api.netfilter.NfOkfn;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Neigh4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * The IPv4 layer of one host: receive ({@code net/ipv4/ip_input.c}), route input and output
 * ({@code route.c} over the FIB of {@link Fib}), forwarding ({@code ip_forward.c}), output and
 * fragmentation ({@code ip_output.c}), reassembly ({@link IpFrag}) and ICMP ({@link Icmp}).
 *
 * <pre>
 *  ip_rcv ─ checks ─ NF PRE_ROUTING ─ ip_rcv_finish ─ route input ─┬─ ip_local_deliver ─ defrag ─ NF LOCAL_IN ─ protocol handler
 *                                                                 ├─ ip_forward ─ TTL ─ NF FORWARD ─┐
 *                                                                 └─ ip_error (drop)                │
 *  ipSendSkb ─ __ip_local_out ─ NF LOCAL_OUT ─────────────────────────────────────── ip_output ─ NF POST_ROUTING
 *                                                    ip_finish_output ─ fragment above MTU ─ ip_finish_output2 ─ Neigh4.output
 * </pre>
 *
 * <p>The route a packet took ({@code skb_dst}) rides in the skb's control block while IPv4
 * owns the skb, as {@code IPCB} does: {@code cb0} holds the route type, flags and output
 * ifindex, {@code cb1} the next hop and the MTU. Nothing on the per-packet path allocates
 * but the fragments themselves.
 */
public final class Ipv4 implements Inet4, PacketType {

    static final int IP_CE = 0x8000;
    static final int IP_DF = 0x4000;
    static final int IP_MF = 0x2000;
    static final int IP_OFFSET = 0x1fff;
    static final int IPPROTO_ICMP = 1;

    static final int ENETUNREACH = 101;
    static final int EHOSTUNREACH = 113;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;
    static final int EINVAL = 22;

    /** Route flags in {@code cb0} ({@code RTCF_*}). */
    static final int RTCF_LOCAL = 0x100;
    static final int RTCF_BROADCAST = 0x200;
    static final int RTCF_INPUT = 0x400;
    static final int RTCF_DOREDIRECT = 0x800;
    /** {@code dst.error} of an unreachable route ({@code ip_error}), in bits 12..19 of cb0. */
    static final int ERR_SHIFT = 12;

    final Kernel kernel;
    final Sysctl sysctl;
    final Fib fib = new Fib();
    final IpFrag frag;
    Icmp icmp;
    NetDevice loopback;
    private NetDevice[] byIndex = new NetDevice[0];
    /** {@code in_ifaddr} lists: per device ifindex, the addresses and prefix lengths. */
    private int[][] ifaAddr = new int[0][];
    private int[][] ifaLen = new int[0][];
    private final int[] idents = new int[2048];
    private final long[] identStamps = new long[2048];
    private final int identKey;
    private final Pmtu pmtu = new Pmtu();
    private final Flowi4 icmpFl = new Flowi4();

    final MibCounter inReceives;
    final MibCounter inHdrErrors;
    final MibCounter inAddrErrors;
    final MibCounter forwDatagrams;
    final MibCounter inUnknownProtos;
    final MibCounter inDiscards;
    final MibCounter inDelivers;
    final MibCounter outRequests;
    final MibCounter outDiscards;
    final MibCounter outNoRoutes;
    final MibCounter reasmTimeout;
    final MibCounter reasmReqds;
    final MibCounter reasmOKs;
    final MibCounter reasmFails;
    final MibCounter fragOKs;
    final MibCounter fragFails;
    final MibCounter fragCreates;
    final MibCounter outTransmits;
    final MibCounter inNoRoutes;
    final MibCounter inTruncatedPkts;
    final MibCounter inBcastPkts;
    final MibCounter inOctets;
    final MibCounter outOctets;
    final MibCounter inCsumErrors;
    final MibCounter reasmOverlaps;
    /** {@code IpExtInNoECTPkts}, {@code InECT1Pkts}, {@code InECT0Pkts}, {@code InCEPkts} by the ECN bits. */
    private final MibCounter[] inEcn = new MibCounter[4];

    private final CostStage rcvCost;
    private final CostStage outputCost;
    private final CostStage forwardCost;

    private final NfOkfn rcvFinish = this::ipRcvFinish;
    private final NfOkfn localDeliverFinish = this::ipLocalDeliverFinish;
    private final NfOkfn forwardFinish = this::ipForwardFinish;
    private final NfOkfn dstOutput = this::ipOutput;
    private final NfOkfn finishOutput = this::ipFinishOutput;

    public Ipv4(Kernel kernel) {
        this.kernel = kernel;
        this.sysctl = kernel.sysctl();
        this.identKey = kernel.random().nextInt();
        inReceives = kernel.mib("IpInReceives");
        inHdrErrors = kernel.mib("IpInHdrErrors");
        inAddrErrors = kernel.mib("IpInAddrErrors");
        forwDatagrams = kernel.mib("IpForwDatagrams");
        inUnknownProtos = kernel.mib("IpInUnknownProtos");
        inDiscards = kernel.mib("IpInDiscards");
        inDelivers = kernel.mib("IpInDelivers");
        outRequests = kernel.mib("IpOutRequests");
        outDiscards = kernel.mib("IpOutDiscards");
        outNoRoutes = kernel.mib("IpOutNoRoutes");
        reasmTimeout = kernel.mib("IpReasmTimeout");
        reasmReqds = kernel.mib("IpReasmReqds");
        reasmOKs = kernel.mib("IpReasmOKs");
        reasmFails = kernel.mib("IpReasmFails");
        fragOKs = kernel.mib("IpFragOKs");
        fragFails = kernel.mib("IpFragFails");
        fragCreates = kernel.mib("IpFragCreates");
        outTransmits = kernel.mib("IpOutTransmits");
        inNoRoutes = kernel.mib("IpExtInNoRoutes");
        inTruncatedPkts = kernel.mib("IpExtInTruncatedPkts");
        inBcastPkts = kernel.mib("IpExtInBcastPkts");
        inOctets = kernel.mib("IpExtInOctets");
        outOctets = kernel.mib("IpExtOutOctets");
        inCsumErrors = kernel.mib("IpExtInCsumErrors");
        reasmOverlaps = kernel.mib("IpExtReasmOverlaps");
        inEcn[0] = kernel.mib("IpExtInNoECTPkts");
        inEcn[1] = kernel.mib("IpExtInECT1Pkts");
        inEcn[2] = kernel.mib("IpExtInECT0Pkts");
        inEcn[3] = kernel.mib("IpExtInCEPkts");
        rcvCost = kernel.costStage("ip_rcv");
        outputCost = kernel.costStage("ip_output");
        forwardCost = kernel.costStage("ip_forward");
        frag = new IpFrag(this);
    }

    // ---- devices and addresses (devinet.c) -------------------------------------------------

    /** Learns the host's devices; called at boot when the devices exist. */
    void devicesUp() {
        int max = 0;
        for (NetDevice d : kernel.devices()) {
            max = Math.max(max, d.ifindex());
        }
        byIndex = new NetDevice[max + 1];
        ifaAddr = new int[max + 1][];
        ifaLen = new int[max + 1][];
        for (NetDevice d : kernel.devices()) {
            byIndex[d.ifindex()] = d;
            ifaAddr[d.ifindex()] = new int[0];
            ifaLen[d.ifindex()] = new int[0];
            if ((d.flags() & NetDevice.IFF_LOOPBACK) != 0 && loopback == null) {
                loopback = d;
            }
        }
        if (loopback != null) {
            inetInsertIfa(loopback, 0x7f000001, 8);
        }
    }

    NetDevice devByIndex(int ifindex) {
        return ifindex > 0 && ifindex < byIndex.length ? byIndex[ifindex] : null;
    }

    /** The addresses of {@code dev} ({@code in_dev->ifa_list}). */
    int[] addresses(NetDevice dev) {
        return ifaAddr[dev.ifindex()];
    }

    /**
     * {@code __inet_insert_ifa} with {@code fib_add_ifaddr}: adds the address and its
     * kernel routes (local and broadcast in the local table, the connected prefix in main).
     *
     * @return false if the device has the address already
     */
    boolean inetInsertIfa(NetDevice dev, int addr, int plen) {
        int i = dev.ifindex();
        for (int a : ifaAddr[i]) {
            if (a == addr) {
                return false;
            }
        }
        ifaAddr[i] = java.util.Arrays.copyOf(ifaAddr[i], ifaAddr[i].length + 1);
        ifaAddr[i][ifaAddr[i].length - 1] = addr;
        ifaLen[i] = java.util.Arrays.copyOf(ifaLen[i], ifaLen[i].length + 1);
        ifaLen[i][ifaLen[i].length - 1] = plen;
        int mask = InetAddr.mask(plen);
        int prefix = addr & mask;
        boolean lo = (dev.flags() & NetDevice.IFF_LOOPBACK) != 0;
        if (lo && plen < 32) {
            fib.insert(new FibAlias(FibAlias.RT_TABLE_LOCAL, prefix, plen, Rtable.RTN_LOCAL, 0, dev, "kernel",
                    FibAlias.RT_SCOPE_HOST, addr, 0));
        }
        fib.insert(new FibAlias(FibAlias.RT_TABLE_LOCAL, addr, 32, Rtable.RTN_LOCAL, 0, dev, "kernel",
                FibAlias.RT_SCOPE_HOST, addr, 0));
        if (!lo && plen < 32) {
            fib.insert(new FibAlias(FibAlias.RT_TABLE_MAIN, prefix, plen, Rtable.RTN_UNICAST, 0, dev, "kernel",
                    FibAlias.RT_SCOPE_LINK, addr, 0));
        }
        if (plen <= 30) {
            fib.insert(new FibAlias(FibAlias.RT_TABLE_LOCAL, prefix | ~mask, 32, Rtable.RTN_BROADCAST, 0, dev,
                    "kernel", FibAlias.RT_SCOPE_LINK, addr, 0));
        }
        return true;
    }

    @Override
    public int inetAddrType(int addr) {
        if (InetAddr.isMulticast(addr)) {
            return Rtable.RTN_MULTICAST;
        }
        if (InetAddr.isLbcast(addr) || InetAddr.isZeronet(addr) && addr == 0) {
            return Rtable.RTN_BROADCAST;
        }
        FibAlias fa = fib.lookup(addr, 0);
        if (fa != null && fa.table == FibAlias.RT_TABLE_LOCAL) {
            return fa.type;
        }
        return Rtable.RTN_UNICAST;
    }

    @Override
    public int inetSelectAddr(NetDevice dev, int dst) {
        boolean wantLoopback = InetAddr.isLoopback(dst);
        if (dev != null) {
            int[] a = ifaAddr[dev.ifindex()];
            int[] l = ifaLen[dev.ifindex()];
            int first = 0;
            for (int i = 0; i < a.length; i++) {
                if (!wantLoopback && InetAddr.isLoopback(a[i])) {
                    continue;
                }
                if (dst == 0 || ((a[i] ^ dst) & InetAddr.mask(l[i])) == 0) {
                    return a[i];
                }
                if (first == 0) {
                    first = a[i];
                }
            }
            if (first != 0) {
                return first;
            }
        }
        for (NetDevice d : byIndex) {
            if (d == null) {
                continue;
            }
            for (int a : ifaAddr[d.ifindex()]) {
                if (wantLoopback || !InetAddr.isLoopback(a)) {
                    return a;
                }
            }
        }
        return 0;
    }

    // ---- route output (route.c) ------------------------------------------------------------

    @Override
    public int ipRouteOutputKey(Flowi4 fl, Rtable rt) {
        rt.gateway = 0;
        if (fl.daddr == 0) {
            // ip_route_output_key_hash_rcu: no destination means this host
            if (fl.saddr == 0) {
                fl.saddr = 0x7f000001;
            }
            fl.daddr = fl.saddr;
            return localRoute(fl, rt, 0);
        }
        NetDevice oif = fl.oif != 0 ? devByIndex(fl.oif) : null;
        if (InetAddr.isLbcast(fl.daddr) && oif != null) {
            rt.rtType = Rtable.RTN_BROADCAST;
            rt.dev = oif;
            rt.mtu = oif.mtu();
            if (fl.saddr == 0) {
                fl.saddr = inetSelectAddr(oif, 0);
            }
            rt.prefsrc = fl.saddr;
            return 0;
        }
        FibAlias fa = fib.lookup(fl.daddr, fl.oif);
        if (fa == null) {
            return -ENETUNREACH;
        }
        if (fa.type == Rtable.RTN_LOCAL) {
            return localRoute(fl, rt, fa.prefsrc);
        }
        rt.rtType = fa.type;
        rt.dev = fa.dev;
        rt.gateway = fa.gateway;
        int mtu = fa.mtu != 0 ? fa.mtu : fa.dev.mtu();
        rt.mtu = pmtu.mtu(fl.daddr, mtu, kernel.ktimeGetNs());
        if (fl.saddr == 0) {
            fl.saddr = fa.prefsrc != 0 ? fa.prefsrc : inetSelectAddr(fa.dev, fa.gateway != 0 ? fa.gateway : fl.daddr);
        }
        rt.prefsrc = fl.saddr;
        return 0;
    }

    private int localRoute(Flowi4 fl, Rtable rt, int prefsrc) {
        if (loopback == null) {
            return -ENETUNREACH;
        }
        rt.rtType = Rtable.RTN_LOCAL;
        rt.dev = loopback;
        rt.mtu = loopback.mtu();
        if (fl.saddr == 0) {
            fl.saddr = prefsrc != 0 ? prefsrc : fl.daddr;
        }
        rt.prefsrc = fl.saddr;
        return 0;
    }

    /**
     * {@code __ip_rt_update_pmtu}: learns a smaller path MTU towards {@code daddr} from an
     * ICMP "fragmentation needed", at least {@code ip_rt_min_pmtu}, for
     * {@code ip_rt_mtu_expires}.
     */
    void ipRtUpdatePmtu(int daddr, int mtu) {
        FibAlias fa = fib.lookup(daddr, 0);
        if (fa == null || fa.type != Rtable.RTN_UNICAST) {
            return;
        }
        long now = kernel.ktimeGetNs();
        int old = pmtu.mtu(daddr, fa.mtu != 0 ? fa.mtu : fa.dev.mtu(), now);
        if (old < mtu) {
            return;
        }
        int min = sysctl.getInt("net.ipv4.route.min_pmtu");
        if (mtu < min) {
            mtu = Math.min(old, min);
        }
        pmtu.update(daddr, mtu, now + sysctl.getLong("net.ipv4.route.mtu_expires") * 1_000_000_000L);
    }

    // ---- receive (ip_input.c) --------------------------------------------------------------

    @Override
    public int type() {
        return IfEther.ETH_P_IP;
    }

    /** {@code ip_rcv} and {@code ip_rcv_core}: header checks, then NF PRE_ROUTING. */
    @Override
    public int func(SkBuff skb, NetDevice dev, NetDevice origDev) {
        kernel.charge(rcvCost, skb.len());
        if (skb.pktType() == SkBuff.PACKET_OTHERHOST) {
            kernel.kfreeSkbReason(skb, SkbDropReason.OTHERHOST);
            return NetRx.NET_RX_DROP;
        }
        inReceives.inc();
        inOctets.add(skb.len());
        SkbDropReason reason = SkbDropReason.NOT_SPECIFIED;
        int nh = skb.data();
        skb.setNetworkHeader(nh);
        if (!skb.mayPull(20)) {
            return inhdrError(skb, reason);
        }
        int vihl = skb.getU8(nh);
        int ihl = vihl & 0xf;
        if (ihl < 5 || (vihl >>> 4) != 4) {
            return inhdrError(skb, reason);
        }
        inEcn[skb.getU8(nh + 1) & 3].inc();
        if (!skb.mayPull(ihl * 4)) {
            return inhdrError(skb, reason);
        }
        if (Checksum.ipFastCsum(skb.head(), nh, ihl) != 0) {
            inCsumErrors.inc();
            return inhdrError(skb, SkbDropReason.IP_CSUM);
        }
        int len = skb.getU16(nh + 2);
        if (skb.len() < len) {
            inTruncatedPkts.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_SMALL);
            return NetRx.NET_RX_DROP;
        } else if (len < ihl * 4) {
            return inhdrError(skb, reason);
        }
        skb.trim(len); // pskb_trim_rcsum
        skb.orphan();  // the sender's socket is no longer charged, as ip_rcv_core does
        if (skb.ipSummed() == SkBuff.CHECKSUM_COMPLETE) {
            skb.setIpSummed(SkBuff.CHECKSUM_NONE);
        }
        skb.setTransportHeader(nh + ihl * 4);
        skb.cb0 = 0;
        skb.cb1 = 0;
        skb.cb2 = 0;
        int rc = kernel.nfHook(NfInetHooks.NF_INET_PRE_ROUTING, skb, dev, null, rcvFinish);
        return rc < 0 ? NetRx.NET_RX_DROP : NetRx.NET_RX_SUCCESS;
    }

    private int inhdrError(SkBuff skb, SkbDropReason reason) {
        inHdrErrors.inc();
        kernel.kfreeSkbReason(skb, reason == SkbDropReason.NOT_SPECIFIED ? SkbDropReason.IP_INHDR : reason);
        return NetRx.NET_RX_DROP;
    }

    /** {@code ip_rcv_finish}: route input ({@code ip_route_input_noref}), then {@code dst_input}. */
    private int ipRcvFinish(SkBuff skb) {
        int nh = skb.networkHeader();
        int saddr = skb.getU32(nh + 12);
        int daddr = skb.getU32(nh + 16);
        SkbDropReason reason = ipRouteInput(skb, daddr, saddr, skb.dev());
        if (reason != null) {
            kernel.kfreeSkbReason(skb, reason);
            return -EINVAL;
        }
        int flags = (int) skb.cb0;
        if ((flags & RTCF_BROADCAST) != 0) {
            inBcastPkts.inc();
        }
        return switch (flags & 0xff) {
            case Rtable.RTN_LOCAL, Rtable.RTN_BROADCAST -> ipLocalDeliver(skb);
            case Rtable.RTN_UNICAST -> ipForward(skb);
            default -> ipError(skb);
        };
    }

    /**
     * {@code ip_route_input_slow}: martian checks, the FIB lookup, and the decision between
     * local delivery, broadcast, forwarding and {@code ip_error}. Stores the result in
     * {@code cb0}/{@code cb1}.
     *
     * @return null, or the drop reason of a martian
     */
    SkbDropReason ipRouteInput(SkBuff skb, int daddr, int saddr, NetDevice dev) {
        boolean lo = (dev.flags() & NetDevice.IFF_LOOPBACK) != 0;
        if (!lo) {
            if (InetAddr.isMulticast(saddr) || InetAddr.isLbcast(saddr)) {
                return SkbDropReason.IP_INVALID_SOURCE;
            }
            if (InetAddr.isLbcast(daddr) || (saddr == 0 && daddr == 0)) {
                setDst(skb, Rtable.RTN_BROADCAST | RTCF_BROADCAST | RTCF_LOCAL | RTCF_INPUT, loopback, 0, 0);
                return null;
            }
            if (InetAddr.isZeronet(saddr)) {
                return SkbDropReason.IP_INVALID_SOURCE;
            }
            if (InetAddr.isZeronet(daddr) || InetAddr.isLoopback(daddr)) {
                return SkbDropReason.IP_INVALID_DEST;
            }
            if (InetAddr.isLoopback(saddr)) {
                return SkbDropReason.IP_INVALID_SOURCE;
            }
            if (InetAddr.isMulticast(daddr)) {
                return SkbDropReason.IP_INVALID_DEST;
            }
        }
        boolean forwarding = sysctl.getLong("net.ipv4.ip_forward") != 0;
        FibAlias fa = fib.lookup(daddr, 0);
        if (fa == null) {
            setDst(skb, Rtable.RTN_UNREACHABLE | RTCF_INPUT | ((forwarding ? ENETUNREACH : EHOSTUNREACH) << ERR_SHIFT),
                    null, 0, 0);
            return null;
        }
        if (fa.type == Rtable.RTN_BROADCAST) {
            setDst(skb, Rtable.RTN_BROADCAST | RTCF_BROADCAST | RTCF_LOCAL | RTCF_INPUT, loopback, 0, 0);
            return null;
        }
        if (fa.type == Rtable.RTN_LOCAL) {
            setDst(skb, Rtable.RTN_LOCAL | RTCF_LOCAL | RTCF_INPUT, loopback, 0, 0);
            return null;
        }
        if (!forwarding) {
            setDst(skb, Rtable.RTN_UNREACHABLE | RTCF_INPUT | (EHOSTUNREACH << ERR_SHIFT), null, 0, 0);
            return null;
        }
        if (fa.type != Rtable.RTN_UNICAST) {
            return SkbDropReason.IP_INVALID_DEST;
        }
        int mtu = pmtu.mtu(daddr, fa.mtu != 0 ? fa.mtu : fa.dev.mtu(), kernel.ktimeGetNs());
        int flags = Rtable.RTN_UNICAST | RTCF_INPUT;
        // __mkroute_input: out the device it came in, from a sender on that link (send_redirects
        // and shared_media are on by default): tell the sender the better next hop
        if (fa.dev == dev && fib.onLink(saddr, dev) != null) {
            flags |= RTCF_DOREDIRECT;
        }
        setDst(skb, flags, fa.dev, fa.gateway != 0 ? fa.gateway : daddr, mtu);
        return null;
    }

    private static void setDst(SkBuff skb, int flags, NetDevice out, int nexthop, int mtu) {
        skb.cb0 = ((long) (out == null ? 0 : out.ifindex()) << 32) | (flags & 0xffffffffL);
        skb.cb1 = ((long) mtu << 32) | (nexthop & 0xffffffffL);
    }

    static int dstFlags(SkBuff skb) {
        return (int) skb.cb0;
    }

    NetDevice dstDev(SkBuff skb) {
        return devByIndex((int) (skb.cb0 >>> 32));
    }

    static int dstNexthop(SkBuff skb) {
        return (int) skb.cb1;
    }

    static int dstMtu(SkBuff skb) {
        return (int) (skb.cb1 >>> 32);
    }

    /** {@code ip_error}: a packet with no route; ICMP unreachable only when forwarding. */
    private int ipError(SkBuff skb) {
        int err = (dstFlags(skb) >>> ERR_SHIFT) & 0xff;
        SkbDropReason reason = SkbDropReason.NOT_SPECIFIED;
        if (sysctl.getLong("net.ipv4.ip_forward") == 0) {
            if (err == EHOSTUNREACH) {
                reason = SkbDropReason.IP_INADDRERRORS;
                inAddrErrors.inc();
            } else if (err == ENETUNREACH) {
                reason = SkbDropReason.IP_INNOROUTES;
                inNoRoutes.inc();
            }
        } else {
            int code = Icmp.ICMP_HOST_UNREACH;
            if (err == ENETUNREACH) {
                code = Icmp.ICMP_NET_UNREACH;
                reason = SkbDropReason.IP_INNOROUTES;
                inNoRoutes.inc();
            }
            if (ipErrorAllow(skb.getU32(skb.networkHeader() + 12))) {
                icmpSend(skb, Icmp.ICMP_DEST_UNREACH, code, 0);
            }
        }
        kernel.kfreeSkbReason(skb, reason);
        return 0;
    }

    /** {@code inet_peer} tokens of {@code ip_error}, per source, in milliseconds. */
    private final java.util.HashMap<Integer, long[]> errorPeers = new java.util.HashMap<>();

    /**
     * The token bucket of {@code ip_error}: {@code ip_rt_error_cost} (1 s) per message, at most
     * {@code ip_rt_error_burst} (5 s) saved; a new peer starts 60 s in the past.
     */
    private boolean ipErrorAllow(int saddr) {
        long now = kernel.ktimeGetNs() / 1_000_000L;
        long[] peer = errorPeers.computeIfAbsent(saddr, k -> new long[] {0, now - 60_000});
        peer[0] += now - peer[1];
        if (peer[0] > 5_000) {
            peer[0] = 5_000;
        }
        peer[1] = now;
        if (peer[0] >= 1_000) {
            peer[0] -= 1_000;
            return true;
        }
        return false;
    }

    /** {@code ip_local_deliver}: reassembles fragments, then NF LOCAL_IN. */
    int ipLocalDeliver(SkBuff skb) {
        int nh = skb.networkHeader();
        if ((skb.getU16(nh + 6) & (IP_MF | IP_OFFSET)) != 0) {
            skb = frag.ipDefrag(skb);
            if (skb == null) {
                return 0;
            }
        }
        return kernel.nfHook(NfInetHooks.NF_INET_LOCAL_IN, skb, skb.dev(), null, localDeliverFinish);
    }

    /** {@code ip_local_deliver_finish} and {@code ip_protocol_deliver_rcu}. */
    private int ipLocalDeliverFinish(SkBuff skb) {
        int nh = skb.networkHeader();
        int ihl = (skb.getU8(nh) & 0xf) * 4;
        skb.pull(nh + ihl - skb.data());
        skb.setTransportHeader(skb.data());
        int protocol = skb.getU8(nh + 9);
        NetProtocol ipprot = kernel.inetProtocol(protocol);
        if (ipprot != null) {
            ipprot.handler(skb);
            inDelivers.inc();
            return 0;
        }
        inUnknownProtos.inc();
        icmpSend(skb, Icmp.ICMP_DEST_UNREACH, Icmp.ICMP_PROT_UNREACH, 0);
        kernel.kfreeSkbReason(skb, SkbDropReason.IP_NOPROTO);
        return 0;
    }

    // ---- forwarding (ip_forward.c) ---------------------------------------------------------

    /** {@code ip_forward}: TTL, MTU with DF, {@code ip_decrease_ttl}, then NF FORWARD. */
    private int ipForward(SkBuff skb) {
        kernel.charge(forwardCost, skb.len());
        if (skb.pktType() != SkBuff.PACKET_HOST) {
            kernel.kfreeSkbReason(skb, SkbDropReason.OTHERHOST);
            return 0;
        }
        int nh = skb.networkHeader();
        if (skb.getU8(nh + 8) <= 1) {
            inHdrErrors.inc();
            icmpSend(skb, Icmp.ICMP_TIME_EXCEEDED, Icmp.ICMP_EXC_TTL, 0);
            kernel.kfreeSkbReason(skb, SkbDropReason.IP_INHDR);
            return 0;
        }
        // counted here since Linux 6.7 (before the MTU check and NF FORWARD), as ip_forward does
        forwDatagrams.inc();
        int mtu = dstMtu(skb);
        int totlen = skb.tail() - nh;
        if (totlen > mtu && (skb.getU16(nh + 6) & IP_DF) != 0) {
            fragFails.inc();
            icmpSend(skb, Icmp.ICMP_DEST_UNREACH, Icmp.ICMP_FRAG_NEEDED, mtu);
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_BIG);
            return 0;
        }
        // skb_cow: the data must be ours before the TTL is written
        if (skb.cloned()) {
            SkBuff copy = copySkb(skb);
            kernel.consumeSkb(skb);
            skb = copy;
            nh = skb.networkHeader();
        }
        ipDecreaseTtl(skb, nh);
        if ((dstFlags(skb) & RTCF_DOREDIRECT) != 0) {
            ipRtSendRedirect(skb);
        }
        return kernel.nfHook(NfInetHooks.NF_INET_FORWARD, skb, skb.dev(), dstDev(skb), forwardFinish);
    }

    /** {@code inet_peer} redirect state per source: {@code rate_last} (ms) and {@code n_redirects}. */
    private final java.util.HashMap<Integer, long[]> redirectPeers = new java.util.HashMap<>();

    /**
     * {@code ip_rt_send_redirect}: an ICMP redirect (host) to the sender, with the kernel's
     * back-off: after one, the next waits {@code ip_rt_redirect_load} (20 ms) shifted by the
     * number sent; after {@code ip_rt_redirect_number} (9) none until the sender was quiet for
     * {@code ip_rt_redirect_silence} (20.48 s).
     */
    private void ipRtSendRedirect(SkBuff skb) {
        long now = kernel.ktimeGetNs() / 1_000_000L;
        long[] peer = redirectPeers.computeIfAbsent(skb.getU32(skb.networkHeader() + 12),
                k -> new long[] {now - 60_000, 0});
        if (now > peer[0] + (20L << 10)) {
            peer[1] = 0;
        }
        if (peer[1] >= 9) {
            peer[0] = now;
            return;
        }
        if (peer[1] == 0 || now > peer[0] + (20L << peer[1])) {
            icmpSend(skb, Icmp.ICMP_REDIRECT, 1, dstNexthop(skb)); // ICMP_REDIR_HOST
            peer[0] = now;
            peer[1]++;
        }
    }

    /** {@code ip_decrease_ttl}: TTL minus one and the incremental checksum update of RFC 1624. */
    static void ipDecreaseTtl(SkBuff skb, int nh) {
        int check = skb.getU16(nh + 10);
        check += 0x0100;
        check = (check + (check >= 0xffff ? 1 : 0)) & 0xffff;
        skb.putU16(nh + 10, check);
        skb.putU8(nh + 8, skb.getU8(nh + 8) - 1);
    }

    /** {@code ip_forward_finish}: sends through {@code dst_output}. */
    private int ipForwardFinish(SkBuff skb) {
        return ipOutput(skb);
    }

    private SkBuff copySkb(SkBuff skb) {
        int nh = skb.networkHeader();
        int len = skb.tail() - nh;
        SkBuff n = kernel.allocSkb(MAX_HEADER + len);
        n.reserve(MAX_HEADER);
        int at = n.put(len);
        System.arraycopy(skb.head(), nh, n.head(), at, len);
        n.setNetworkHeader(at);
        n.setTransportHeader(at + (skb.transportHeader() - nh));
        n.setDev(skb.dev());
        n.setProtocol(skb.protocol());
        n.setPktType(skb.pktType());
        n.setSkbIif(skb.skbIif());
        n.setMark(skb.mark());
        n.cb0 = skb.cb0;
        n.cb1 = skb.cb1;
        n.cb2 = skb.cb2;
        return n;
    }

    // ---- output (ip_output.c) --------------------------------------------------------------

    @Override
    public int ipSendSkb(SkBuff skb, Rtable rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df,
            Object sk) {
        int nh = skb.push(20);
        skb.setNetworkHeader(nh);
        skb.putU8(nh, 0x45);
        skb.putU8(nh + 1, tos);
        skb.putU16(nh + 6, df ? IP_DF : 0);
        skb.putU8(nh + 8, ttl);
        skb.putU8(nh + 9, protocol);
        skb.putU32(nh + 12, saddr);
        skb.putU32(nh + 16, daddr);
        // ip_select_ident: DF packets of unconnected senders carry ID 0
        skb.putU16(nh + 4, df ? 0 : ipIdent(saddr, daddr, protocol));
        skb.setDev(rt.dev);
        if (sk != null && skb.sk() == null) {
            skb.setSk(sk);
        }
        setDst(skb, rt.rtType | (rt.rtType == Rtable.RTN_LOCAL ? RTCF_LOCAL : 0)
                | (rt.rtType == Rtable.RTN_BROADCAST ? RTCF_BROADCAST : 0), rt.dev, rt.nexthop(daddr), rt.mtu);
        skb.cb2 = 0;
        int err = ipLocalOut(skb);
        if (err != 0) {
            if (err > 0) {
                err = err == 2 ? 0 : -ENOBUFS; // net_xmit_errno: NET_XMIT_CN is no error
            }
            if (err != 0) {
                outDiscards.inc();
            }
        }
        return err;
    }

    /** {@code __ip_select_ident}: a per-destination counter ({@code ip_idents_reserve}). */
    private int ipIdent(int saddr, int daddr, int protocol) {
        int h = daddr * 0x9e3779b1 ^ Integer.rotateLeft(saddr, 13) * 0x85ebca6b ^ protocol * 0xc2b2ae35 ^ identKey;
        h ^= h >>> 15;
        int bucket = h & (idents.length - 1);
        long now = kernel.ktimeGetNs() / 1_000_000L; // jiffies at HZ=1000
        long old = identStamps[bucket];
        int delta = 0;
        if (old != now) {
            identStamps[bucket] = now;
            long span = now - old;
            if (span > 0) {
                delta = (int) kernel.random().nextLong(Math.min(span, Integer.MAX_VALUE));
            }
        }
        idents[bucket] += 1 + delta;
        return (idents[bucket] - 1) & 0xffff;
    }

    /** {@code __ip_local_out}: counts, sets length and checksum, NF LOCAL_OUT, {@code dst_output}. */
    private int ipLocalOut(SkBuff skb) {
        int nh = skb.networkHeader();
        outRequests.inc();
        skb.putU16(nh + 2, skb.tail() - nh);
        Checksum.ipSendCheck(skb.head(), nh);
        skb.setProtocol(IfEther.ETH_P_IP);
        return kernel.nfHook(NfInetHooks.NF_INET_LOCAL_OUT, skb, null, skb.dev(), dstOutput);
    }

    /** {@code ip_output}: NF POST_ROUTING, then {@code ip_finish_output}. */
    private int ipOutput(SkBuff skb) {
        kernel.charge(outputCost, skb.len());
        NetDevice dev = dstDev(skb);
        skb.setDev(dev);
        skb.setProtocol(IfEther.ETH_P_IP);
        return kernel.nfHook(NfInetHooks.NF_INET_POST_ROUTING, skb, null, dev, finishOutput);
    }

    /** {@code __ip_finish_output}: fragments a packet above the route's MTU. */
    private int ipFinishOutput(SkBuff skb) {
        int mtu = dstMtu(skb);
        int nh = skb.networkHeader();
        if (skb.tail() - nh > mtu) {
            return ipFragment(skb, mtu);
        }
        return ipFinishOutput2(skb);
    }

    /** {@code ip_finish_output2}: counts the transmit and hands the packet to the neighbour layer. */
    int ipFinishOutput2(SkBuff skb) {
        NetDevice dev = skb.dev();
        outTransmits.inc();
        outOctets.add(skb.len());
        Neigh4 neigh = Neigh4.of(kernel);
        int nexthop = dstNexthop(skb);
        if (neigh != null) {
            return neigh.output(skb, dev, nexthop);
        }
        if ((dev.flags() & NetDevice.IFF_LOOPBACK) != 0) {
            // no neighbour module: the loopback device needs no resolution
            int mac = skb.push(IfEther.ETH_HLEN);
            java.util.Arrays.fill(skb.head(), mac, mac + 12, (byte) 0);
            skb.putU16(mac + 12, IfEther.ETH_P_IP);
            skb.setMacHeader(mac);
            return kernel.devQueueXmit(skb);
        }
        kernel.kfreeSkbReason(skb, SkbDropReason.NEIGH_CREATEFAIL);
        return -EINVAL;
    }

    /**
     * {@code ip_fragment} and the slow path of {@code ip_do_fragment}: DF set gives
     * {@code -EMSGSIZE} (and an ICMP "fragmentation needed" for a forwarded packet); otherwise
     * the payload is cut into pieces of a multiple of 8 bytes that fit {@code mtu}, each sent
     * with its own header.
     */
    private int ipFragment(SkBuff skb, int mtu) {
        int nh = skb.networkHeader();
        int fragOff = skb.getU16(nh + 6);
        if ((fragOff & IP_DF) != 0) {
            fragFails.inc();
            if ((dstFlags(skb) & RTCF_INPUT) != 0) {
                icmpSend(skb, Icmp.ICMP_DEST_UNREACH, Icmp.ICMP_FRAG_NEEDED, mtu);
            }
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_BIG);
            return -EMSGSIZE;
        }
        int hlen = (skb.getU8(nh) & 0xf) * 4;
        int left = skb.tail() - nh - hlen;
        int room = mtu - hlen;
        if (room < 8) {
            fragFails.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_BIG);
            return -EINVAL;
        }
        int ptr = nh + hlen;
        int offset = (fragOff & IP_OFFSET) << 3;
        boolean notLastFrag = (fragOff & IP_MF) != 0;
        int err = 0;
        while (left > 0) {
            int len = Math.min(left, room);
            if (len < left) {
                len &= ~7;
            }
            SkBuff f = kernel.allocSkb(MAX_HEADER + hlen + len);
            f.reserve(MAX_HEADER);
            int fnh = f.put(hlen + len);
            System.arraycopy(skb.head(), nh, f.head(), fnh, hlen);
            System.arraycopy(skb.head(), ptr, f.head(), fnh + hlen, len);
            f.setNetworkHeader(fnh);
            f.setTransportHeader(fnh + hlen);
            f.setDev(skb.dev());
            f.setProtocol(skb.protocol());
            f.setMark(skb.mark());
            f.setPriority(skb.priority());
            f.cb0 = skb.cb0;
            f.cb1 = skb.cb1;
            f.cb2 = skb.cb2;
            left -= len;
            int off = (offset >> 3) | (fragOff & ~(IP_OFFSET | IP_MF));
            if (left > 0 || notLastFrag) {
                off |= IP_MF;
            }
            f.putU16(fnh + 6, off);
            f.putU16(fnh + 2, hlen + len);
            Checksum.ipSendCheck(f.head(), fnh);
            ptr += len;
            offset += len;
            fragCreates.inc();
            int e = ipFinishOutput2(f);
            if (e != 0 && err == 0 && e != 2) {
                err = e;
            }
        }
        if (err == 0) {
            fragOKs.inc();
        } else {
            fragFails.inc();
        }
        kernel.consumeSkb(skb);
        return err;
    }

    // ---- ICMP ------------------------------------------------------------------------------

    @Override
    public void icmpSend(SkBuff skbIn, int type, int code, int info) {
        if (icmp != null) {
            icmp.icmpSend(skbIn, type, code, info, icmpFl);
        }
    }

    /** The routes of the host. */
    public Fib fib() {
        return fib;
    }

    /** Devices of the host with their IPv4 addresses, for tests and tools. */
    public List<String> addressText() {
        List<String> out = new ArrayList<>();
        for (NetDevice d : byIndex) {
            if (d != null) {
                for (int i = 0; i < ifaAddr[d.ifindex()].length; i++) {
                    out.add(d.name() + " " + InetAddr.toString(ifaAddr[d.ifindex()][i]) + "/" + ifaLen[d.ifindex()][i]);
                }
            }
        }
        return out;
    }

    /**
     * The next-hop exceptions that hold a learned path MTU ({@code fib_nh_exception}), a small
     * array scanned linearly: a host has few.
     */
    static final class Pmtu {
        private int[] daddr = new int[8];
        private int[] mtu = new int[8];
        private long[] expires = new long[8];
        private int n;

        int mtu(int d, int routeMtu, long now) {
            for (int i = 0; i < n; i++) {
                if (daddr[i] == d) {
                    if (expires[i] <= now) {
                        remove(i);
                        return routeMtu;
                    }
                    return Math.min(mtu[i], routeMtu);
                }
            }
            return routeMtu;
        }

        void update(int d, int m, long exp) {
            for (int i = 0; i < n; i++) {
                if (daddr[i] == d) {
                    mtu[i] = m;
                    expires[i] = exp;
                    return;
                }
            }
            if (n == daddr.length) {
                daddr = java.util.Arrays.copyOf(daddr, n * 2);
                mtu = java.util.Arrays.copyOf(mtu, n * 2);
                expires = java.util.Arrays.copyOf(expires, n * 2);
            }
            daddr[n] = d;
            mtu[n] = m;
            expires[n] = exp;
            n++;
        }

        private void remove(int i) {
            n--;
            daddr[i] = daddr[n];
            mtu[i] = mtu[n];
            expires[i] = expires[n];
        }
    }
}
