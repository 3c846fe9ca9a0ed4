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

    private static final String[] RATE_UNITS = {"", "K", "M", "G", "T"};

    /**
     * A rate in bytes per second as {@code sprint_rate} prints it, in bits with SI prefixes,
     * dividing by 1000 while the value stays whole or reaches a million: {@code 12500000}
     * prints {@code "100Mbit"}, {@code 187500000} prints {@code "1500Mbit"}.
     */
    public static String sprintRate(long rateBytesPs) {
        long rate = rateBytesPs << 3;
        int i;
        for (i = 0; i < RATE_UNITS.length - 1; i++) {
            if (rate < 1000) {
                break;
            }
            if (rate % 1000 != 0 && rate < 1000 * 1000) {
                break;
            }
            rate /= 1000;
        }
        return rate + RATE_UNITS[i] + "bit";
    }

    /**
     * A time in tc's microseconds as {@code sprint_time} prints it: {@code %.3g} seconds or
     * milliseconds, else whole microseconds ({@code "50ms"}, {@code "1.5s"}, {@code "800us"}).
     */
    public static String sprintTime(long timeUs) {
        double tmp = timeUs;
        if (tmp >= 1e6) {
            return formatG3(tmp / 1e6) + "s";
        }
        if (tmp >= 1e3) {
            return formatG3(tmp / 1e3) + "ms";
        }
        return timeUs + "us";
    }

    /** C's {@code %.3g} for a positive value below 10^6. */
    static String formatG3(double v) {
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(3, java.math.RoundingMode.HALF_EVEN));
        if (d.compareTo(java.math.BigDecimal.valueOf(1000)) >= 0) {
            // rounded up to 1000: %g switches to an exponent, as in "1e+03"
            String e = String.format(Locale.ROOT, "%.2e", d.doubleValue());
            return e.replace(".00e", "e").replaceFirst("(\\.\\d)0e", "$1e");
        }
        String s = d.stripTrailingZeros().toPlainString();
        return s;
    }
}
