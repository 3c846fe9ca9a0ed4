package net.linuxnet.api.sched;

import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetdevQueue;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffHead;
import net.linuxnet.api.net.SkbDropReason;

/**
 * One attached queueing discipline, as {@code struct Qdisc}: its ops, its private state, its
 * handle and parent, the generic packet queue many qdiscs use ({@code sch->q}), and the
 * counters {@code tc -s qdisc} prints.
 *
 * <p>The helpers follow {@code include/net/sch_generic.h}: {@link #qdiscEnqueueTail},
 * {@link #qdiscDequeueHead}, {@link #qdiscDrop} keep {@code qlen}, {@code backlog} and the
 * drop counters right, so a qdisc written with them balances by construction.
 *
 * @param <P> the private state its ops created
 */
public final class Qdisc<P> {

    /** {@code TCQ_F_BUILTIN}. */
    public static final int TCQ_F_BUILTIN = 1;
    /** {@code TCQ_F_INGRESS}. */
    public static final int TCQ_F_INGRESS = 2;
    /** {@code TCQ_F_CAN_BYPASS}: an empty qdisc may be skipped and the packet sent directly. */
    public static final int TCQ_F_CAN_BYPASS = 4;
    /** {@code TCQ_F_MQROOT}. */
    public static final int TCQ_F_MQROOT = 8;
    /** {@code TCQ_F_ONETXQUEUE}. */
    public static final int TCQ_F_ONETXQUEUE = 0x10;
    /** {@code TCQ_F_NOPARENT}. */
    public static final int TCQ_F_NOPARENT = 0x40;

    /** {@code TC_H_ROOT}. */
    public static final int TC_H_ROOT = 0xFFFFFFFF;
    /** {@code TC_H_INGRESS}. */
    public static final int TC_H_INGRESS = 0xFFFFFFF1;
    /** {@code TC_H_UNSPEC}. */
    public static final int TC_H_UNSPEC = 0;

    private static final Qdisc<?>[] NO_CHILDREN = new Qdisc<?>[0];

    private final QdiscOps<P> ops;
    private final NetDevice dev;
    private final NetdevQueue devQueue;
    private final int handle;
    private final int parent;
    private final SkBuffHead q = new SkBuffHead();
    private P priv;
    private int flags;
    private int limit;
    private TimerList watchdog;
    private Qdisc<?>[] children = NO_CHILDREN;
    /** {@code __QDISC_STATE_SCHED}: on a CPU's output queue for NET_TX. Owned by the core. */
    public boolean scheduled;
    /** Output-queue link for NET_TX. Owned by the core. */
    public Qdisc<?> nextSched;
    /** {@code qdisc_run_begin} state. Owned by the core. */
    public boolean running;
    /** A packet taken out but not accepted by the driver ({@code sch->gso_skb}). Owned by the core. */
    public SkBuff requeued;

    /** {@code sch->bstats}: bytes and packets dequeued and sent. */
    public long bytes;
    public long packets;
    /** {@code sch->qstats}. */
    public int qlen;
    public long backlog;
    public long drops;
    public long requeues;
    public long overlimits;

    /** Creates a qdisc; called by the core ({@code qdisc_alloc}), which then calls {@link #init}. */
    public Qdisc(QdiscOps<P> ops, NetDevice dev, NetdevQueue devQueue, int handle, int parent) {
        this.ops = ops;
        this.dev = dev;
        this.devQueue = devQueue;
        this.handle = handle;
        this.parent = parent;
        this.flags = ops.staticFlags();
    }

    /** Runs {@link QdiscOps#init} and keeps the private state it returns. */
    public void init(Options options) {
        priv = ops.init(this, options);
    }

    public QdiscOps<P> ops() {
        return ops;
    }

    /** {@code qdisc_priv}. */
    public P priv() {
        return priv;
    }

    public NetDevice dev() {
        return dev;
    }

    /** {@code qdisc_dev(sch)->kernel}. */
    public Kernel kernel() {
        return dev.kernel();
    }

    public NetdevQueue devQueue() {
        return devQueue;
    }

    public int handle() {
        return handle;
    }

    public int parent() {
        return parent;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int flags) {
        this.flags = flags;
    }

    /** {@code sch->limit}, used by the fifos. */
    public int limit() {
        return limit;
    }

    public void setLimit(int limit) {
        this.limit = limit;
    }

    /**
     * The qdiscs grafted under this one's classes, in class order: for {@code mq}, one per TX
     * queue ({@code priv->qdiscs}). Empty for a classless qdisc.
     */
    public Qdisc<?>[] children() {
        return children;
    }

    public void setChildren(Qdisc<?>[] children) {
        this.children = children.clone();
    }

    /** {@code TC_H_MAJ}. */
    public static int tcHMaj(int h) {
        return h & 0xFFFF0000;
    }

    /** {@code TC_H_MIN}. */
    public static int tcHMin(int h) {
        return h & 0x0000FFFF;
    }

    /** {@code TC_H_MAKE}. */
    public static int tcHMake(int maj, int min) {
        return tcHMaj(maj) | tcHMin(min);
    }

    /**
     * A handle or class id as {@code tc} prints it ({@code print_tc_classid}): {@code root},
     * {@code none}, {@code ffff:fff1}, {@code 1:}, {@code :1} or {@code 1:2}.
     */
    public static String classid(int h) {
        if (h == TC_H_ROOT) {
            return "root";
        }
        if (h == TC_H_UNSPEC) {
            return "none";
        }
        if (tcHMaj(h) == 0) {
            return ":" + Integer.toHexString(tcHMin(h));
        }
        if (tcHMin(h) == 0) {
            return Integer.toHexString(h >>> 16) + ":";
        }
        return Integer.toHexString(h >>> 16) + ":" + Integer.toHexString(tcHMin(h));
    }

    /** The generic packet queue ({@code sch->q}). */
    public SkBuffHead q() {
        return q;
    }

    // ---- the core's entry points ------------------------------------------------------------

    /** Calls {@link QdiscOps#enqueue}. */
    public int enqueue(SkBuff skb) {
        return ops.enqueue(skb, this);
    }

    /** Calls {@link QdiscOps#dequeue}. */
    public SkBuff dequeue() {
        return ops.dequeue(this);
    }

    /** Calls {@link QdiscOps#peek}. */
    public SkBuff peek() {
        return ops.peek(this);
    }

    /** Calls {@link QdiscOps#reset}. */
    public void reset(SkbDropReason reason) {
        ops.reset(this, reason);
    }

    /** Calls {@link QdiscOps#classify}. */
    public int classify(SkBuff skb) {
        return ops.classify(skb, this);
    }

    /** Calls {@link QdiscOps#destroy}. */
    public void destroy() {
        ops.destroy(this);
    }

    /** Calls {@link QdiscOps#dump}. */
    public String dump() {
        return ops.dump(this);
    }

    /** Calls {@link QdiscOps#dumpStats}. */
    public void dumpStats(ResultWriter out) {
        ops.dumpStats(this, out);
    }

    // ---- helpers from sch_generic.h --------------------------------------------------------

    /** {@code qdisc_qstats_backlog_inc}. */
    public void backlogInc(SkBuff skb) {
        backlog += skb.len();
    }

    /** {@code qdisc_qstats_backlog_dec}. */
    public void backlogDec(SkBuff skb) {
        backlog -= skb.len();
    }

    /** {@code qdisc_bstats_update}: count a packet leaving the qdisc. */
    public void bstatsUpdate(SkBuff skb) {
        bytes += skb.len();
        packets++;
    }

    /** {@code qdisc_enqueue_tail}: appends to {@link #q()} and counts it. */
    public int qdiscEnqueueTail(SkBuff skb) {
        q.queueTail(skb);
        qlen++;
        backlog += skb.len();
        return NetXmit.NET_XMIT_SUCCESS;
    }

    /** {@code qdisc_dequeue_head}: takes the head of {@link #q()} and counts it sent. */
    public SkBuff qdiscDequeueHead() {
        SkBuff skb = q.dequeue();
        if (skb != null) {
            qlen--;
            backlog -= skb.len();
            bstatsUpdate(skb);
        }
        return skb;
    }

    /** {@code __qdisc_queue_drop_head}: drops the oldest packet of {@link #q()}. */
    public void qdiscQueueDropHead(SkbDropReason reason) {
        SkBuff skb = q.dequeue();
        if (skb != null) {
            qlen--;
            backlog -= skb.len();
            drops++;
            dev.kernel().kfreeSkbReason(skb, reason);
        }
    }

    /**
     * {@code qdisc_drop}: frees a packet the qdisc refuses, counting it in {@code drops}
     * with reason {@code QDISC_DROP}.
     *
     * @return {@link NetXmit#NET_XMIT_DROP}
     */
    public int qdiscDrop(SkBuff skb) {
        return qdiscDropReason(skb, SkbDropReason.QDISC_DROP);
    }

    /** {@code qdisc_drop_reason}. */
    public int qdiscDropReason(SkBuff skb, SkbDropReason reason) {
        drops++;
        dev.kernel().kfreeSkbReason(skb, reason);
        return NetXmit.NET_XMIT_DROP;
    }

    /** Purges {@link #q()} with {@code reason} and zeroes {@code qlen} and {@code backlog} ({@code qdisc_reset_queue}). */
    public void purgeQueue(SkbDropReason reason) {
        SkBuff skb;
        while ((skb = q.dequeue()) != null) {
            dev.kernel().kfreeSkbReason(skb, reason);
        }
        qlen = 0;
        backlog = 0;
    }

    /**
     * Arms the watchdog that reschedules this qdisc at {@code expiresNs}
     * ({@code qdisc_watchdog_schedule_ns}), for a shaper whose next packet may not leave yet.
     */
    public void watchdogScheduleNs(long expiresNs) {
        if (watchdog == null) {
            watchdog = dev.kernel().timerSetup(t -> dev.kernel().netifScheduleQueue(devQueue));
        }
        if (!watchdog.pending() || watchdog.expires() != expiresNs) {
            watchdog.mod(expiresNs);
        }
    }

    /** {@code qdisc_watchdog_cancel}. */
    public void watchdogCancel() {
        if (watchdog != null) {
            watchdog.del();
        }
    }

    @Override
    public String toString() {
        return ops.id() + " " + Integer.toHexString(handle >>> 16) + ": dev " + dev.name();
    }
}
