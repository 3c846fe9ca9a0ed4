package net.linuxnet.qdisc;

import java.util.Locale;

/**
 * How {@code tc} prints values in {@code tc qdisc show}, so a qdisc's dump reads as iproute2's
 * does. Follows {@code tc/tc_util.c} and {@code lib/json_print.c} of iproute2.
 */
public final class TcUtil {

    private TcUtil() {
    }

    /**
     * A size in bytes as {@code sprint_size} prints it: {@code Mb} when within 1 KiB of a
     * whole number of MiB, else {@code Kb} when within 16 bytes of a whole number of KiB,
     * else plain bytes with a {@code b}. So {@code 1514000} prints {@code "1514000b"} and
     * {@code 32768} prints {@code "32Kb"}.
     */
    public static String sprintSize(long sz) {
        final long kilo = 1024;
        final long mega = kilo * kilo;
        double tmp = sz;
        if (sz >= mega && Math.abs(mega * Math.rint(tmp / mega) - sz) < 1024) {
            return formatG(Math.rint(tmp / mega)) + "Mb";
        }
        if (sz >= kilo && Math.abs(kilo * Math.rint(tmp / kilo) - sz) < 16) {
            return formatG(Math.rint(tmp / kilo)) + "Kb";
        }
        return sz + "b";
    }

    /** C's {@code %g} for a whole, non-negative number: plain below 10^6, else {@code 1.23457e+06}. */
    static String formatG(double v) {
        if (v < 1e6) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.5e", v);
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e);
        if (mantissa.indexOf('.') >= 0) {
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        return mantissa + s.substring(e);
    }
}
