package net.linuxnet.qdisc.generic;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffHead;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;

/**
 * {@code pfifo_fast}, the default qdisc of Linux ({@code net.core.default_qdisc}), from
 * {@code net/sched/sch_generic.c}: three fifo bands, band 0 served first, then band 1, then
 * band 2. The band of a packet is {@code prio2band[skb->priority & TC_PRIO_MAX]}:
 * <pre>
 *   skb->priority   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *   band            1  2  2  2  1  2  0  0  1  1  1  1  1  1  1  1
 * </pre>
 * A socket's priority comes from {@code SO_PRIORITY}, or from {@code IP_TOS} through
 * {@code rt_tos2priority}: TOS 0x10 (low delay) is {@code TC_PRIO_INTERACTIVE} (6), band 0;
 * TOS 0x08 (throughput) is {@code TC_PRIO_BULK} (2), band 2; TOS 0 is best effort, band 1.
 *
 * <p>Each band holds at most {@code txqueuelen} packets (the kernel's {@code skb_array} of
 * that size per band); a packet for a full band is dropped ({@code qdisc_drop}). The qdisc may
 * be bypassed when empty ({@code TCQ_F_CAN_BYPASS}). It takes no options.
 */
public final class SchGeneric {

    /** {@code pfifo_fast_ops}. */
    public static final QdiscOps<PfifoFastPriv> PFIFO_FAST_OPS = new PfifoFastOps();

    /** {@code PFIFO_FAST_BANDS}. */
    public static final int PFIFO_FAST_BANDS = 3;
    /** {@code TC_PRIO_MAX}. */
    public static final int TC_PRIO_MAX = 15;
    /** {@code sch_default_prio2band}. */
    static final int[] SCH_DEFAULT_PRIO2BAND = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};

    private SchGeneric() {
    }

    /** The band {@code pfifo_fast} puts a packet of {@code priority} in. */
    public static int prio2band(int priority) {
        return SCH_DEFAULT_PRIO2BAND[priority & TC_PRIO_MAX];
    }

    /** {@code struct pfifo_fast_priv}: one queue per band and the per-band capacity. */
    public static final class PfifoFastPriv {
        final SkBuffHead[] q = new SkBuffHead[PFIFO_FAST_BANDS];
        /** The size of each band's ring: {@code tx_queue_len} when the qdisc was created. */
        final int bandLimit;

        PfifoFastPriv(int bandLimit) {
            this.bandLimit = bandLimit;
            for (int i = 0; i < PFIFO_FAST_BANDS; i++) {
                q[i] = new SkBuffHead();
            }
        }

        /** The packets queued in {@code band}. */
        public int bandQlen(int band) {
            return q[band].qlen();
        }

        public int bandLimit() {
            return bandLimit;
        }
    }

    static final class PfifoFastOps implements QdiscOps<PfifoFastPriv> {

        @Override
        public String id() {
            return "pfifo_fast";
        }

        /** {@code pfifo_fast_init}: one ring of {@code txqueuelen} per band; bypassable. */
        @Override
        public PfifoFastPriv init(Qdisc<PfifoFastPriv> sch, Options options) {
            int qlen = sch.dev().txQueueLen();
            if (qlen == 0) {
                // guard against zero length rings: -EINVAL
                throw options.error("kind", "pfifo_fast needs txqueuelen > 0 on " + sch.dev().name()
                        + " (expected: txqueuelen >= 1, or another qdisc)");
            }
            sch.setFlags(sch.flags() | Qdisc.TCQ_F_CAN_BYPASS);
            return new PfifoFastPriv(qlen);
        }

        /** {@code pfifo_fast_enqueue}: into the band of its priority; dropped when that band is full. */
        @Override
        public int enqueue(SkBuff skb, Qdisc<PfifoFastPriv> sch) {
            SkBuffHead q = sch.priv().q[prio2band(skb.priority())];
            if (q.qlen() >= sch.priv().bandLimit) {
                return sch.qdiscDrop(skb);
            }
            q.queueTail(skb);
            sch.qlen++; // qdisc_update_stats_at_enqueue
            sch.backlog += skb.len();
            return NetXmit.NET_XMIT_SUCCESS;
        }

        /** {@code pfifo_fast_dequeue}: the head of the first band that holds a packet. */
        @Override
        public SkBuff dequeue(Qdisc<PfifoFastPriv> sch) {
            SkBuffHead[] bands = sch.priv().q;
            for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
                SkBuff skb = bands[band].dequeue();
                if (skb != null) {
                    sch.qlen--; // qdisc_update_stats_at_dequeue
                    sch.backlog -= skb.len();
                    sch.bstatsUpdate(skb);
                    return skb;
                }
            }
            return null;
        }

        /** {@code pfifo_fast_peek}. */
        @Override
        public SkBuff peek(Qdisc<PfifoFastPriv> sch) {
            SkBuffHead[] bands = sch.priv().q;
            for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
                SkBuff skb = bands[band].peek();
                if (skb != null) {
                    return skb;
                }
            }
            return null;
        }

        /** {@code pfifo_fast_reset}: empties every band. */
        @Override
        public void reset(Qdisc<PfifoFastPriv> sch, SkbDropReason reason) {
            for (SkBuffHead q : sch.priv().q) {
                SkBuff skb;
                while ((skb = q.dequeue()) != null) {
                    sch.kernel().kfreeSkbReason(skb, reason);
                }
            }
            sch.qlen = 0;
            sch.backlog = 0;
        }

        /** {@code pfifo_fast_dump} as {@code prio_print_opt} prints it. */
        @Override
        public String dump(Qdisc<PfifoFastPriv> sch) {
            StringBuilder sb = new StringBuilder("bands ").append(PFIFO_FAST_BANDS).append(" priomap");
            for (int b : SCH_DEFAULT_PRIO2BAND) {
                sb.append(' ').append(b);
            }
            return sb.toString();
        }
    }
}
