package net.linuxnet.protocols.ipv4;

import net.linuxnet.api.net.SkBuff;

/**
 * The Internet checksum (RFC 1071) over skb bytes: {@code csum_partial}, {@code csum_fold},
 * {@code ip_fast_csum} and the incremental update of {@code ip_decrease_ttl}.
 */
public final class InetCsum {
    private InetCsum() {
    }

    /** {@code csum_partial}: the unfolded 32-bit sum of {@code len} bytes at {@code off}, plus {@code sum}. */
    public static long partial(SkBuff skb, int off, int len, long sum) {
        byte[] h = skb.head();
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((h[i] & 0xff) << 8) | (h[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (h[i] & 0xff) << 8;
        }
        return sum;
    }

    /** {@code csum_fold}: folds to 16 bits and complements. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** {@code ip_fast_csum}: 0 when the header of {@code ihl} words at {@code off} is intact. */
    public static int ipFastCsum(SkBuff skb, int off, int ihl) {
        return fold(partial(skb, off, ihl * 4, 0));
    }

    /** {@code ip_send_check}: writes the header checksum of the IPv4 header at {@code off}. */
    public static void ipSendCheck(SkBuff skb, int off) {
        int ihl = skb.getU8(off) & 0xf;
        skb.putU16(off + 10, 0);
        skb.putU16(off + 10, fold(partial(skb, off, ihl * 4, 0)));
    }
}
