package net.linuxnet.apps.packet;

import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.apps.pktgen.PktgenDev;

/**
 * What a receiver learns from pktgen's header ({@code struct pktgen_hdr}: magic, sequence
 * number, send time in seconds and microseconds): how many frames of a flow arrived after a
 * frame of the same flow that was sent later. One flow is one IPv4 address pair and UDP port
 * pair, whichever pktgen instance sent it, so a flow sent from two CPUs is judged as one; two
 * frames sent within the same microsecond are not ordered.
 *
 * <p>The flows are kept in an open-addressing table of primitive slots, so counting allocates
 * nothing per frame (a new flow may grow the table).
 */
final class PktgenOrder {
    private long[] keys = new long[64];
    private long[] lastSent = new long[64];
    private int flows;
    private long frames;
    private long reordered;

    /** Looks at one received frame, its MAC header at {@code skb.macHeader()}. */
    void frame(SkBuff skb) {
        int mac = skb.macHeader();
        int end = skb.tail();
        if (end - mac < IfEther.ETH_HLEN + 20 + 8 + 16 || skb.getU16(mac + 12) != IfEther.ETH_P_IP) {
            return;
        }
        int iph = mac + IfEther.ETH_HLEN;
        int ihl = (skb.getU8(iph) & 0x0f) * 4;
        int udph = iph + ihl;
        if (skb.getU8(iph + 9) != 17 || ihl < 20 || udph + 8 + 16 > end || skb.getU32(udph + 8) != PktgenDev.PKTGEN_MAGIC) {
            return;
        }
        long sentUs = (skb.getU32(udph + 16) & 0xffffffffL) * 1_000_000L + (skb.getU32(udph + 20) & 0xffffffffL);
        long key = (((long) skb.getU32(iph + 12) << 32) | (skb.getU32(iph + 16) & 0xffffffffL)) * 0x9e3779b97f4a7c15L
                ^ skb.getU32(udph);
        key = key == 0 ? 1 : key;
        frames++;
        int slot = slot(key);
        if (keys[slot] == 0) {
            keys[slot] = key;
            lastSent[slot] = sentUs;
            if (++flows * 2 > keys.length) {
                grow();
            }
        } else if (sentUs < lastSent[slot]) {
            reordered++;
        } else {
            lastSent[slot] = sentUs;
        }
    }

    /** pktgen frames seen. */
    long frames() {
        return frames;
    }

    /** Frames that arrived after a later-sent frame of their flow. */
    long reordered() {
        return reordered;
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 29)) & mask;
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldSent = lastSent;
        keys = new long[oldKeys.length * 2];
        lastSent = new long[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                lastSent[s] = oldSent[i];
            }
        }
    }
}
