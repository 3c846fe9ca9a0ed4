package net.linuxnet.apps.pktgen;

import static java.util.Objects.requireNonNull;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.apps.net.NetUtils;

/**
 * The options of one pktgen application, as the settings {@code pktgen_if_write} accepts in
 * {@code /proc/net/pktgen/<dev>} of {@code net/core/pktgen.c}, with pktgen's defaults from
 * {@code pktgen_add_device} and {@code pktgen_setup_inject}.
 *
 * <pre>
 *   key         pktgen setting            default
 *   dev         add_device                (required)
 *   dst-mac     dst_mac                   00:00:00:00:00:00
 *   src-mac     src_mac                   the device's address
 *   src         src_min = src_max         0.0.0.0 (pktgen takes the device's first IPv4 address;
 *                                          the model has none to take yet)
 *   dst         dst_min = dst_max         (required)
 *   rate        rate (Mb/s) / ratep (pps) none: as fast as the CPU allows (delay 0)
 *   size        pkt_size                  58 = 14 + 20 + 8 + 16 (Ethernet, IPv4, UDP, pktgen header)
 *   src-port    udp_src_min               9
 *   flows       udp_src_max - udp_src_min 1 (number of UDP source ports cycled)
 *   dst-port    udp_dst_min = udp_dst_max 9
 *   count       count                     0 = until stopped (pktgen's module default is 1000)
 *   burst       burst                     1
 *   cpu         the kpktgend_N thread     0
 *   xmit-mode   xmit_mode                 start_xmit (also accepted as netif_xmit), queue_xmit
 *   ttl         (fixed 32 in pktgen)      32
 *   tos         tos                       0
 *   udp-csum    flag UDPCSUM              true (pktgen's default is off, which sends check 0)
 * </pre>
 *
 * @param dev the name of the output device on the same host
 * @param dstMac destination MAC, six bytes
 * @param srcMac source MAC, six bytes, or null for the device's address
 * @param saddr IPv4 source, big-endian 32-bit value
 * @param daddr IPv4 destination, big-endian 32-bit value
 * @param rate the packet or bit rate, or null for no delay
 * @param pktSize frame size without FCS ({@code pkt_size}); frames are never shorter than
 *     {@link #MIN_FRAME}, as pktgen raises the UDP payload to hold its header
 * @param udpSrcMin the first UDP source port
 * @param flows the number of UDP source ports cycled from {@code udpSrcMin}
 * @param udpDst the UDP destination port
 * @param count packets to send, 0 for no limit
 * @param burst packets handed to the driver per transmit call ({@code burst}, {@code xmit_more})
 * @param cpu the CPU of the {@code kpktgend} thread
 * @param xmitMode how packets reach the device
 * @param ttl IPv4 time to live
 * @param tos IPv4 type of service (DSCP and ECN)
 * @param udpCsum whether the UDP checksum is computed ({@code F_UDPCSUM}) rather than left 0
 */
public record PktgenOptions(
        String dev,
        byte[] dstMac,
        byte[] srcMac,
        int saddr,
        int daddr,
        Rate rate,
        int pktSize,
        int udpSrcMin,
        int flows,
        int udpDst,
        long count,
        int burst,
        int cpu,
        XmitMode xmitMode,
        int ttl,
        int tos,
        boolean udpCsum) {

    /** {@code sizeof(struct pktgen_hdr)}: magic, sequence number, seconds, microseconds. */
    public static final int PKTGEN_HDR_LEN = 16;
    /** The smallest {@code pkt_size} pktgen accepts: {@code 14 + 20 + 8}. */
    public static final int MIN_PKT_SIZE = IfEther.ETH_HLEN + 20 + 8;
    /** The shortest frame pktgen builds: the headers plus a pktgen header. */
    public static final int MIN_FRAME = MIN_PKT_SIZE + PKTGEN_HDR_LEN;
    /** The default {@code pkt_size}, as {@code pktgen_setup_inject} computes it for IPv4. */
    public static final int DEFAULT_PKT_SIZE = MIN_FRAME;
    /** The largest frame: an IPv4 {@code tot_len} of 65535 plus the Ethernet header. */
    public static final int MAX_PKT_SIZE = IfEther.ETH_HLEN + 0xffff;
    /** pktgen's sink port ({@code udp_src_min = 9}). */
    public static final int DEFAULT_PORT = 9;
    /** The TTL {@code fill_packet_ipv4} writes. */
    public static final int DEFAULT_TTL = 32;

    public PktgenOptions {
        requireNonNull(dev, "dev is null");
        requireNonNull(dstMac, "dstMac is null");
        requireNonNull(xmitMode, "xmitMode is null");
        if (dstMac.length != IfEther.ETH_ALEN || (srcMac != null && srcMac.length != IfEther.ETH_ALEN)) {
            throw new IllegalArgumentException("MAC addresses must have " + IfEther.ETH_ALEN + " bytes");
        }
        dstMac = dstMac.clone();
        srcMac = srcMac == null ? null : srcMac.clone();
        if (pktSize < MIN_PKT_SIZE || pktSize > MAX_PKT_SIZE) {
            throw new IllegalArgumentException("pktSize: " + pktSize + " (expected: " + MIN_PKT_SIZE + ".." + MAX_PKT_SIZE + ")");
        }
        if (flows < 1 || udpSrcMin < 0 || udpSrcMin + flows - 1 > 0xffff || udpDst < 0 || udpDst > 0xffff) {
            throw new IllegalArgumentException("ports: src " + udpSrcMin + " flows " + flows + " dst " + udpDst
                    + " (expected: ports within 0..65535)");
        }
        if (count < 0 || burst < 1 || cpu < 0 || ttl < 0 || ttl > 255 || tos < 0 || tos > 255) {
            throw new IllegalArgumentException("count " + count + ", burst " + burst + ", cpu " + cpu
                    + ", ttl " + ttl + ", tos " + tos + " (expected: count >= 0, burst >= 1, cpu >= 0, ttl and tos 0..255)");
        }
        if (burst > 1 && xmitMode == XmitMode.M_QUEUE_XMIT) {
            throw new IllegalArgumentException("burst > 1 needs xmit mode start_xmit (pktgen answers -ENOTSUPP)");
        }
    }

    @Override
    public byte[] dstMac() {
        return dstMac.clone();
    }

    @Override
    public byte[] srcMac() {
        return srcMac == null ? null : srcMac.clone();
    }

    /**
     * The time between two transmit calls ({@code pkt_dev->delay}), or 0 without a rate. A bit
     * rate counts {@code pkt_size} bytes per packet, without FCS, preamble or gap, as
     * pktgen's {@code rate} does; with {@code burst} each call sends {@code burst} packets.
     */
    public double delayNs() {
        return rate == null ? 0 : rate.intervalNs(pktSize);
    }

    /**
     * Reads and checks every pktgen key of an {@code apps} entry.
     *
     * @throws net.linuxnet.api.config.OptionException for a missing or bad value
     */
    public static PktgenOptions parse(Options options) {
        String dev = options.getString("dev");
        byte[] dstMac = mac(options, "dst-mac", "00:00:00:00:00:00");
        byte[] srcMac = options.has("src-mac") ? mac(options, "src-mac", null) : null;
        int saddr = ipv4(options, "src", "0.0.0.0");
        int daddr = ipv4(options, "dst", null);
        Rate rate = options.getRate("rate", null);
        int pktSize = options.getInt("size", DEFAULT_PKT_SIZE, MIN_PKT_SIZE, MAX_PKT_SIZE);
        int udpSrcMin = options.getInt("src-port", DEFAULT_PORT, 0, 0xffff);
        int flows = options.getInt("flows", 1, 1, 0x10000);
        if (udpSrcMin + flows - 1 > 0xffff) {
            throw options.error("flows", "src-port " + udpSrcMin + " plus " + flows + " flows runs past port 65535"
                    + " (expected: src-port + flows - 1 <= 65535)");
        }
        int udpDst = options.getInt("dst-port", DEFAULT_PORT, 0, 0xffff);
        long count = options.getLong("count", 0, 0, Long.MAX_VALUE);
        int burst = options.getInt("burst", 1, 1, 1 << 20);
        int cpu = options.getInt("cpu", 0, 0, Integer.MAX_VALUE);
        String mode = options.getChoice("xmit-mode", "start_xmit", "start_xmit", "netif_xmit", "queue_xmit");
        XmitMode xmitMode = mode.equals("queue_xmit") ? XmitMode.M_QUEUE_XMIT : XmitMode.M_START_XMIT;
        if (burst > 1 && xmitMode == XmitMode.M_QUEUE_XMIT) {
            throw options.error("burst", "burst " + burst + " is not supported with xmit-mode queue_xmit,"
                    + " as pktgen answers -ENOTSUPP (expected: burst = 1, or xmit-mode start_xmit)");
        }
        int ttl = options.getInt("ttl", DEFAULT_TTL, 0, 255);
        int tos = options.getInt("tos", 0, 0, 255);
        boolean udpCsum = options.getBoolean("udp-csum", true);
        return new PktgenOptions(dev, dstMac, srcMac, saddr, daddr, rate, pktSize, udpSrcMin, flows, udpDst,
                count, burst, cpu, xmitMode, ttl, tos, udpCsum);
    }

    private static byte[] mac(Options options, String key, String defaultValue) {
        String text = defaultValue == null ? options.getString(key) : options.getString(key, defaultValue);
        try {
            return IfEther.parseMac(text);
        } catch (IllegalArgumentException e) {
            throw options.error(key, "'" + text + "' is not a MAC address (expected: six hex octets like 02:00:00:00:00:0a)");
        }
    }

    private static int ipv4(Options options, String key, String defaultValue) {
        String text = defaultValue == null ? options.getString(key) : options.getString(key, defaultValue);
        long addr = NetUtils.in4Pton(text);
        if (addr < 0) {
            throw options.error(key, "'" + text + "' is not an IPv4 address (expected: dotted quad like 10.0.0.2)");
        }
        return (int) addr;
    }
}
