package net.linuxnet.protocols.arp;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Neigh4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * Two hosts, {@code a} (10.0.0.1, 02:00:00:00:00:01) and {@code b} (10.0.0.2,
 * 02:00:00:00:00:02), joined by a veth pair {@code eth0}, with a receive tap on each. IPv4
 * configures the addresses and announces them with a gratuitous ARP at boot.
 */
final class ArpWorld {
    static final int A = 0x0a000001;
    static final int B = 0x0a000002;
    static final int SILENT = 0x0a000003;
    static final byte[] MAC_A = IfEther.parseMac("02:00:00:00:00:01");
    static final byte[] MAC_B = IfEther.parseMac("02:00:00:00:00:02");

    final World world;
    final Host a;
    final Host b;
    final Tap tapA;
    final Tap tapB;
    final List<Integer> results = new ArrayList<>();

    static String scenario(String hostAExtra, String hostBExtra) {
        return scenario(hostAExtra, hostBExtra, "");
    }

    static String scenario(String hostAExtra, String hostBExtra, String worldExtra) {
        return """
                linuxnet {
                  run { duration = 100s, seed = 7 }
                  hosts {
                    a { cpus = 1
                        devices { eth0 { driver = veth, peer = b.eth0, mac = "02:00:00:00:00:01", addresses = ["10.0.0.1/24"] } }
                        %s }
                    b { cpus = 1
                        devices { eth0 { driver = veth, mac = "02:00:00:00:00:02", addresses = ["10.0.0.2/24"] } }
                        %s }
                  }
                  %s
                }
                """.formatted(hostAExtra, hostBExtra, worldExtra);
    }

    ArpWorld() {
        this("", "");
    }

    ArpWorld(String hostAExtra, String hostBExtra) {
        this(hostAExtra, hostBExtra, "");
    }

    ArpWorld(String hostAExtra, String hostBExtra, String worldExtra) {
        world = TestWorlds.build(scenario(hostAExtra, hostBExtra, worldExtra));
        a = world.host("a");
        b = world.host("b");
        tapA = new Tap(a);
        tapB = new Tap(b);
        a.devAddPack(tapA);
        b.devAddPack(tapB);
    }

    NeighTable tbl(Host h) {
        return NeighTable.of(h);
    }

    Neighbour neigh(Host h, int addr) {
        return tbl(h).get(h.devGetByName("eth0"), addr);
    }

    /** At {@code timeNs}, {@code from} sends {@code ids.length} IPv4 packets to 10.0.0.99 through next hop {@code nexthop}. */
    void sendAt(Host from, long timeNs, int nexthop, int... ids) {
        from.timerSetup(t -> {
            for (int id : ids) {
                results.add(Neigh4.of(from).output(ipv4(from, id), from.devGetByName("eth0"), nexthop));
            }
        }).mod(timeNs);
    }

    /** A 48-byte IPv4 packet from this host's address to 10.0.0.99 whose IP ID is {@code id}. */
    static SkBuff ipv4(Host h, int id) {
        SkBuff skb = h.allocSkb(Inet4.MAX_HEADER + 48);
        skb.reserve(Inet4.MAX_HEADER);
        int ip = skb.put(48);
        skb.putU8(ip, 0x45);
        skb.putU8(ip + 1, 0);
        skb.putU16(ip + 2, 48);
        skb.putU16(ip + 4, id);
        skb.putU16(ip + 6, 0x4000);
        skb.putU8(ip + 8, 64);
        skb.putU8(ip + 9, 253); // RFC 3692 experimental
        skb.putU16(ip + 10, 0);
        skb.putU32(ip + 12, h.hostname().equals("a") ? A : B);
        skb.putU32(ip + 16, 0x0a000063);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += skb.getU16(ip + i);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        skb.putU16(ip + 10, ~sum & 0xffff);
        skb.resetNetworkHeader();
        skb.setProtocol(IfEther.ETH_P_IP);
        skb.setDev(h.devGetByName("eth0"));
        return skb;
    }

    /**
     * At {@code timeNs}, {@code from} sends a hand-built ARP packet on eth0: Ethernet
     * destination {@code dst}, source and sender MAC {@code sha}.
     */
    static void sendArpAt(Host from, long timeNs, int op, byte[] dst, byte[] sha, int sip, byte[] tha, int tip) {
        from.timerSetup(t -> {
            SkBuff skb = from.allocSkb(16 + 42);
            skb.reserve(16);
            int m = skb.put(42);
            skb.putBytes(m, dst, 0, 6);
            skb.putBytes(m + 6, sha, 0, 6);
            skb.putU16(m + 12, IfEther.ETH_P_ARP);
            skb.putU16(m + 14, 1);
            skb.putU16(m + 16, IfEther.ETH_P_IP);
            skb.putU8(m + 18, 6);
            skb.putU8(m + 19, 4);
            skb.putU16(m + 20, op);
            skb.putBytes(m + 22, sha, 0, 6);
            skb.putU32(m + 28, sip);
            skb.putBytes(m + 32, tha, 0, 6);
            skb.putU32(m + 38, tip);
            skb.resetMacHeader();
            skb.setProtocol(IfEther.ETH_P_ARP);
            skb.setDev(from.devGetByName("eth0"));
            from.devQueueXmit(skb);
        }).mod(timeNs);
    }

    /** A received frame, as a tap saw it. */
    record Frame(long timeNs, byte[] bytes) {
        int ethertype() {
            return u16(12);
        }

        int u16(int off) {
            return ((bytes[off] & 0xff) << 8) | (bytes[off + 1] & 0xff);
        }

        int u32(int off) {
            return (u16(off) << 16) | u16(off + 2);
        }

        boolean isArp() {
            return ethertype() == IfEther.ETH_P_ARP;
        }

        int arpOp() {
            return u16(14 + 6);
        }

        int arpSip() {
            return u32(14 + 14);
        }

        int arpTip() {
            return u32(14 + 24);
        }

        boolean broadcast() {
            return IfEther.isBroadcastEtherAddr(bytes, 0);
        }

        boolean dstIs(byte[] mac) {
            return IfEther.etherAddrEqual(bytes, 0, mac, 0);
        }

        int ipId() {
            return u16(14 + 4);
        }
    }

    /** An AF_PACKET-like receive tap ({@code ETH_P_ALL}, received frames only). */
    static final class Tap implements PacketType {
        private final Host host;
        final List<Frame> frames = new ArrayList<>();

        Tap(Host host) {
            this.host = host;
        }

        @Override
        public int type() {
            return IfEther.ETH_P_ALL;
        }

        @Override
        public boolean tapsTransmit() {
            return false;
        }

        @Override
        public int func(SkBuff skb, NetDevice dev, NetDevice origDev) {
            byte[] h = skb.head();
            int mac = skb.macHeader();
            byte[] bytes = new byte[skb.tail() - mac];
            System.arraycopy(h, mac, bytes, 0, bytes.length);
            frames.add(new Frame(host.ktimeGetNs(), bytes));
            host.consumeSkb(skb);
            return 0;
        }

        List<Frame> arp() {
            return frames.stream().filter(Frame::isArp).toList();
        }

        List<Frame> ip() {
            return frames.stream().filter(f -> f.ethertype() == IfEther.ETH_P_IP).toList();
        }
    }

}
