package net.linuxnet.example.sched;

/**
 * The private state of one {@code count} qdisc: packets offered to it, by IPv4 protocol
 * number, and the packets that were not IPv4.
 */
public final class CountSchedData {

    /** Packets offered to enqueue, indexed by the IPv4 header's protocol field. */
    final long[] ipProto = new long[256];
    /** Packets offered that were not IPv4 (ARP, IPv6, ...). */
    long nonIp;

    /** Packets seen with IPv4 protocol {@code proto} ({@code IPPROTO_*}). */
    public long ipProto(int proto) {
        return ipProto[proto];
    }

    /** Packets seen that were not IPv4. */
    public long nonIp() {
        return nonIp;
    }

    /** Every packet seen. */
    public long seen() {
        long n = nonIp;
        for (long c : ipProto) {
            n += c;
        }
        return n;
    }
}
