package net.linuxnet.api.sock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code struct tcp_info} of {@code include/uapi/linux/tcp.h}, as {@code getsockopt(TCP_INFO)}
 * fills it: little-endian (x86_64) bytes at the kernel's offsets, up to
 * {@code tcpi_total_rto_time} ({@link #SIZE} bytes). A reader takes the fields it knows by name
 * ({@link #get}), as {@code ss -i} and packetdrill's {@code tcpi_*} assertions do; a writer
 * ({@code tcp_get_info}) puts them with {@link #put}.
 */
public final class TcpInfo {
    private TcpInfo() {
    }

    /** One field: its byte offset and size, and for the 4-bit fields of byte 6 the bit shift. */
    public record Field(String name, int offset, int size, int shift, int bits) {
    }

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();
    /** {@code sizeof(struct tcp_info)} up to {@code tcpi_total_rto_time}. */
    public static final int SIZE;

    static {
        int off = 0;
        for (String n : new String[] {"state", "ca_state", "retransmits", "probes", "backoff", "options"}) {
            off = add(n, off, 1);
        }
        FIELDS.put("tcpi_snd_wscale", new Field("tcpi_snd_wscale", 6, 1, 0, 4));
        FIELDS.put("tcpi_rcv_wscale", new Field("tcpi_rcv_wscale", 6, 1, 4, 4));
        FIELDS.put("tcpi_delivery_rate_app_limited", new Field("tcpi_delivery_rate_app_limited", 7, 1, 0, 1));
        off = 8;
        for (String n : new String[] {"rto", "ato", "snd_mss", "rcv_mss", "unacked", "sacked", "lost", "retrans",
            "fackets", "last_data_sent", "last_ack_sent", "last_data_recv", "last_ack_recv", "pmtu", "rcv_ssthresh",
            "rtt", "rttvar", "snd_ssthresh", "snd_cwnd", "advmss", "reordering", "rcv_rtt", "rcv_space",
            "total_retrans"}) {
            off = add(n, off, 4);
        }
        for (String n : new String[] {"pacing_rate", "max_pacing_rate", "bytes_acked", "bytes_received"}) {
            off = add(n, off, 8);
        }
        for (String n : new String[] {"segs_out", "segs_in", "notsent_bytes", "min_rtt", "data_segs_in",
            "data_segs_out"}) {
            off = add(n, off, 4);
        }
        for (String n : new String[] {"delivery_rate", "busy_time", "rwnd_limited", "sndbuf_limited"}) {
            off = add(n, off, 8);
        }
        off = add("delivered", off, 4);
        off = add("delivered_ce", off, 4);
        off = add("bytes_sent", off, 8);
        off = add("bytes_retrans", off, 8);
        for (String n : new String[] {"dsack_dups", "reord_seen", "rcv_ooopack", "snd_wnd", "rcv_wnd", "rehash"}) {
            off = add(n, off, 4);
        }
        off = add("total_rto", off, 2);
        off = add("total_rto_recoveries", off, 2);
        off = add("total_rto_time", off, 4);
        SIZE = off;
    }

    private static int add(String n, int off, int size) {
        String name = "tcpi_" + n;
        FIELDS.put(name, new Field(name, off, size, 0, size * 8));
        return off + size;
    }

    /** The field called {@code name} ({@code "tcpi_rto"}), or null. */
    public static Field field(String name) {
        return FIELDS.get(name);
    }

    /** The names of all fields, in the struct's order. */
    public static Iterable<String> names() {
        return FIELDS.keySet();
    }

    /** Reads field {@code name} of a {@code struct tcp_info} of {@code len} bytes; fields beyond {@code len} read 0. */
    public static long get(byte[] info, int len, String name) {
        Field f = FIELDS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no field " + name + " in struct tcp_info");
        }
        if (f.offset + f.size > len) {
            return 0;
        }
        long v = 0;
        for (int i = f.size - 1; i >= 0; i--) {
            v = (v << 8) | (info[f.offset + i] & 0xff);
        }
        return f.bits == f.size * 8 ? v : (v >>> f.shift) & ((1L << f.bits) - 1);
    }

    /** Writes field {@code name}; bytes beyond {@code info.length} are not written (a short buffer, as {@code copy_to_user} of {@code len}). */
    public static void put(byte[] info, String name, long v) {
        Field f = FIELDS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no field " + name + " in struct tcp_info");
        }
        if (f.offset + f.size > info.length) {
            return;
        }
        if (f.bits != f.size * 8) {
            int mask = ((1 << f.bits) - 1) << f.shift;
            info[f.offset] = (byte) ((info[f.offset] & ~mask) | (((int) v << f.shift) & mask));
            return;
        }
        for (int i = 0; i < f.size; i++) {
            info[f.offset + i] = (byte) (v >>> (8 * i));
        }
    }
}
