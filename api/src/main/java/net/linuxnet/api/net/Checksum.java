package net.linuxnet.api.net;

/**
 * The Internet checksum (RFC 1071), as the kernel computes it in {@code include/net/checksum.h},
 * {@code arch/x86/include/asm/checksum_64.h} and {@code lib/checksum.c}.
 *
 * <p>The checksum is the ones' complement of the ones' complement sum of the data taken as
 * 16-bit words. The kernel carries the running sum in a 32-bit {@code __wsum} that is only
 * folded to 16 bits ({@code csum_fold}) at the end, so partial sums over pieces of a packet
 * can be added ({@code csum_add}) before folding. The same split is kept here:
 *
 * <ul>
 *   <li>a {@code wsum} is an {@code int} holding a 32-bit partial sum of big-endian 16-bit
 *       words, with end-around carry ({@link #csumPartial}, {@link #csumAdd},
 *       {@link #csumTcpudpNofold});</li>
 *   <li>a {@code sum16} is an {@code int} in {@code 0..0xffff}, the folded, complemented value
 *       that goes into a header ({@link #csumFold}, {@link #ipFastCsum},
 *       {@link #csumTcpudpMagic}).</li>
 * </ul>
 *
 * <p>Words are taken big endian from the given offset, so a {@code sum16} is stored in the
 * packet with {@code putU16} as it is. (The kernel sums in host order on little-endian machines
 * and gets the same bytes on the wire.) Summing a region that contains a correct checksum
 * field and folding gives 0, which is how a receiver checks it.
 *
 * <p>Nothing here allocates; all methods are static and take a {@code byte[]} and an offset,
 * such as {@code skb.head()} and {@code skb.networkHeader()}.
 */
public final class Checksum {

    /** {@code CSUM_MANGLED_0}: what UDP sends instead of a computed checksum of 0 (RFC 768). */
    public static final int CSUM_MANGLED_0 = 0xffff;

    /** {@code IPPROTO_UDP}. */
    public static final int IPPROTO_UDP = 17;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = 6;

    private static final java.lang.invoke.VarHandle LONG_BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /**
     * Sums {@code len} bytes from {@code off} into the partial sum {@code sum}
     * ({@code csum_partial}). An odd trailing byte is taken as the high byte of a last word
     * padded with zero.
     *
     * @return the new 32-bit partial sum ({@code __wsum})
     */
    public static int csumPartial(byte[] buf, int off, int len, int sum) {
        long acc = sum & 0xffffffffL;
        int end = off + len;
        int i = off;
        // 64 bits read at a time, added as two 32-bit words into a 64-bit accumulator: no carry
        // is lost before the fold below.
        for (; i + 7 < end; i += 8) {
            long v = (long) LONG_BE.get(buf, i);
            acc += (v >>> 32) + (v & 0xffffffffL);
        }
        for (; i + 3 < end; i += 4) {
            acc += ((buf[i] & 0xffL) << 24) | ((buf[i + 1] & 0xffL) << 16)
                    | ((buf[i + 2] & 0xffL) << 8) | (buf[i + 3] & 0xffL);
        }
        if (i + 1 < end) {
            acc += ((buf[i] & 0xffL) << 8) | (buf[i + 1] & 0xffL);
            i += 2;
        }
        if (i < end) {
            acc += (buf[i] & 0xffL) << 8;
        }
        return from64to32(acc);
    }

    /** Adds two partial sums with end-around carry ({@code csum_add}). */
    public static int csumAdd(int csum, int addend) {
        long s = (csum & 0xffffffffL) + (addend & 0xffffffffL);
        return (int) ((s & 0xffffffffL) + (s >>> 32));
    }

    /**
     * Folds a 32-bit partial sum to 16 bits and complements it ({@code csum_fold}).
     *
     * @return the checksum to store, {@code 0..0xffff}
     */
    public static int csumFold(int sum) {
        int s = (sum >>> 16) + (sum & 0xffff);
        s = (s >>> 16) + (s & 0xffff);
        return ~s & 0xffff;
    }

    /**
     * The checksum of an IPv4 header of {@code ihl} 32-bit words at {@code off}
     * ({@code ip_fast_csum}). Over a header whose check field is correct it returns 0.
     */
    public static int ipFastCsum(byte[] buf, int off, int ihl) {
        return csumFold(csumPartial(buf, off, ihl * 4, 0));
    }

    /**
     * Fills in the check field of the IPv4 header at {@code off} ({@code ip_send_check} in
     * {@code net/ipv4/ip_output.c}): zeroes it, then stores {@link #ipFastCsum}.
     */
    public static void ipSendCheck(byte[] buf, int off) {
        int ihl = buf[off] & 0x0f;
        buf[off + 10] = 0;
        buf[off + 11] = 0;
        int check = ipFastCsum(buf, off, ihl);
        buf[off + 10] = (byte) (check >>> 8);
        buf[off + 11] = (byte) check;
    }

    /**
     * Adds the TCP/UDP pseudo-header (source and destination address, protocol, length) to
     * the partial sum {@code sum} without folding ({@code csum_tcpudp_nofold}).
     *
     * @param saddr the IPv4 source address, as a big-endian 32-bit value
     * @param daddr the IPv4 destination address, as a big-endian 32-bit value
     * @param len the TCP or UDP length (header and payload)
     * @param proto the IP protocol number
     */
    public static int csumTcpudpNofold(int saddr, int daddr, int len, int proto, int sum) {
        long acc = sum & 0xffffffffL;
        acc += saddr & 0xffffffffL;
        acc += daddr & 0xffffffffL;
        acc += ((long) proto << 16) + (len & 0xffff);
        return from64to32(acc);
    }

    /**
     * The TCP/UDP checksum from the pseudo-header and the partial sum {@code sum} of the
     * segment, folded and complemented ({@code csum_tcpudp_magic}). A UDP sender stores
     * {@link #CSUM_MANGLED_0} instead of a result of 0.
     */
    public static int csumTcpudpMagic(int saddr, int daddr, int len, int proto, int sum) {
        return csumFold(csumTcpudpNofold(saddr, daddr, len, proto, sum));
    }

    /** Folds a 64-bit accumulator to a 32-bit partial sum with end-around carry ({@code from64to32}). */
    private static int from64to32(long x) {
        x = (x & 0xffffffffL) + (x >>> 32);
        x = (x & 0xffffffffL) + (x >>> 32);
        return (int) x;
    }
}
