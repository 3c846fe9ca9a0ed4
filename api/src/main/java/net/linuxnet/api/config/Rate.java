package net.linuxnet.api.config;

/**
 * A rate as iproute2 writes it: bits per second ({@code 10mbit}, or {@code 1mbps} meaning
 * bytes per second as in {@code tc}) or packets per second ({@code 200kpps}).
 *
 * @param value bits per second, or packets per second when {@code packets}
 * @param packets whether this is a packet rate
 */
public record Rate(long value, boolean packets) {

    public Rate {
        if (value <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + value);
        }
    }

    public static Rate bitsPerSecond(long bps) {
        return new Rate(bps, false);
    }

    public static Rate packetsPerSecond(long pps) {
        return new Rate(pps, true);
    }

    /** Nanoseconds between packets of {@code frameBytes} at this rate. */
    public double intervalNs(int frameBytes) {
        if (packets) {
            return 1e9 / value;
        }
        return frameBytes * 8 * 1e9 / value;
    }

    @Override
    public String toString() {
        if (packets) {
            return value % 1_000_000 == 0 ? value / 1_000_000 + "Mpps"
                    : value % 1000 == 0 ? value / 1000 + "Kpps" : value + "pps";
        }
        return value % 1_000_000_000 == 0 ? value / 1_000_000_000 + "Gbit"
                : value % 1_000_000 == 0 ? value / 1_000_000 + "Mbit"
                : value % 1000 == 0 ? value / 1000 + "Kbit" : value + "bit";
    }
}
