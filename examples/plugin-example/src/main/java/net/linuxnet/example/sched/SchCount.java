package net.linuxnet.example.sched;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;

/**
 * {@code count}: a packet fifo that also counts every packet offered to it by IPv4 protocol,
 * to show a third-party qdisc. Its queue is {@code pfifo}'s ({@code pfifo_enqueue},
 * {@code qdisc_dequeue_head} in {@code net/sched/sch_fifo.c}); the counting is its own.
 *
 * <p>Option {@code limit}: packets (default: the device's {@code txqueuelen}). The qdisc may
 * be bypassed when empty if it can hold a packet, as {@code pfifo}; a bypassed packet is not
 * offered to enqueue and so is not counted.
 *
 * <p>{@code tc qdisc show} prints {@code limit 1000p seen 42 icmp 2 tcp 30 udp 10 other 0}, where
 * {@code other} is every packet seen that is not IPv4 ICMP, TCP or UDP.
 */
public final class SchCount implements QdiscOps<CountSchedData> {

    /** The qdisc kind. */
    public static final String ID = "count";

    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    /** Offset of the protocol field in the IPv4 header. */
    private static final int IPHDR_PROTOCOL = 9;

    @Override
    public String id() {
        return ID;
    }

    /** Reads {@code limit} and sets {@code TCQ_F_CAN_BYPASS} as {@code __fifo_init} does for pfifo. */
    @Override
    public CountSchedData init(Qdisc<CountSchedData> sch, Options options) {
        int limit = options.getInt("limit", sch.dev().txQueueLen(), 0, Integer.MAX_VALUE);
        sch.setLimit(limit);
        if (limit >= 1) {
            sch.setFlags(sch.flags() | Qdisc.TCQ_F_CAN_BYPASS);
        } else {
            sch.setFlags(sch.flags() & ~Qdisc.TCQ_F_CAN_BYPASS);
        }
        return new CountSchedData();
    }

    /** Counts the packet, then {@code pfifo_enqueue}. */
    @Override
    public int enqueue(SkBuff skb, Qdisc<CountSchedData> sch) {
        CountSchedData q = sch.priv();
        int proto = ipProtocol(skb);
        if (proto < 0) {
            q.nonIp++;
        } else {
            q.ipProto[proto]++;
        }
        if (sch.q().qlen() < sch.limit()) {
            return sch.qdiscEnqueueTail(skb);
        }
        return sch.qdiscDrop(skb);
    }

    /** {@code qdisc_dequeue_head}. */
    @Override
    public SkBuff dequeue(Qdisc<CountSchedData> sch) {
        return sch.qdiscDequeueHead();
    }

    @Override
    public String dump(Qdisc<CountSchedData> sch) {
        CountSchedData q = sch.priv();
        long icmp = q.ipProto[IPPROTO_ICMP];
        long tcp = q.ipProto[IPPROTO_TCP];
        long udp = q.ipProto[IPPROTO_UDP];
        long seen = q.seen();
        return "limit " + sch.limit() + "p seen " + seen + " icmp " + icmp + " tcp " + tcp + " udp " + udp
                + " other " + (seen - icmp - tcp - udp);
    }

    /**
     * The IPv4 protocol of a packet on its way out, or -1 if it is not IPv4. Uses the network
     * header when the stack set it, else expects the Ethernet header at {@code data}.
     */
    private static int ipProtocol(SkBuff skb) {
        if (skb.protocol() != IfEther.ETH_P_IP) {
            return -1;
        }
        int nh = skb.networkHeader();
        if (nh == SkBuff.NO_HEADER) {
            nh = skb.data() + IfEther.ETH_HLEN;
        }
        if (nh < skb.data() || nh + IPHDR_PROTOCOL >= skb.tail()) {
            return -1;
        }
        return skb.getU8(nh + IPHDR_PROTOCOL);
    }
}
