package net.linuxnet.qdisc.fifo;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.qdisc.TcUtil;

/**
 * The simplest queues: one band, first in first out, bounded by a packet count
 * ({@code pfifo}), a byte count ({@code bfifo}), or a packet count that makes room by dropping
 * the oldest packet ({@code pfifo_head_drop}). Follows {@code net/sched/sch_fifo.c}.
 *
 * <p>Enqueue compares the queue with {@code sch->limit}:
 * <ul>
 *   <li>{@code pfifo_enqueue}: queue at the tail while {@code q.qlen < limit}, else drop the
 *       new packet ({@code qdisc_drop}, reason {@code QDISC_DROP});</li>
 *   <li>{@code bfifo_enqueue}: queue while {@code backlog + len <= limit}, else drop it;</li>
 *   <li>{@code pfifo_tail_enqueue} ({@code pfifo_head_drop}): queue while
 *       {@code q.qlen < limit}; when full, drop the head, count one drop, queue the new
 *       packet at the tail and return {@code NET_XMIT_CN}.</li>
 * </ul>
 * Dequeue takes the head ({@code qdisc_dequeue_head}); reset purges the queue
 * ({@code qdisc_reset_queue}).
 *
 * <p>{@code __fifo_init}: without a {@code limit} option the limit is the device's
 * {@code txqueuelen}, times {@code psched_mtu} (MTU plus hard header) for {@code bfifo}. The
 * qdisc may be bypassed when empty ({@code TCQ_F_CAN_BYPASS}) exactly when it could hold one
 * packet: {@code limit >= 1} for the packet fifos, {@code limit >= psched_mtu} for
 * {@code bfifo}.
 *
 * <p>The fifos keep no private state ({@code priv_size = 0}): everything lives in the
 * {@link Qdisc} itself, so the state type is {@link Void}.
 */
public final class SchFifo {

    /** {@code pfifo_qdisc_ops}. */
    public static final QdiscOps<Void> PFIFO_QDISC_OPS = new PfifoQdiscOps();
    /** {@code bfifo_qdisc_ops}. */
    public static final QdiscOps<Void> BFIFO_QDISC_OPS = new BfifoQdiscOps();
    /** {@code pfifo_head_drop_qdisc_ops}. */
    public static final QdiscOps<Void> PFIFO_HEAD_DROP_QDISC_OPS = new PfifoHeadDropQdiscOps();

    /** The largest {@code limit} accepted; the kernel's is a {@code u32}, the model's {@code sch->limit} an int. */
    static final long MAX_LIMIT = Integer.MAX_VALUE;

    private SchFifo() {
    }

    /** {@code psched_mtu}: the largest frame the device sends, MTU plus link-layer header. */
    public static int pschedMtu(NetDevice dev) {
        return dev.mtu() + dev.hardHeaderLen();
    }

    /**
     * {@code __fifo_init}: sets {@code sch->limit} from the {@code limit} option or the
     * device defaults, and sets or clears {@code TCQ_F_CAN_BYPASS}.
     */
    static void fifoInit(Qdisc<Void> sch, Options options, boolean isBfifo) {
        NetDevice dev = sch.dev();
        long limit;
        if (isBfifo) {
            long dflt = Math.min((long) dev.txQueueLen() * pschedMtu(dev), MAX_LIMIT);
            limit = options.getBytes("limit", dflt, 0, MAX_LIMIT);
        } else {
            limit = options.getLong("limit", dev.txQueueLen(), 0, MAX_LIMIT);
        }
        sch.setLimit((int) limit);

        boolean bypass = isBfifo ? limit >= pschedMtu(dev) : limit >= 1;
        if (bypass) {
            sch.setFlags(sch.flags() | Qdisc.TCQ_F_CAN_BYPASS);
        } else {
            sch.setFlags(sch.flags() & ~Qdisc.TCQ_F_CAN_BYPASS);
        }
    }

    /**
     * {@code fifo_create_dflt}: a fifo of kind {@code ops} with {@code limit} (packets, or bytes
     * for {@code bfifo}), the default child of a classful qdisc such as {@code tbf}. Its parent
     * is class 1 of {@code sch} ({@code TC_H_MAKE(sch->handle, 1)}); like the kernel's
     * {@code qdisc_hash_add(child, true)} it is invisible: {@code tc qdisc show} lists the parent.
     */
    public static Qdisc<Void> fifoCreateDflt(Qdisc<?> sch, QdiscOps<Void> ops, long limit) {
        Qdisc<Void> child = new Qdisc<>(ops, sch.dev(), sch.devQueue(), 0, sch.handle() | 1);
        child.init(new LimitOptions(ops.id(), limit));
        return child;
    }

    /** {@code __fifo_dump} as {@code tc}'s {@code fifo_print_opt} prints it for the packet fifos. */
    static String packetLimitDump(Qdisc<Void> sch) {
        return "limit " + Integer.toUnsignedString(sch.limit()) + "p";
    }

    /** {@code pfifo}: a packet-count limit; the new packet is dropped when full. */
    static final class PfifoQdiscOps implements QdiscOps<Void> {

        @Override
        public String id() {
            return "pfifo";
        }

        /** {@code fifo_init}; accepts {@code limit} in packets (default: {@code txqueuelen}). */
        @Override
        public Void init(Qdisc<Void> sch, Options options) {
            fifoInit(sch, options, false);
            return null;
        }

        /** {@code pfifo_enqueue}. */
        @Override
        public int enqueue(SkBuff skb, Qdisc<Void> sch) {
            if (sch.q().qlen() < sch.limit()) {
                return sch.qdiscEnqueueTail(skb);
            }
            return sch.qdiscDrop(skb);
        }

        /** {@code qdisc_dequeue_head}. */
        @Override
        public SkBuff dequeue(Qdisc<Void> sch) {
            return sch.qdiscDequeueHead();
        }

        /** {@code fifo_dump}: {@code "limit 1000p"}. */
        @Override
        public String dump(Qdisc<Void> sch) {
            return packetLimitDump(sch);
        }
    }

    /** {@code bfifo}: a byte limit on the backlog; the new packet is dropped when it does not fit. */
    static final class BfifoQdiscOps implements QdiscOps<Void> {

        @Override
        public String id() {
            return "bfifo";
        }

        /**
         * {@code fifo_init}; accepts {@code limit} as a size ({@code 1514000}, {@code 64kb};
         * default: {@code txqueuelen * psched_mtu}).
         */
        @Override
        public Void init(Qdisc<Void> sch, Options options) {
            fifoInit(sch, options, true);
            return null;
        }

        /** {@code bfifo_enqueue}. */
        @Override
        public int enqueue(SkBuff skb, Qdisc<Void> sch) {
            if (sch.backlog + skb.len() <= sch.limit()) {
                return sch.qdiscEnqueueTail(skb);
            }
            return sch.qdiscDrop(skb);
        }

        /** {@code qdisc_dequeue_head}. */
        @Override
        public SkBuff dequeue(Qdisc<Void> sch) {
            return sch.qdiscDequeueHead();
        }

        /** {@code fifo_dump}: {@code "limit 1514000b"}, with {@code sprint_size}. */
        @Override
        public String dump(Qdisc<Void> sch) {
            return "limit " + TcUtil.sprintSize(Integer.toUnsignedLong(sch.limit()));
        }
    }

    /** {@code pfifo_head_drop}: a packet-count limit; the oldest packet makes room for the new one. */
    static final class PfifoHeadDropQdiscOps implements QdiscOps<Void> {

        @Override
        public String id() {
            return "pfifo_head_drop";
        }

        /** {@code fifo_hd_init}; accepts {@code limit} in packets (default: {@code txqueuelen}). */
        @Override
        public Void init(Qdisc<Void> sch, Options options) {
            fifoInit(sch, options, false);
            return null;
        }

        /**
         * {@code pfifo_tail_enqueue}. When full, {@code __qdisc_queue_drop_head} frees the
         * head (if any) and {@code qdisc_qstats_drop} counts one drop either way.
         *
         * @return {@code NET_XMIT_SUCCESS}, or {@code NET_XMIT_CN} when the head was dropped
         */
        @Override
        public int enqueue(SkBuff skb, Qdisc<Void> sch) {
            if (sch.q().qlen() < sch.limit()) {
                return sch.qdiscEnqueueTail(skb);
            }
            if (sch.q().isEmpty()) {
                sch.drops++; // limit 0: nothing to drop, the kernel still counts one
            } else {
                sch.qdiscQueueDropHead(SkbDropReason.QDISC_DROP); // counts the drop itself
            }
            sch.qdiscEnqueueTail(skb);
            return NetXmit.NET_XMIT_CN;
        }

        /** {@code qdisc_dequeue_head}. */
        @Override
        public SkBuff dequeue(Qdisc<Void> sch) {
            return sch.qdiscDequeueHead();
        }

        /** {@code fifo_hd_dump}: {@code "limit 1000p"}. */
        @Override
        public String dump(Qdisc<Void> sch) {
            return packetLimitDump(sch);
        }
    }
}
