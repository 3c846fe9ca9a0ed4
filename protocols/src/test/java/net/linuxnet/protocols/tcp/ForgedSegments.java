package net.linuxnet.protocols.tcp;

import static net.linuxnet.api.sock.SockConst.IPPROTO_TCP;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;

/** Hand-made TCP segments sent through a host's IPv4 output, as an attacker or a lost packet's twin would. */
final class ForgedSegments {
    private ForgedSegments() {
    }

    /** Sends a 20-byte TCP header with {@code flags} from {@code saddr:sport} to {@code daddr:dport}. */
    static void send(Kernel from, int saddr, int daddr, int sport, int dport, int seq, int ack, int flags) {
        Inet4 inet4 = Inet4.of(from);
        Flowi4 fl4 = new Flowi4();
        Rtable rt = new Rtable();
        fl4.init(0, 0, 0, IPPROTO_TCP, daddr, saddr, dport, sport);
        if (inet4.ipRouteOutputKey(fl4, rt) != 0) {
            throw new IllegalStateException("no route");
        }
        SkBuff skb = from.allocSkb(Inet4.MAX_HEADER + 20);
        skb.reserve(Inet4.MAX_HEADER);
        int th = skb.put(20);
        skb.resetTransportHeader();
        skb.putU16(th, sport);
        skb.putU16(th + 2, dport);
        skb.putU32(th + 4, seq);
        skb.putU32(th + 8, ack);
        skb.putU8(th + 12, 5 << 4);
        skb.putU8(th + 13, flags);
        skb.putU16(th + 14, 1000);
        skb.putU16(th + 16, 0);
        skb.putU16(th + 18, 0);
        int csum = Checksum.csumTcpudpMagic(saddr, daddr, 20, IPPROTO_TCP, Checksum.csumPartial(skb.head(), th, 20, 0));
        skb.putU16(th + 16, csum);
        inet4.ipSendSkb(skb, rt, saddr, daddr, IPPROTO_TCP, 0, 64, true, null);
    }
}
