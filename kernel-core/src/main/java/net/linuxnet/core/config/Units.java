package net.linuxnet.core.config;

import java.math.BigDecimal;
import net.linuxnet.api.config.Rate;

/**
 * Parses iproute2's units, as {@code get_rate}, {@code get_size} and {@code get_time} in
 * iproute2's {@code tc/tc_util.c} do. Rates: {@code bit kbit mbit gbit tbit} (powers of 1000),
 * {@code bps kbps mbps gbps tbps} (bytes per second, as tc means them), {@code pps kpps mpps}
 * (packets). Sizes: {@code b k kb m mb g gb} (bytes, powers of 1024) and {@code kbit mbit gbit}
 * (bits). Times: {@code ns us ms s}, with decimals ({@code 0.05ns} is 50 picoseconds).
 */
public final class Units {

    private Units() {
    }

    /** A rate; throws {@link IllegalArgumentException} naming the accepted units. */
    public static Rate parseRate(String text) {
        String t = text.trim().toLowerCase();
        String[][] units = {
            {"tbps", "8000000000000"}, {"gbps", "8000000000"}, {"mbps", "8000000"}, {"kbps", "8000"}, {"bps", "8"},
            {"tbit", "1000000000000"}, {"gbit", "1000000000"}, {"mbit", "1000000"}, {"kbit", "1000"}, {"bit", "1"},
        };
        String[][] packetUnits = {{"mpps", "1000000"}, {"kpps", "1000"}, {"pps", "1"}};
        for (String[] u : packetUnits) {
            if (t.endsWith(u[0])) {
                return Rate.packetsPerSecond(scale(t.substring(0, t.length() - u[0].length()), u[1], text, "rate"));
            }
        }
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                return Rate.bitsPerSecond(scale(t.substring(0, t.length() - u[0].length()), u[1], text, "rate"));
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a rate (expected: a number with bit, kbit, mbit, gbit, tbit, "
                + "bps, kbps, mbps, gbps, tbps, pps, kpps or mpps, such as 10mbit or 200kpps)");
    }

    /** A size in bytes; a bare number is bytes. */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase();
        String[][] units = {
            {"gbit", "134217728"}, {"mbit", "131072"}, {"kbit", "128"},
            {"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1073741824"}, {"m", "1048576"}, {"k", "1024"}, {"b", "1"},
        };
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                return scale(t.substring(0, t.length() - u[0].length()), u[1], text, "size");
            }
        }
        return scale(t, "1", text, "size");
    }

    /** A time in nanoseconds, rounded down; a bare 0 is accepted. */
    public static long parseTimeNs(String text) {
        return parseTimePs(text) / 1000;
    }

    /** A time in picoseconds, for costs below a nanosecond. */
    public static long parseTimePs(String text) {
        String t = text.trim().toLowerCase();
        String[][] units = {{"ns", "1000"}, {"us", "1000000"}, {"ms", "1000000000"}, {"s", "1000000000000"}};
        for (String[] u : units) {
            if (t.endsWith(u[0]) && !(u[0].equals("s") && (t.endsWith("ns") || t.endsWith("us") || t.endsWith("ms")))) {
                return scale(t.substring(0, t.length() - u[0].length()), u[1], text, "time");
            }
        }
        if (t.equals("0")) {
            return 0;
        }
        throw new IllegalArgumentException("'" + text + "' is not a time (expected: a number with ns, us, ms or s, such as 50ms)");
    }

    private static long scale(String number, String factor, String text, String what) {
        try {
            BigDecimal v = new BigDecimal(number.trim()).multiply(new BigDecimal(factor));
            if (v.signum() < 0) {
                throw new IllegalArgumentException("'" + text + "': a " + what + " must not be negative");
            }
            return v.longValue();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + what + " (expected: a number and a unit)");
        }
    }
}
