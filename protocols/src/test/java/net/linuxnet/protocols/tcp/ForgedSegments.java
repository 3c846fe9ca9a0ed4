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
        send(from, saddr, daddr, sport, dport, seq, ack, flags, -1, 0, 0);
    }

    /**
     * Sends a segment with {@code payload} bytes of zeros and, when {@code tsval} is not -1, the
     * timestamp option (NOP NOP TS).
     */
    static void send(Kernel from, int saddr, int daddr, int sport, int dport, int seq, int ack, int flags, long tsval,
            int tsecr, int payload) {
        Inet4 inet4 = Inet4.of(from);
        Flowi4 fl4 = new Flowi4();
        Rtable rt = new Rtable();
        fl4.init(0, 0, 0, IPPROTO_TCP, daddr, saddr, dport, sport);
        if (inet4.ipRouteOutputKey(fl4, rt) != 0) {
            throw new IllegalStateException("no route");
        }
        int hlen = tsval >= 0 ? 32 : 20;
        int len = hlen + payload;
        SkBuff skb = from.allocSkb(Inet4.MAX_HEADER + len);
        skb.reserve(Inet4.MAX_HEADER);
        int th = skb.put(len);
        for (int i = 0; i < len; i++) {
            skb.putU8(th + i, 0);
        }
        skb.resetTransportHeader();
        skb.putU16(th, sport);
        skb.putU16(th + 2, dport);
        skb.putU32(th + 4, seq);
        skb.putU32(th + 8, ack);
        skb.putU8(th + 12, (hlen / 4) << 4);
        if (tsval >= 0) {
            skb.putU8(th + 20, 1);
            skb.putU8(th + 21, 1);
            skb.putU8(th + 22, 8);
            skb.putU8(th + 23, 10);
            skb.putU32(th + 24, (int) tsval);
            skb.putU32(th + 28, tsecr);
        }
        skb.putU8(th + 13, flags);
        skb.putU16(th + 14, 1000);
        skb.putU16(th + 16, 0);
        skb.putU16(th + 18, 0);
        int csum = Checksum.csumTcpudpMagic(saddr, daddr, len, IPPROTO_TCP, Checksum.csumPartial(skb.head(), th, len, 0));
        skb.putU16(th + 16, csum);
        inet4.ipSendSkb(skb, rt, saddr, daddr, IPPROTO_TCP, 0, 64, true, null);
    }
}
