package net.linuxnet.protocols.ipv4;

/**
 * IPv4 address helpers ({@code in_aton}, {@code inet_make_mask}, {@code ipv4_is_*} of
 * {@code include/linux/in.h}). Addresses are host-order {@code int}s.
 */
public final class InetAddr {
    private InetAddr() {
    }

    /** {@code in_aton} with checks: the address, or throws {@link IllegalArgumentException}. */
    public static int parse(String s) {
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 address (expected: a.b.c.d)");
        }
        int a = 0;
        for (String part : p) {
            int v;
            try {
                v = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address (expected: a.b.c.d)");
            }
            if (v < 0 || v > 255 || part.isEmpty() || part.startsWith("+")) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address (expected: a.b.c.d)");
            }
            a = (a << 8) | v;
        }
        return a;
    }

    /** {@code %pI4}. */
    public static String toString(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** {@code inet_make_mask}. */
    public static int mask(int plen) {
        return plen == 0 ? 0 : -1 << (32 - plen);
    }

    /** {@code ipv4_is_multicast}. */
    public static boolean isMulticast(int a) {
        return (a & 0xf0000000) == 0xe0000000;
    }

    /** {@code ipv4_is_lbcast}: 255.255.255.255. */
    public static boolean isLbcast(int a) {
        return a == -1;
    }

    /** {@code ipv4_is_zeronet}. */
    public static boolean isZeronet(int a) {
        return (a & 0xff000000) == 0;
    }

    /** {@code ipv4_is_loopback}. */
    public static boolean isLoopback(int a) {
        return (a & 0xff000000) == 0x7f000000;
    }
}
