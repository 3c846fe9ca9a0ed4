package net.linuxnet.protocols.ipv4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Neigh4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * Worlds for the IPv4 tests: {@code a — r — b} joined by veth pairs, and the helpers to send
 * from, inject into and receive on their hosts. Until the ARP module is on the class path, a
 * {@link StaticNeigh} double stands in for {@link Neigh4}: a fixed table of next hop to MAC.
 */
final class Ipv4Worlds {
    private Ipv4Worlds() {
    }

    static final String MAC_A = "02:00:00:00:00:0a";
    static final String MAC_R0 = "02:00:00:00:01:00";
    static final String MAC_R1 = "02:00:00:00:01:01";
    static final String MAC_B = "02:00:00:00:00:0b";
    static final int A = 0x0a000101;
    static final int R0 = 0x0a0001fe;
    static final int R1 = 0x0a0002fe;
    static final int B = 0x0a000201;

    static String scenario(String extraR) {
        return """
                linuxnet {
                  run { duration = 1s, seed = 3 }
                  hosts {
                    a { devices { veth0 { driver = veth, peer = r.veth0, mac = "%s", addresses = ["10.0.1.1/24"] } }
                        routes = [ { dst = default, via = "10.0.1.254" } ] }
                    r { %s
                        devices { veth0 { driver = veth, mac = "%s", addresses = ["10.0.1.254/24"] }
                                  veth1 { driver = veth, peer = b.veth0, mac = "%s", addresses = ["10.0.2.254/24"] } } }
                    b { devices { veth0 { driver = veth, mac = "%s", addresses = ["10.0.2.1/24"] } }
                        routes = [ { dst = default, via = "10.0.2.254", dev = veth0 } ] }
                  }
                }
                """.formatted(MAC_A, extraR, MAC_R0, MAC_R1, MAC_B);
    }

    /** Builds the world and installs the neighbour double where no ARP module is present. */
    static World build(String scenario) {
        World w = TestWorlds.build(scenario);
        Map<Integer, byte[]> macs = new HashMap<>();
        macs.put(A, IfEther.parseMac(MAC_A));
        macs.put(R0, IfEther.parseMac(MAC_R0));
        macs.put(R1, IfEther.parseMac(MAC_R1));
        macs.put(B, IfEther.parseMac(MAC_B));
        for (Host h : w.hosts().values()) {
            if (Neigh4.of(h) == null) {
                h.setNetGeneric(Neigh4.class, new StaticNeigh(h, macs));
            }
        }
        return w;
    }

    /** A {@link Neigh4} with a fixed table: writes the Ethernet header and transmits. */
    static final class StaticNeigh implements Neigh4 {
        private final Kernel kernel;
        private final Map<Integer, byte[]> macs;

        StaticNeigh(Kernel kernel, Map<Integer, byte[]> macs) {
            this.kernel = kernel;
            this.macs = macs;
        }

        @Override
        public int output(SkBuff skb, NetDevice dev, int nexthop) {
            byte[] dst = (dev.flags() & NetDevice.IFF_LOOPBACK) != 0 ? new byte[6] : macs.get(nexthop);
            if (dst == null) {
                kernel.kfreeSkbReason(skb, SkbDropReason.NEIGH_FAILED);
                return -113;
            }
            int mac = skb.push(IfEther.ETH_HLEN);
            skb.putBytes(mac, dst, 0, 6);
            skb.putBytes(mac + 6, dev.devAddr(), 0, 6);
            skb.putU16(mac + 12, IfEther.ETH_P_IP);
            skb.setMacHeader(mac);
            skb.setDev(dev);
            return kernel.devQueueXmit(skb);
        }

        @Override
        public void inetaddrAdded(NetDevice dev, int addr) {
        }
    }

    /** Runs {@code fn} on {@code host} in softirq context at {@code timeNs}. */
    static void at(Host host, long timeNs, Consumer<Host> fn) {
        host.timerSetup(t -> fn.accept(host)).mod(timeNs);
    }

    /**
     * Sends {@code payload} from {@code host} to {@code daddr} with {@code protocol}, through
     * route lookup and {@code ipSendSkb}; returns the result.
     */
    static int send(Host host, int daddr, int protocol, byte[] payload, int ttl, boolean df) {
        Inet4 ip = Inet4.of(host);
        Flowi4 fl = new Flowi4().init(0, 0, 0, protocol, daddr, 0, 0, 0);
        Rtable rt = new Rtable();
        int err = ip.ipRouteOutputKey(fl, rt);
        if (err != 0) {
            return err;
        }
        SkBuff skb = host.allocSkb(Inet4.MAX_HEADER + payload.length);
        skb.reserve(Inet4.MAX_HEADER);
        int t = skb.put(payload.length);
        skb.putBytes(t, payload, 0, payload.length);
        skb.setTransportHeader(t);
        return ip.ipSendSkb(skb, rt, fl.saddr, daddr, protocol, 0, ttl, df, null);
    }

    /** An ICMP echo request with {@code len} bytes of data, checksummed. */
    static byte[] echoRequest(int id, int seq, int len) {
        byte[] p = new byte[8 + len];
        p[0] = 8;
        p[4] = (byte) (id >> 8);
        p[5] = (byte) id;
        p[6] = (byte) (seq >> 8);
        p[7] = (byte) seq;
        for (int i = 0; i < len; i++) {
            p[8 + i] = (byte) i;
        }
        int c = csum(p, 0, p.length);
        p[2] = (byte) (c >> 8);
        p[3] = (byte) c;
        return p;
    }

    static int csum(byte[] p, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((p[off + i] & 0xff) << 8) | (p[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (p[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * An Ethernet frame to {@code dstMac} holding an IPv4 header (checksummed) and
     * {@code payload}; {@code fragOff} is the frag_off field.
     */
    static byte[] ipFrame(String dstMac, int saddr, int daddr, int protocol, int id, int fragOff, int ttl, byte[] payload) {
        byte[] f = new byte[14 + 20 + payload.length];
        System.arraycopy(IfEther.parseMac(dstMac), 0, f, 0, 6);
        System.arraycopy(IfEther.parseMac("02:00:00:00:00:99"), 0, f, 6, 6);
        f[12] = 0x08;
        int n = 14;
        f[n] = 0x45;
        int tot = 20 + payload.length;
        f[n + 2] = (byte) (tot >> 8);
        f[n + 3] = (byte) tot;
        f[n + 4] = (byte) (id >> 8);
        f[n + 5] = (byte) id;
        f[n + 6] = (byte) (fragOff >> 8);
        f[n + 7] = (byte) fragOff;
        f[n + 8] = (byte) ttl;
        f[n + 9] = (byte) protocol;
        for (int i = 0; i < 4; i++) {
            f[n + 12 + i] = (byte) (saddr >>> (24 - 8 * i));
            f[n + 16 + i] = (byte) (daddr >>> (24 - 8 * i));
        }
        int c = csum(f, n, 20);
        f[n + 10] = (byte) (c >> 8);
        f[n + 11] = (byte) c;
        System.arraycopy(payload, 0, f, 34, payload.length);
        return f;
    }

    /** Receives {@code frame} on {@code dev} of {@code host} as a driver would ({@code netif_rx}). */
    static void inject(Host host, String dev, byte[] frame) {
        NetDevice d = host.devGetByName(dev);
        SkBuff skb = host.netdevAllocSkb(d, frame.length);
        int at = skb.put(frame.length);
        skb.putBytes(at, frame, 0, frame.length);
        skb.setProtocol(host.ethTypeTrans(skb, d));
        host.netifRx(skb);
    }

    /** A protocol handler (253 by default) that records what it received. */
    static final class Sink implements NetProtocol {
        final int protocol;
        final Kernel kernel;
        final List<byte[]> received = new ArrayList<>();
        final List<Integer> errors = new ArrayList<>();

        Sink(Kernel kernel, int protocol) {
            this.kernel = kernel;
            this.protocol = protocol;
        }

        @Override
        public int protocol() {
            return protocol;
        }

        @Override
        public int handler(SkBuff skb) {
            received.add(skb.toByteArray());
            kernel.consumeSkb(skb);
            return 0;
        }

        @Override
        public int errHandler(SkBuff skb, int info) {
            errors.add(info);
            return 0;
        }
    }

    static long mib(Host h, String name) {
        return h.mib(name).get();
    }
}
