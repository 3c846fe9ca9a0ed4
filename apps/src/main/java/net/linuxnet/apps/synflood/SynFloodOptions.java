package net.linuxnet.apps.synflood;

import static java.util.Objects.requireNonNull;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.apps.AppOptions;
import net.linuxnet.apps.net.NetUtils;

/**
 * The options of a {@code syn-flood} application.
 *
 * <pre>
 *   key        meaning                                                  default
 *   dev        the device the frames leave by (Ethernet)                (required)
 *   dst        "ip:port" of the victim                                  (required)
 *   dst-mac    the next hop's MAC (the victim's, or its router's)       (required)
 *   src-mac    the frames' source MAC                                   the device's address
 *   sources    the CIDR block spoofed source addresses are drawn from   198.18.0.0/15
 *   rate       SYNs per second: 50kpps, 50000pps or 50000/s             (required)
 *   count      SYNs to send, 0 for the whole run                        0
 *   mss        the MSS option                                           1460
 *   wscale     the window scale option                                  7
 *   ttl        IPv4 time to live                                        64
 *   cpu        the CPU of the sending thread                            0
 * </pre>
 *
 * @param srcNet the first address of {@code sources} (host bits cleared), big-endian
 * @param srcPrefix the prefix length of {@code sources}
 * @param srcMac null for the device's address
 */
public record SynFloodOptions(String dev, SockaddrIn dst, byte[] dstMac, byte[] srcMac, int srcNet, int srcPrefix,
        long ratePps, long count, int mss, int wscale, int ttl, int cpu) {

    public SynFloodOptions {
        requireNonNull(dev, "dev is null");
        requireNonNull(dst, "dst is null");
        requireNonNull(dstMac, "dstMac is null");
        if (dstMac.length != IfEther.ETH_ALEN || (srcMac != null && srcMac.length != IfEther.ETH_ALEN)) {
            throw new IllegalArgumentException("MAC addresses must have " + IfEther.ETH_ALEN + " bytes");
        }
        if (srcPrefix < 0 || srcPrefix > 32 || ratePps <= 0 || count < 0 || mss < 1 || mss > 0xffff || wscale < 0
                || wscale > 14 || ttl < 1 || ttl > 255 || cpu < 0) {
            throw new IllegalArgumentException("srcPrefix " + srcPrefix + ", rate " + ratePps + ", count " + count
                    + ", mss " + mss + ", wscale " + wscale + ", ttl " + ttl + ", cpu " + cpu
                    + " (expected: prefix 0..32, rate > 0, count >= 0, mss 1..65535, wscale 0..14, ttl 1..255, cpu >= 0)");
        }
        dstMac = dstMac.clone();
        srcMac = srcMac == null ? null : srcMac.clone();
    }

    @Override
    public byte[] dstMac() {
        return dstMac.clone();
    }

    @Override
    public byte[] srcMac() {
        return srcMac == null ? null : srcMac.clone();
    }

    /** The number of addresses in {@code sources}. */
    public long sourceCount() {
        return 1L << (32 - srcPrefix);
    }

    /** Reads and checks every key of a {@code syn-flood} entry. */
    public static SynFloodOptions parse(Options o) {
        String dev = o.getString("dev");
        SockaddrIn dst = AppOptions.hostPort(o, "dst", 1);
        byte[] dstMac = mac(o, "dst-mac");
        byte[] srcMac = o.has("src-mac") ? mac(o, "src-mac") : null;
        String sources = o.getString("sources", "198.18.0.0/15");
        int slash = sources.indexOf('/');
        long net = NetUtils.in4Pton(slash < 0 ? sources : sources.substring(0, slash));
        int prefix;
        try {
            prefix = slash < 0 ? 32 : Integer.parseInt(sources.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (net < 0 || prefix < 0 || prefix > 32) {
            throw o.error("sources", "'" + sources + "' is not an IPv4 prefix (expected: a CIDR block like 198.18.0.0/15)");
        }
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        long rate = rate(o);
        long count = o.getLong("count", 0, 0, Long.MAX_VALUE);
        int mss = o.getInt("mss", 1460, 1, 0xffff);
        int wscale = o.getInt("wscale", 7, 0, 14);
        int ttl = o.getInt("ttl", 64, 1, 255);
        int cpu = o.getInt("cpu", 0, 0, Integer.MAX_VALUE);
        return new SynFloodOptions(dev, dst, dstMac, srcMac, (int) net & mask, prefix, rate, count, mss, wscale, ttl, cpu);
    }

    /** {@code rate}: a packet rate in tc's words ({@code 50kpps}), or {@code N/s}. */
    private static long rate(Options o) {
        String s = o.getString("rate").trim();
        if (s.endsWith("/s")) {
            try {
                double v = Double.parseDouble(s.substring(0, s.length() - 2).trim());
                if (v >= 1 && v <= 1e12) {
                    return (long) v;
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
            throw o.error("rate", "'" + s + "' is not a rate (expected: SYNs per second like 50kpps or 50000/s)");
        }
        Rate r = o.getRate("rate", null);
        if (!r.packets()) {
            throw o.error("rate", "'" + s + "' is a bit rate (expected: SYNs per second like 50kpps or 50000/s)");
        }
        return r.value();
    }

    private static byte[] mac(Options o, String key) {
        String text = o.getString(key);
        try {
            return IfEther.parseMac(text);
        } catch (IllegalArgumentException e) {
            throw o.error(key, "'" + text + "' is not a MAC address (expected: six hex octets like 02:00:00:00:00:0a)");
        }
    }
}
