package net.linuxnet.protocols.udp;

import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * A stand-in for the IPv4 module until it lands: one address on one Ethernet device, every
 * other destination on link behind one fixed MAC. Output pushes an IPv4 header (checksum
 * included) and an Ethernet header and calls {@code dev_queue_xmit}; input takes ETH_P_IP
 * frames for its address and hands them to the registered protocol, as {@code ip_rcv} and
 * {@code ip_local_deliver} would. Installed only on hosts without a real {@link Inet4}.
 */
final class VethInet4 implements Inet4, PacketType {
    final Kernel kernel;
    final int addr;
    final NetDevice dev;
    final byte[] peerMac;
    int ipId;
    /** ICMP errors asked for, by type << 8 | code of the last one. */
    int icmpSent;
    int lastIcmp;

    private VethInet4(Kernel kernel, NetDevice dev, int addr, byte[] peerMac) {
        this.kernel = kernel;
        this.dev = dev;
        this.addr = addr;
        this.peerMac = peerMac;
    }

    /** Installs the double on {@code kernel} unless it has a real IPv4 layer; returns it, or null. */
    static VethInet4 install(Kernel kernel, String devName, int addr, byte[] peerMac) {
        if (Inet4.of(kernel) != null) {
            return null;
        }
        VethInet4 d = new VethInet4(kernel, kernel.devGetByName(devName), addr, peerMac);
        kernel.setNetGeneric(Inet4.class, d);
        kernel.devAddPack(d);
        return d;
    }

    /**
     * Whether a real IPv4 module is on the class path (a pernet provider claims the devices'
     * {@code addresses}); the scenarios then give the devices their addresses and this double
     * stays out.
     */
    static boolean realIpv4() {
        return net.linuxnet.core.testing.TestWorlds.plugins().pernetProviders().stream()
                .anyMatch(p -> p.deviceKeys().contains("addresses"));
    }

    /** {@code , addresses = ["<addr>/24"]} for a device when the real IPv4 module is present, else nothing. */
    static String addresses(String addr) {
        return realIpv4() ? ", addresses = [\"" + addr + "/24\"]" : "";
    }

    static byte[] mac(int last) {
        return new byte[] {2, 0, 0, 0, 0, (byte) last};
    }

    @Override
    public int ipRouteOutputKey(net.linuxnet.protocols.inet.Flowi4 fl, Rtable rt) {
        rt.rtType = fl.daddr == addr ? Rtable.RTN_LOCAL : Rtable.RTN_UNICAST;
        rt.dev = dev;
        rt.gateway = 0;
        rt.prefsrc = addr;
        rt.mtu = dev.mtu();
        if (fl.saddr == 0) {
            fl.saddr = addr;
        }
        return 0;
    }

    @Override
    public int inetAddrType(int a) {
        return a == addr ? Rtable.RTN_LOCAL : Rtable.RTN_UNICAST;
    }

    @Override
    public int inetSelectAddr(NetDevice d, int dst) {
        return addr;
    }

    @Override
    public int ipSendSkb(SkBuff skb, Rtable rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df, Object sk) {
        int len = skb.len() + 20;
        int iph = skb.push(20);
        skb.resetNetworkHeader();
        skb.putU8(iph, 0x45);
        skb.putU8(iph + 1, tos);
        skb.putU16(iph + 2, len);
        skb.putU16(iph + 4, ipId++ & 0xffff);
        skb.putU16(iph + 6, df ? 0x4000 : 0);
        skb.putU8(iph + 8, ttl);
        skb.putU8(iph + 9, protocol);
        skb.putU16(iph + 10, 0);
        skb.putU32(iph + 12, saddr);
        skb.putU32(iph + 16, daddr);
        long sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += skb.getU16(iph + i);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        skb.putU16(iph + 10, (int) (~sum & 0xffff));
        int eth = skb.push(IfEther.ETH_HLEN);
        skb.resetMacHeader();
        skb.putBytes(eth, peerMac, 0, 6);
        skb.putBytes(eth + 6, dev.devAddr(), 0, 6);
        skb.putU16(eth + 12, IfEther.ETH_P_IP);
        skb.setDev(dev);
        skb.setProtocol(IfEther.ETH_P_IP);
        int rc = kernel.devQueueXmit(skb);
        if (rc < 0) {
            return rc;
        }
        return rc == NetXmit.NET_XMIT_SUCCESS ? 0 : -Errno.ENOBUFS;
    }

    @Override
    public void icmpSend(SkBuff skbIn, int type, int code, int info) {
        icmpSent++;
        lastIcmp = type << 8 | code;
    }

    // ---- PacketType: ip_rcv for our address ---------------------------------------------

    @Override
    public int type() {
        return IfEther.ETH_P_IP;
    }

    /** {@code icmp_rcv} in short: answers echo requests, hands echo replies to the ping sockets. */
    private int icmpRcv(SkBuff skb, int saddr) {
        int type = skb.getU8(skb.data());
        if (type == 8) {
            int len = skb.len();
            SkBuff r = kernel.allocSkb(MAX_HEADER + len);
            r.reserve(MAX_HEADER);
            int ic = r.put(len);
            r.putBytes(ic, skb.head(), skb.data(), len);
            r.putU8(ic, 0);
            r.putU16(ic + 2, 0);
            r.putU16(ic + 2, net.linuxnet.protocols.ping.PingTestAccess.csum(r.head(), ic, len));
            kernel.consumeSkb(skb);
            Rtable rt = new Rtable();
            ipRouteOutputKey(new net.linuxnet.protocols.inet.Flowi4().init(0, 0, 0, 1, saddr, addr, 0, 0), rt);
            ipSendSkb(r, rt, addr, saddr, 1, 0, 64, false, null);
            return 0;
        }
        net.linuxnet.protocols.inet.PingRcv ping = net.linuxnet.protocols.inet.PingRcv.of(kernel);
        if (type == 0 && ping != null && ping.pingRcv(skb)) {
            return 0;
        }
        kernel.consumeSkb(skb);
        return 0;
    }

    @Override
    public int func(SkBuff skb, NetDevice d, NetDevice origDev) {
        skb.orphan(); // ip_rcv_core: "Must drop socket now because of tproxy."
        skb.resetNetworkHeader();
        int iph = skb.data();
        int ihl = (skb.getU8(iph) & 0xf) * 4;
        int totLen = skb.getU16(iph + 2);
        int daddr = skb.getU32(iph + 16);
        if (daddr != addr) {
            kernel.kfreeSkbReason(skb, SkbDropReason.OTHERHOST);
            return 1;
        }
        skb.trim(totLen);
        skb.pull(ihl);
        skb.resetTransportHeader();
        if (skb.getU8(iph + 9) == 1) {
            return icmpRcv(skb, skb.getU32(iph + 12));
        }
        NetProtocol p = kernel.inetProtocol(skb.getU8(iph + 9));
        if (p == null) {
            kernel.kfreeSkbReason(skb, SkbDropReason.UNHANDLED_PROTO);
            return 1;
        }
        return p.handler(skb);
    }
}
