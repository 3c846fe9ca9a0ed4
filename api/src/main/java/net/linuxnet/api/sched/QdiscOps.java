package net.linuxnet.api.sched;

import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;

/**
 * A queueing discipline's operations, as {@code struct Qdisc_ops} in
 * {@code include/net/sch_generic.h}. One stateless instance per kind (registered by its
 * {@link #id()}, like {@code register_qdisc}); each attached qdisc keeps its state in a
 * private object of type {@code P} that {@link #init} creates ({@code qdisc_priv}).
 *
 * <p>Every method runs in the engine's thread, in softirq or process context, with the
 * qdisc "locked" (nothing else touches it meanwhile).
 *
 * @param <P> the private state of one qdisc
 */
public interface QdiscOps<P> {

    /** The kind, as {@code tc qdisc add ... <kind>} names it ({@code "pfifo"}). */
    String id();

    /**
     * Creates the private state from the options ({@code Qdisc_ops.init}). Called once when
     * the qdisc is created, with the options of its configuration entry (possibly none).
     * Read every option you accept: the core rejects options nobody read.
     *
     * @throws net.linuxnet.api.config.OptionException for a bad option
     */
    P init(Qdisc<P> sch, Options options);

    /**
     * Queues a packet ({@code Qdisc_ops.enqueue}). Required.
     *
     * @return {@link NetXmit#NET_XMIT_SUCCESS}, or {@link NetXmit#NET_XMIT_DROP} after
     *     dropping the packet through {@link Qdisc#qdiscDrop}, or {@link NetXmit#NET_XMIT_CN}
     *     when the packet was queued but another was dropped
     */
    int enqueue(SkBuff skb, Qdisc<P> sch);

    /**
     * Takes the next packet to send ({@code Qdisc_ops.dequeue}). Required. A qdisc that holds
     * packets but may not send now (a shaper) returns null and arms its watchdog.
     */
    SkBuff dequeue(Qdisc<P> sch);

    /**
     * The packet {@link #dequeue} would return, without removing it ({@code Qdisc_ops.peek}).
     * Optional: by default the head of {@link Qdisc#q()} ({@code qdisc_peek_head}).
     */
    default SkBuff peek(Qdisc<P> sch) {
        return sch.q().peek();
    }

    /**
     * Drops everything queued ({@code Qdisc_ops.reset}). Optional: by default purges
     * {@link Qdisc#q()} with {@code reason} and clears the backlog counters.
     */
    default void reset(Qdisc<P> sch, SkbDropReason reason) {
        sch.purgeQueue(reason);
    }

    /**
     * Attaches {@code child} as the qdisc of class {@code classid} of {@code sch}, replacing
     * (and destroying) the one there ({@code Qdisc_class_ops.graft}), as {@code tc qdisc add
     * dev DEV parent 1:1 ...} does. Called at configuration time, before any packet.
     * Optional: a classless qdisc has no classes, and the default refuses.
     *
     * @return null when grafted, else the sentence {@code tc} would print (the kernel's extack)
     */
    default String graft(Qdisc<P> sch, int classid, Qdisc<?> child) {
        return "qdisc " + id() + " is classless";
    }

    /** Releases resources when the qdisc is destroyed ({@code Qdisc_ops.destroy}). Optional. */
    default void destroy(Qdisc<P> sch) {
    }

    /**
     * Runs the qdisc's filters on a packet, for a qdisc that classifies without queueing
     * ({@code ingress}: {@code tc_run} → {@code tcf_classify} on its filter chain). Called by
     * {@code sch_handle_ingress} with {@code skb.tcAtIngress()} set. Optional: by default
     * {@link TcAct#TC_ACT_UNSPEC} (no filter matched, the packet goes on).
     *
     * @return a {@link TcAct} verdict; for {@link TcAct#TC_ACT_SHOT} the caller frees the
     *     packet, for {@link TcAct#TC_ACT_STOLEN} it consumes it, for
     *     {@link TcAct#TC_ACT_CONSUMED} the action has taken it over
     */
    default int classify(SkBuff skb, Qdisc<P> sch) {
        return TcAct.TC_ACT_UNSPEC;
    }

    /**
     * The qdisc's filters as {@code tc -s filter show} prints them, one row per filter with
     * keys such as {@code pref}, {@code kind}, {@code match}, {@code action},
     * {@code sent_bytes}, {@code sent_packets}, {@code dropped}. Optional: none.
     */
    default java.util.List<java.util.Map<String, Object>> dumpFilters(Qdisc<P> sch) {
        return java.util.List.of();
    }

    /**
     * The flags every qdisc of this kind starts with ({@code Qdisc_ops.static_flags}),
     * such as {@link Qdisc#TCQ_F_CAN_BYPASS} for a work-conserving fifo. Optional.
     */
    default int staticFlags() {
        return 0;
    }

    /**
     * The options as {@code tc qdisc show} prints them after the kind ({@code Qdisc_ops.dump}),
     * for example {@code "limit 1000p"}. Optional.
     */
    default String dump(Qdisc<P> sch) {
        return "";
    }

    /**
     * The kind's own statistics ({@code Qdisc_ops.dump_stats}, the {@code xstats} that
     * {@code tc -s qdisc} prints under a qdisc's counters), as ordered key/value pairs with
     * the names tc prints, such as fq_codel's {@code maxpacket} and {@code new_flow_count}.
     * Optional: by default none.
     */
    default void dumpStats(Qdisc<P> sch, ResultWriter out) {
    }
}
