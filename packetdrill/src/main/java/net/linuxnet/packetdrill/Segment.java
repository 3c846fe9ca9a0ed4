package net.linuxnet.packetdrill;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.net.Checksum;

/**
 * An IPv4 TCP segment as bytes: the inbound packets the runner builds
 * ({@code new_tcp_packet} of {@code tcp_packet.c}) and the decoding of outbound ones
 * ({@code parse_ipv4} / {@code parse_tcp} of {@code packet_parser.c}).
 */
final class Segment {
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;
    static final int ECE = 0x40;
    static final int CWR = 0x80;
    static final int AE = 0x100;

    /** A decoded option: kind name as the script writes it, values, SACK blocks. */
    record Opt(String kind, long a, long b, List<long[]> blocks) {
    }

    int src;
    int dst;
    int tos;
    int ttl = 64;
    int ipId;
    int protocol = 6;
    boolean ipCsumOk = true;
    int sport;
    int dport;
    long seq;
    long ack;
    int flags;
    int win;
    int urg;
    int doff;
    final List<Opt> options = new ArrayList<>();
    int payloadLen;

    /** The flags in the script's letters ({@code S F R P U E W A}), then {@code .} for ACK; {@code -} for none. */
    static String flagString(int flags) {
        StringBuilder sb = new StringBuilder();
        String letters = "SFRPUEWA";
        int[] bits = {SYN, FIN, RST, PSH, URG, ECE, CWR, AE};
        for (int k = 0; k < bits.length; k++) {
            if ((flags & bits[k]) != 0) {
                sb.append(letters.charAt(k));
            }
        }
        if ((flags & ACK) != 0) {
            sb.append('.');
        }
        return sb.isEmpty() ? "-" : sb.toString();
    }

    /** Parses the flags of a script packet. */
    static int parseFlags(String s) {
        int f = 0;
        for (char c : s.toCharArray()) {
            f |= switch (c) {
                case 'F' -> FIN;
                case 'S' -> SYN;
                case 'R' -> RST;
                case 'P' -> PSH;
                case 'U' -> URG;
                case 'E' -> ECE;
                case 'W' -> CWR;
                case 'A' -> AE;
                case '.' -> ACK;
                default -> 0;
            };
        }
        return f;
    }

    /** The IPv4 packet with checksums (IP header and TCP), payload zeros. */
    byte[] encode() {
        int optLen = 0;
        for (Opt o : options) {
            optLen += optLength(o);
        }
        int tcpLen = 20 + optLen + payloadLen;
        byte[] b = new byte[20 + tcpLen];
        b[0] = 0x45;
        b[1] = (byte) tos;
        put16(b, 2, b.length);
        put16(b, 4, ipId);
        put16(b, 6, 0x4000); // DF
        b[8] = (byte) ttl;
        b[9] = 6;
        put32(b, 12, src);
        put32(b, 16, dst);
        Checksum.ipSendCheck(b, 0);
        int t = 20;
        put16(b, t, sport);
        put16(b, t + 2, dport);
        put32(b, t + 4, (int) seq);
        put32(b, t + 8, (int) ack);
        b[t + 12] = (byte) (((20 + optLen) / 4) << 4 | ((flags & AE) != 0 ? 1 : 0));
        b[t + 13] = (byte) flags;
        put16(b, t + 14, win);
        put16(b, t + 18, urg);
        int p = t + 20;
        for (Opt o : options) {
            switch (o.kind()) {
                case "nop" -> b[p] = 1;
                case "eol" -> b[p] = 0;
                case "mss" -> {
                    b[p] = 2;
                    b[p + 1] = 4;
                    put16(b, p + 2, (int) o.a());
                }
                case "wscale" -> {
                    b[p] = 3;
                    b[p + 1] = 3;
                    b[p + 2] = (byte) o.a();
                }
                case "sackOK" -> {
                    b[p] = 4;
                    b[p + 1] = 2;
                }
                case "sack" -> {
                    b[p] = 5;
                    b[p + 1] = (byte) (2 + 8 * o.blocks().size());
                    int q = p + 2;
                    for (long[] blk : o.blocks()) {
                        put32(b, q, (int) blk[0]);
                        put32(b, q + 4, (int) blk[1]);
                        q += 8;
                    }
                }
                case "TS" -> {
                    b[p] = 8;
                    b[p + 1] = 10;
                    put32(b, p + 2, (int) o.a());
                    put32(b, p + 6, (int) o.b());
                }
                default -> throw new IllegalStateException("option " + o.kind());
            }
            p += optLength(o);
        }
        int sum = Checksum.csumPartial(b, t, tcpLen, 0);
        put16(b, t + 16, Checksum.csumTcpudpMagic(src, dst, tcpLen, 6, sum));
        return b;
    }

    static int optLength(Opt o) {
        return switch (o.kind()) {
            case "nop", "eol" -> 1;
            case "mss" -> 4;
            case "wscale" -> 3;
            case "sackOK" -> 2;
            case "sack" -> 2 + 8 * o.blocks().size();
            case "TS" -> 10;
            default -> throw new IllegalStateException("option " + o.kind());
        };
    }

    /** Decodes an IPv4 packet; null if it is not IPv4/TCP (then {@code why} says what it is). */
    static Segment decode(byte[] b, StringBuilder why) {
        if (b.length < 20 || (b[0] & 0xf0) != 0x40) {
            why.append("a non-IPv4 packet of ").append(b.length).append(" bytes");
            return null;
        }
        int ihl = (b[0] & 0x0f) * 4;
        Segment s = new Segment();
        s.tos = b[1] & 0xff;
        s.ttl = b[8] & 0xff;
        s.ipId = get16(b, 4);
        s.protocol = b[9] & 0xff;
        s.src = get32(b, 12);
        s.dst = get32(b, 16);
        s.ipCsumOk = Checksum.ipFastCsum(b, 0, ihl / 4) == 0;
        if (s.protocol != 6) {
            why.append(s.protocol == 1 ? "an ICMP packet" : s.protocol == 17 ? "a UDP packet" : "an IP packet of protocol " + s.protocol);
            if (s.protocol == 1 && b.length >= ihl + 2) {
                why.append(" (type ").append(b[ihl] & 0xff).append(", code ").append(b[ihl + 1] & 0xff).append(')');
            }
            return null;
        }
        int total = Math.min(get16(b, 2), b.length);
        int t = ihl;
        s.sport = get16(b, t);
        s.dport = get16(b, t + 2);
        s.seq = get32(b, t + 4) & 0xffffffffL;
        s.ack = get32(b, t + 8) & 0xffffffffL;
        s.doff = ((b[t + 12] & 0xf0) >> 4) * 4;
        s.flags = (b[t + 13] & 0xff) | ((b[t + 12] & 1) != 0 ? AE : 0);
        s.win = get16(b, t + 14);
        s.urg = get16(b, t + 18);
        int p = t + 20;
        int end = t + s.doff;
        while (p < end) {
            int kind = b[p] & 0xff;
            if (kind == 0) {
                s.options.add(new Opt("eol", 0, 0, null));
                p++;
                continue;
            }
            if (kind == 1) {
                s.options.add(new Opt("nop", 0, 0, null));
                p++;
                continue;
            }
            int len = p + 1 < end ? b[p + 1] & 0xff : 0;
            if (len < 2 || p + len > end) {
                s.options.add(new Opt("bad(" + kind + ")", 0, 0, null));
                break;
            }
            switch (kind) {
                case 2 -> s.options.add(new Opt("mss", get16(b, p + 2), 0, null));
                case 3 -> s.options.add(new Opt("wscale", b[p + 2] & 0xff, 0, null));
                case 4 -> s.options.add(new Opt("sackOK", 0, 0, null));
                case 5 -> {
                    List<long[]> blocks = new ArrayList<>();
                    for (int q = p + 2; q + 8 <= p + len; q += 8) {
                        blocks.add(new long[] {get32(b, q) & 0xffffffffL, get32(b, q + 4) & 0xffffffffL});
                    }
                    s.options.add(new Opt("sack", 0, 0, blocks));
                }
                case 8 -> s.options.add(new Opt("TS", get32(b, p + 2) & 0xffffffffL, get32(b, p + 6) & 0xffffffffL, null));
                default -> s.options.add(new Opt("option" + kind, len, 0, null));
            }
            p += len;
        }
        s.payloadLen = total - t - s.doff;
        return s;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int get16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    static int get32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
