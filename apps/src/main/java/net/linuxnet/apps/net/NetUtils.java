package net.linuxnet.apps.net;

/**
 * Address text conversions from {@code net/core/utils.c}: {@code in4_pton} reads a dotted-quad
 * IPv4 address strictly, and {@code %pI4} formats one.
 *
 * <p>An IPv4 address is held as an {@code int} whose big-endian bytes are the address
 * ({@code 10.0.0.1} is {@code 0x0a000001}), so {@code putU32} writes it to the wire as it is
 * and {@link Checksum#csumTcpudpNofold} takes it directly.
 */
public final class NetUtils {

    private NetUtils() {
    }

    /**
     * Parses a dotted-quad IPv4 address such as {@code 10.0.0.1} ({@code in4_pton}): exactly four
     * decimal octets of at most three digits, each at most 255, nothing else.
     *
     * @return the address in the low 32 bits, or -1 if {@code text} is not one
     */
    public static long in4Pton(String text) {
        if (text == null) {
            return -1;
        }
        long addr = 0;
        int octets = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return -1;
                }
            } else if (c == '.') {
                if (digits == 0 || octets == 4) {
                    return -1;
                }
                addr = (addr << 8) | value;
                octets++;
                value = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        return octets == 4 ? addr : -1;
    }

    /** Formats an IPv4 address as {@code %pI4} does ({@code 10.0.0.1}). */
    public static String formatIpv4(int addr) {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }
}
