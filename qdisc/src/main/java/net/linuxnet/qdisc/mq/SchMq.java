package net.linuxnet.qdisc.mq;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;

/**
 * The multiqueue root, after {@code net/sched/sch_mq.c} of Linux 6.18: a classful qdisc
 * with one class per TX queue and one child qdisc grafted on each ({@code mq_init} creates
 * them from {@code net.core.default_qdisc} with parent {@code <mq major>:<queue + 1>} and
 * {@code TCQ_F_ONETXQUEUE | TCQ_F_NOPARENT}; {@code mq_attach} puts each on its queue). The
 * core does the creation and grafting, since it knows the registered kinds; mq itself never
 * sees a packet: the device layer enqueues to the chosen queue's child.
 *
 * <p>{@code mq_dump}: the root's counters are the sums of its children's, computed when it
 * is dumped.
 */
public final class SchMq implements QdiscOps<Void> {

    /** {@code mq_qdisc_ops}. */
    public static final SchMq MQ_QDISC_OPS = new SchMq();

    private SchMq() {
    }

    @Override
    public String id() {
        return "mq";
    }

    @Override
    public int staticFlags() {
        return Qdisc.TCQ_F_MQROOT;
    }

    /** {@code mq_init}: takes no options; the core refuses mq on a device with one TX queue. */
    @Override
    public Void init(Qdisc<Void> sch, Options options) {
        return null;
    }

    /** mq has no enqueue of its own ({@code noop_qdisc_ops}' {@code noop_enqueue}): drop. */
    @Override
    public int enqueue(SkBuff skb, Qdisc<Void> sch) {
        return sch.qdiscDrop(skb);
    }

    @Override
    public SkBuff dequeue(Qdisc<Void> sch) {
        return null;
    }

    @Override
    public SkBuff peek(Qdisc<Void> sch) {
        return null;
    }

    /** {@code mq_reset} is the children's business; nothing is queued in mq itself. */
    @Override
    public void reset(Qdisc<Void> sch, net.linuxnet.api.net.SkbDropReason reason) {
    }

    /** {@code mq_dump}: sums the children's bstats and qstats into mq's own. */
    @Override
    public String dump(Qdisc<Void> sch) {
        long bytes = 0;
        long packets = 0;
        int qlen = 0;
        long backlog = 0;
        long drops = 0;
        long requeues = 0;
        long overlimits = 0;
        for (Qdisc<?> c : sch.children()) {
            c.dump();
            bytes += c.bytes;
            packets += c.packets;
            qlen += c.qlen;
            backlog += c.backlog;
            drops += c.drops;
            requeues += c.requeues;
            overlimits += c.overlimits;
        }
        sch.bytes = bytes;
        sch.packets = packets;
        sch.qlen = qlen;
        sch.backlog = backlog;
        sch.drops = drops;
        sch.requeues = requeues;
        sch.overlimits = overlimits;
        return "";
    }
}
