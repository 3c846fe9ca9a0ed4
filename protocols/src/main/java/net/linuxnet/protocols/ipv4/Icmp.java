package net.linuxnet.protocols.ipv4;

import net.linuxnet.api.net.Checksum;
import java.util.HashMap;
import java.util.Map;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.PingRcv;
import net.linuxnet.protocols.inet.Rtable;

/**
 * ICMP for IPv4, as {@code net/ipv4/icmp.c}: the receive handler for protocol 1
 * ({@code icmp_rcv}: echo requests answered by {@code icmp_echo}, echo replies to the ping
 * sockets, errors to the transport protocol's {@code err_handler} as
 * {@code icmp_socket_deliver} does, with the path MTU learned from "fragmentation needed"),
 * and {@code __icmp_send} with its rules and rate limits: never about an ICMP error, a
 * fragment other than the first, a broadcast or a packet not addressed to this host's MAC;
 * {@code icmp_msgs_per_sec}/{@code icmp_msgs_burst} globally ({@code icmp_global_allow}) and
 * {@code icmp_ratelimit} per destination ({@code inet_peer_xrlim_allow}) for the types in
 * {@code icmp_ratemask}.
 */
public final class Icmp implements NetProtocol {
    public static final int ICMP_ECHOREPLY = 0;
    public static final int ICMP_DEST_UNREACH = 3;
    public static final int ICMP_REDIRECT = 5;
    public static final int ICMP_ECHO = 8;
    public static final int ICMP_TIME_EXCEEDED = 11;
    public static final int ICMP_TIMESTAMP = 13;
    public static final int ICMP_TIMESTAMPREPLY = 14;
    public static final int ICMP_PARAMETERPROB = 12;
    public static final int NR_ICMP_TYPES = 18;
    public static final int ICMP_NET_UNREACH = 0;
    public static final int ICMP_HOST_UNREACH = 1;
    public static final int ICMP_PROT_UNREACH = 2;
    public static final int ICMP_PORT_UNREACH = 3;
    public static final int ICMP_FRAG_NEEDED = 4;
    public static final int ICMP_EXC_TTL = 0;
    public static final int ICMP_EXC_FRAGTIME = 1;
    private static final int NR_ICMP_UNREACH = 15;
    private static final int XRLIM_BURST_FACTOR = 6;

    private final Ipv4 ip;
    private final Kernel kernel;
    private final Rtable rt = new Rtable();
    private final Flowi4 echoFl = new Flowi4();
    private final MibCounter inMsgs;
    private final MibCounter inErrors;
    private final MibCounter inCsumErrors;
    private final MibCounter outMsgs;
    private final MibCounter outRateLimitGlobal;
    private final MibCounter outRateLimitHost;
    private final MibCounter[] inType = new MibCounter[256];
    private final MibCounter[] outType = new MibCounter[256];
    /** The {@code /proc/net/snmp} per-type counters ({@code IcmpInEchos}), made on first use. */
    private final MibCounter[] inSnmp = new MibCounter[19];
    private final MibCounter[] outSnmp = new MibCounter[19];
    private final CostStage cost;
    private int globalCredit;
    private long globalStamp = Long.MIN_VALUE / 2;
    private final Map<Integer, long[]> peers = new HashMap<>();

    public Icmp(Ipv4 ip) {
        this.ip = ip;
        this.kernel = ip.kernel;
        inMsgs = kernel.mib("IcmpInMsgs");
        inErrors = kernel.mib("IcmpInErrors");
        inCsumErrors = kernel.mib("IcmpInCsumErrors");
        outMsgs = kernel.mib("IcmpOutMsgs");
        outRateLimitGlobal = kernel.mib("IcmpOutRateLimitGlobal");
        outRateLimitHost = kernel.mib("IcmpOutRateLimitHost");
        cost = kernel.costStage("icmp_rcv");
        ip.icmp = this;
    }

    @Override
    public int protocol() {
        return Ipv4.IPPROTO_ICMP;
    }

    private static final String[] SNMP_NAMES = new String[19];

    static {
        SNMP_NAMES[0] = "EchoReps";
        SNMP_NAMES[3] = "DestUnreachs";
        SNMP_NAMES[4] = "SrcQuenchs";
        SNMP_NAMES[5] = "Redirects";
        SNMP_NAMES[8] = "Echos";
        SNMP_NAMES[11] = "TimeExcds";
        SNMP_NAMES[12] = "ParmProbs";
        SNMP_NAMES[13] = "Timestamps";
        SNMP_NAMES[14] = "TimestampReps";
        SNMP_NAMES[17] = "AddrMasks";
        SNMP_NAMES[18] = "AddrMaskReps";
    }

    /** {@code ICMPMSGIN_INC_STATS}: {@code IcmpMsgInTypeN} and the {@code Icmp} per-type counter. */
    private void countIn(int type) {
        if (inType[type] == null) {
            inType[type] = kernel.mib("IcmpMsgInType" + type);
        }
        inType[type].inc();
        if (type < SNMP_NAMES.length && SNMP_NAMES[type] != null) {
            if (inSnmp[type] == null) {
                inSnmp[type] = kernel.mib("IcmpIn" + SNMP_NAMES[type]);
            }
            inSnmp[type].inc();
        }
    }

    /** {@code icmp_out_count}. */
    private void countOut(int type) {
        if (outType[type] == null) {
            outType[type] = kernel.mib("IcmpMsgOutType" + type);
        }
        outType[type].inc();
        outMsgs.inc();
        if (type < SNMP_NAMES.length && SNMP_NAMES[type] != null) {
            if (outSnmp[type] == null) {
                outSnmp[type] = kernel.mib("IcmpOut" + SNMP_NAMES[type]);
            }
            outSnmp[type].inc();
        }
    }

    /** {@code icmp_rcv}: {@code skb.data()} at the ICMP header. */
    @Override
    public int handler(SkBuff skb) {
        kernel.charge(cost, skb.len());
        inMsgs.inc();
        int t = skb.data();
        if (skb.len() < 8) {
            inErrors.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_SMALL);
            return 0;
        }
        if (Checksum.csumFold(Checksum.csumPartial(skb.head(), t, skb.len(), 0)) != 0) {
            inCsumErrors.inc();
            inErrors.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.ICMP_CSUM);
            return 0;
        }
        int type = skb.getU8(t);
        countIn(type);
        if (type > NR_ICMP_TYPES) {
            inErrors.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.UNHANDLED_PROTO);
            return 0;
        }
        if ((Ipv4.dstFlags(skb) & Ipv4.RTCF_BROADCAST) != 0) {
            if (type == ICMP_ECHO && kernel.sysctl().getLong("net.ipv4.icmp_echo_ignore_broadcasts") != 0
                    || type != ICMP_ECHO && type != 13 && type != 17 && type != 18) {
                inErrors.inc();
                kernel.kfreeSkbReason(skb, SkbDropReason.INVALID_PROTO);
                return 0;
            }
        }
        switch (type) {
            case ICMP_ECHOREPLY -> {
                PingRcv ping = PingRcv.of(kernel);
                if (ping == null || !ping.pingRcv(skb)) {
                    kernel.kfreeSkbReason(skb, SkbDropReason.NO_SOCKET);
                }
                return 0;
            }
            case ICMP_ECHO -> icmpEcho(skb);
            case ICMP_TIMESTAMP -> {
                if (skb.len() < 8 + 4) {
                    inErrors.inc();
                    kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_SMALL);
                    return 0;
                }
                icmpTimestamp(skb);
            }
            case ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED, ICMP_PARAMETERPROB, ICMP_REDIRECT -> {
                SkbDropReason r = icmpUnreach(skb, type);
                if (r != null) {
                    kernel.kfreeSkbReason(skb, r);
                    return 0;
                }
            }
            default -> {
            }
        }
        kernel.consumeSkb(skb);
        return 0;
    }

    /** {@code icmp_echo} and {@code icmp_reply}: the data comes back in an echo reply. */
    private void icmpEcho(SkBuff skb) {
        if (kernel.sysctl().getLong("net.ipv4.icmp_echo_ignore_all") != 0) {
            return;
        }
        int nh = skb.networkHeader();
        int saddr = skb.getU32(nh + 16);
        int daddr = skb.getU32(nh + 12);
        if ((Ipv4.dstFlags(skb) & Ipv4.RTCF_BROADCAST) != 0) {
            saddr = 0;
        }
        Flowi4 fl = echoFl.init(0, skb.mark(), skb.getU8(nh + 1), Ipv4.IPPROTO_ICMP, daddr, saddr, 0, 0);
        if (ip.ipRouteOutputKey(fl, rt) != 0) {
            return;
        }
        int len = skb.len();
        SkBuff r = kernel.allocSkb(Ipv4.MAX_HEADER + len);
        r.reserve(Ipv4.MAX_HEADER);
        int t = r.put(len);
        System.arraycopy(skb.head(), skb.data(), r.head(), t, len);
        r.putU8(t, ICMP_ECHOREPLY);
        r.putU16(t + 2, 0);
        r.putU16(t + 2, Checksum.csumFold(Checksum.csumPartial(r.head(), t, len, 0)));
        r.setTransportHeader(t);
        countOut(ICMP_ECHOREPLY);
        ip.ipSendSkb(r, rt, fl.saddr, daddr, Ipv4.IPPROTO_ICMP, skb.getU8(nh + 1),
                kernel.sysctl().getInt("net.ipv4.ip_default_ttl"), false, null);
    }

    /**
     * {@code icmp_timestamp}: a timestamp reply with the originate time copied and the
     * receive and transmit times as milliseconds since midnight UTC
     * ({@code inet_current_timestamp}) of simulated time.
     */
    private void icmpTimestamp(SkBuff skb) {
        int nh = skb.networkHeader();
        int saddr = skb.getU32(nh + 16);
        int daddr = skb.getU32(nh + 12);
        if ((Ipv4.dstFlags(skb) & Ipv4.RTCF_BROADCAST) != 0) {
            saddr = 0;
        }
        Flowi4 fl = echoFl.init(0, skb.mark(), skb.getU8(nh + 1), Ipv4.IPPROTO_ICMP, daddr, saddr, 0, 0);
        if (ip.ipRouteOutputKey(fl, rt) != 0) {
            return;
        }
        int now = (int) ((kernel.ktimeGetNs() / 1_000_000L) % 86_400_000L);
        SkBuff r = kernel.allocSkb(Ipv4.MAX_HEADER + 20);
        r.reserve(Ipv4.MAX_HEADER);
        int t = r.put(20);
        int q = skb.data();
        r.putU8(t, ICMP_TIMESTAMPREPLY);
        r.putU8(t + 1, 0);
        r.putU16(t + 2, 0);
        r.putU32(t + 4, skb.getU32(q + 4));
        r.putU32(t + 8, skb.getU32(q + 8));
        r.putU32(t + 12, now);
        r.putU32(t + 16, now);
        r.putU16(t + 2, Checksum.csumFold(Checksum.csumPartial(r.head(), t, 20, 0)));
        r.setTransportHeader(t);
        countOut(ICMP_TIMESTAMPREPLY);
        ip.ipSendSkb(r, rt, fl.saddr, daddr, Ipv4.IPPROTO_ICMP, skb.getU8(nh + 1),
                kernel.sysctl().getInt("net.ipv4.ip_default_ttl"), false, null);
    }

    /**
     * {@code icmp_unreach} (and {@code icmp_redirect}): learns the path MTU and tells the
     * transport protocol. Source quench is discarded, as {@code icmp_discard} does since RFC 6633.
     */
    private SkbDropReason icmpUnreach(SkBuff skb, int type) {
        int t = skb.data();
        int code = skb.getU8(t + 1);
        int info = 0;
        if (!skb.mayPull(8 + 20)) {
            inErrors.inc();
            return SkbDropReason.PKT_TOO_SMALL;
        }
        int iph = t + 8;
        int ihl = (skb.getU8(iph) & 0xf) * 4;
        if (ihl < 20) {
            inErrors.inc();
            return SkbDropReason.IP_INHDR;
        }
        if (type == ICMP_DEST_UNREACH) {
            if ((code & 15) == ICMP_FRAG_NEEDED) {
                long noPmtu = kernel.sysctl().getLong("net.ipv4.ip_no_pmtu_disc");
                if (noPmtu == 2) {
                    return null;
                }
                if (noPmtu == 0) {
                    info = skb.getU16(t + 6);
                    ip.ipRtUpdatePmtu(skb.getU32(iph + 16), info);
                }
            }
            if (code > NR_ICMP_UNREACH) {
                return null;
            }
        } else if (type == ICMP_REDIRECT) {
            // icmp_redirect: codes net, host, tos-net, tos-host; the new gateway as info
            if (code > 3) {
                return null;
            }
            info = skb.getU32(t + 4);
        } else if (type == ICMP_PARAMETERPROB) {
            info = skb.getU8(t + 4);
        } else if (type == ICMP_TIME_EXCEEDED && code == ICMP_EXC_FRAGTIME) {
            return null;
        }
        if (!skb.mayPull(8 + ihl + 8)) {
            return null;
        }
        // icmp_socket_deliver: data at the embedded IP header
        NetProtocol prot = kernel.inetProtocol(skb.getU8(iph + 9));
        if (prot != null) {
            int saved = skb.data();
            skb.pull(8);
            prot.errHandler(skb, info);
            skb.push(skb.data() - saved);
        }
        return null;
    }

    /** {@code __icmp_send}; {@code fl} is the caller's scratch flow. */
    void icmpSend(SkBuff skbIn, int type, int code, int info, Flowi4 fl) {
        int nh = skbIn.networkHeader();
        if (nh == SkBuff.NO_HEADER || nh < 0 || nh + 20 > skbIn.tail()) {
            return;
        }
        if (skbIn.pktType() != SkBuff.PACKET_HOST) {
            return;
        }
        int daddrIn = skbIn.getU32(nh + 16);
        int saddrIn = skbIn.getU32(nh + 12);
        int addrType = ip.inetAddrType(daddrIn);
        if (addrType == Rtable.RTN_BROADCAST || addrType == Rtable.RTN_MULTICAST) {
            return;
        }
        if ((skbIn.getU16(nh + 6) & Ipv4.IP_OFFSET) != 0) {
            return;
        }
        boolean error = isError(type);
        if (error && skbIn.getU8(nh + 9) == Ipv4.IPPROTO_ICMP) {
            int ihl = (skbIn.getU8(nh) & 0xf) * 4;
            if (nh + ihl >= skbIn.tail()) {
                return;
            }
            int inner = skbIn.getU8(nh + ihl);
            if (inner > NR_ICMP_TYPES || isError(inner)) {
                return;
            }
        }
        NetDevice inDev = skbIn.dev();
        boolean loop = inDev != null && (inDev.flags() & NetDevice.IFF_LOOPBACK) != 0;
        boolean masked = maskAllow(type, code);
        if (!loop && !masked && !icmpGlobalAllow()) {
            outRateLimitGlobal.inc();
            return;
        }
        int saddr = addrType == Rtable.RTN_LOCAL ? daddrIn : 0;
        int tos = error ? (skbIn.getU8(nh + 1) & 0x1e) | 0xc0 : skbIn.getU8(nh + 1);
        fl.init(0, skbIn.mark(), tos, Ipv4.IPPROTO_ICMP, saddrIn, saddr, 0, 0);
        if (ip.ipRouteOutputKey(fl, rt) != 0) {
            return;
        }
        if (!masked && (rt.dev.flags() & NetDevice.IFF_LOOPBACK) == 0) {
            if (!xrlimAllow(saddrIn)) {
                outRateLimitHost.inc();
                return;
            }
            globalCredit -= (int) kernel.random().nextLong(3); // icmp_global_consume
        }
        int room = Math.min(rt.mtu, 576) - 20 - 8;
        if (room <= 20) {
            return;
        }
        int dataLen = Math.min(skbIn.tail() - nh, room);
        SkBuff skb = kernel.allocSkb(Ipv4.MAX_HEADER + 8 + dataLen);
        skb.reserve(Ipv4.MAX_HEADER);
        int t = skb.put(8 + dataLen);
        skb.putU8(t, type);
        skb.putU8(t + 1, code);
        skb.putU16(t + 2, 0);
        skb.putU32(t + 4, type == ICMP_PARAMETERPROB ? info << 24 : info);
        System.arraycopy(skbIn.head(), nh, skb.head(), t + 8, dataLen);
        skb.putU16(t + 2, Checksum.csumFold(Checksum.csumPartial(skb.head(), t, 8 + dataLen, 0)));
        skb.setTransportHeader(t);
        if (fl.saddr == 0) {
            fl.saddr = 0xc0000008; // INADDR_DUMMY
        }
        countOut(type);
        ip.ipSendSkb(skb, rt, fl.saddr, saddrIn, Ipv4.IPPROTO_ICMP, tos,
                kernel.sysctl().getInt("net.ipv4.ip_default_ttl"), false, null);
    }

    private static boolean isError(int type) {
        return type == ICMP_DEST_UNREACH || type == 4 || type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED
                || type == ICMP_PARAMETERPROB;
    }

    /** {@code icmpv4_mask_allow}: true when the type is not rate limited. */
    private boolean maskAllow(int type, int code) {
        if (type > NR_ICMP_TYPES) {
            return true;
        }
        if ((kernel.sysctl().getLong("net.ipv4.icmp_ratemask") & (1L << type)) == 0) {
            return true;
        }
        // Limit if icmp type is destination unreachable, fragmentation needed: no (PMTU discovery)
        return type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED;
    }

    /** {@code icmp_global_allow}, with jiffies in milliseconds. */
    private boolean icmpGlobalAllow() {
        if (globalCredit > 0) {
            return true;
        }
        long now = kernel.ktimeGetNs() / 1_000_000L;
        long delta = Math.min(now - globalStamp, 1000);
        if (delta < 1000 / 50) {
            return false;
        }
        long incr = kernel.sysctl().getLong("net.ipv4.icmp_msgs_per_sec") * delta / 1000;
        if (incr == 0) {
            return false;
        }
        globalStamp = now;
        globalCredit = (int) Math.min(globalCredit + incr, kernel.sysctl().getLong("net.ipv4.icmp_msgs_burst"));
        return true;
    }

    /** {@code inet_peer_xrlim_allow} on the peer of {@code daddr}. */
    private boolean xrlimAllow(int daddr) {
        long timeout = kernel.sysctl().getLong("net.ipv4.icmp_ratelimit");
        long now = kernel.ktimeGetNs() / 1_000_000L;
        long[] peer = peers.computeIfAbsent(daddr, k -> new long[] {0, now - 60_000});
        long token = peer[0];
        long delta = now - peer[1];
        if (delta != 0) {
            peer[1] = now;
            token = Math.min(token + delta, XRLIM_BURST_FACTOR * timeout);
        }
        boolean rc = false;
        if (token >= timeout) {
            token -= timeout;
            rc = true;
        }
        peer[0] = token;
        return rc;
    }
}
