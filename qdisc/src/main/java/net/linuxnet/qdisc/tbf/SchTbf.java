package net.linuxnet.qdisc.tbf;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.qdisc.PschedRatecfg;
import net.linuxnet.qdisc.TcUtil;
import net.linuxnet.qdisc.fifo.SchFifo;

/**
 * The token bucket filter, {@code tbf}: a shaper that lets packets out at {@code rate} on
 * average with bursts of at most {@code burst} bytes, optionally also at most {@code peakrate}
 * with bursts of {@code mtu} bytes. Follows {@code net/sched/sch_tbf.c} of Linux 6.18 and,
 * for the options, {@code tc/q_tbf.c} of iproute2.
 *
 * <p>The algorithm, in the kernel's terms. Tokens are kept in units of time: the bucket holds
 * {@code buffer} nanoseconds, the time {@code burst} bytes take at {@code rate}
 * ({@code psched_l2t_ns}); it fills at one nanosecond per nanosecond. A packet of {@code L}
 * bytes costs {@code l2t(L)} nanoseconds of tokens. At dequeue, with {@code t_c} the time of
 * the last packet sent:
 * <pre>
 *   toks  = min(now - t_c, buffer) + tokens;  toks = min(toks, buffer);  toks  -= l2t(rate, L)
 *   ptoks = min(now - t_c + ptokens, mtu);                              ptoks -= l2t(peak, L)
 *   if (toks | ptoks) >= 0: send; t_c = now; tokens = toks; ptokens = ptoks
 *   else: watchdog at now + max(-toks, -ptoks); overlimits++
 * </pre>
 * So the long-term rate is {@code rate} and a burst after idleness is at most {@code burst}
 * bytes (and at most {@code mtu} bytes back to back at {@code peakrate}). Packets wait in an
 * inner {@code bfifo} of {@code limit} bytes ({@code fifo_create_dflt}); a packet larger than
 * the bucket ({@code max_size}) could never be sent and is dropped at enqueue (the kernel
 * first segments GSO packets; the model has no GSO). Lengths are {@code qdisc_pkt_len}: the
 * whole frame with its Ethernet header.
 *
 * <p>Options, as {@code tc qdisc add ... tbf} takes them: {@code rate} (required),
 * {@code burst} (also {@code buffer}, {@code maxburst}; required), exactly one of
 * {@code limit} (bytes) and {@code latency} (turned into {@code limit = rate * latency +
 * burst}, as {@code tbf_parse_opt} does, or the smaller one with the peak bucket),
 * {@code peakrate} with {@code mtu} (also {@code minburst}).
 */
public final class SchTbf {

    /** {@code tbf_qdisc_ops}. */
    public static final QdiscOps<TbfSchedData> TBF_QDISC_OPS = new TbfQdiscOps();

    private static final Logger LOG = System.getLogger("net.linuxnet.qdisc.tbf");

    /** iproute2's {@code TIME_UNITS_PER_SEC}: tc's times are microseconds. */
    static final double TIME_UNITS_PER_SEC = 1_000_000.0;
    /** {@code PSCHED_SHIFT}: a psched tick is 64 ns. */
    static final int PSCHED_SHIFT = 6;
    /** tc's {@code tick_in_usec} from {@code /proc/net/psched} (1000 / 64). */
    static final double TICK_IN_USEC = 1000.0 / 64.0;
    private static final long U32_MAX = 0xffffffffL;

    private SchTbf() {
    }

    /** {@code struct tbf_sched_data}: the private state of one tbf. */
    public static final class TbfSchedData {
        /** {@code limit}: the inner bfifo's byte limit. */
        long limit;
        /** {@code max_size}: the largest packet that fits the bucket(s), bytes. */
        long maxSize;
        /** {@code buffer}: bucket depth in ns at {@code rate}. */
        long buffer;
        /** {@code mtu}: peak bucket depth in ns at {@code peakrate}. */
        long mtu;
        PschedRatecfg rate;
        PschedRatecfg peak;
        /** {@code tokens}, {@code ptokens}: the buckets' contents in ns. */
        long tokens;
        long ptokens;
        /** {@code t_c}: time of the last dequeue. */
        long tC;
        /** {@code qdisc}: the inner qdisc, a bfifo unless another was grafted. */
        Qdisc<?> qdisc;

        public long limit() {
            return limit;
        }

        public long maxSize() {
            return maxSize;
        }

        public long buffer() {
            return buffer;
        }

        public long mtu() {
            return mtu;
        }

        public PschedRatecfg rate() {
            return rate;
        }

        public PschedRatecfg peak() {
            return peak;
        }

        public long tokens() {
            return tokens;
        }

        public Qdisc<?> child() {
            return qdisc;
        }
    }

    /** {@code qdisc_put} of an inner qdisc: its ops' {@code destroy}. */
    static <C> void qdiscDestroy(Qdisc<C> child) {
        child.ops().destroy(child);
    }

    /** {@code tbf_peak_present}. */
    static boolean peakPresent(TbfSchedData q) {
        return q.peak.rateBytesPs() != 0;
    }

    static final class TbfQdiscOps implements QdiscOps<TbfSchedData> {

        @Override
        public String id() {
            return "tbf";
        }

        /**
         * {@code tbf_init} and {@code tbf_change}, with the option parsing and checks of
         * {@code tbf_parse_opt} (iproute2): rates in bytes per second, {@code burst} and
         * {@code mtu} in bytes ({@code TCA_TBF_BURST}, {@code TCA_TBF_PBURST}), the limit from
         * {@code latency} when no {@code limit} is given; then the inner {@code bfifo}.
         */
        @Override
        public TbfSchedData init(Qdisc<TbfSchedData> sch, Options o) {
            Rate rate = o.getRate("rate", null);
            if (rate == null) {
                throw o.error("rate", "the \"rate\" parameter is mandatory (expected: a bit rate such as 100mbit)");
            }
            if (rate.packets()) {
                throw o.error("rate", "'" + rate + "' is a packet rate (expected: a bit rate such as 100mbit or 12500kbps)");
            }
            long burst = sizeAlias(o, "burst", "buffer", "maxburst");
            if (burst < 0) {
                throw o.error("burst", "the \"burst\" parameter is mandatory (expected: a size such as 32kbit or 4kb)");
            }
            Rate peakrate = o.getRate("peakrate", null);
            if (peakrate != null && peakrate.packets()) {
                throw o.error("peakrate", "'" + peakrate + "' is a packet rate (expected: a bit rate such as 200mbit)");
            }
            long mtu = sizeAlias(o, "mtu", "minburst");
            if (peakrate != null && mtu < 0) {
                throw o.error("peakrate", "when \"peakrate\" is specified, \"mtu\" must also be specified");
            }
            if (peakrate == null && mtu >= 0) {
                throw o.error(o.has("mtu") ? "mtu" : "minburst", "\"mtu\" is only for the peak bucket (expected: also \"peakrate\")");
            }
            boolean hasLimit = o.has("limit");
            boolean hasLatency = o.has("latency");
            if (hasLimit && hasLatency) {
                throw o.error("latency", "specifying both \"latency\" and \"limit\" is not allowed");
            }
            if (!hasLimit && !hasLatency) {
                throw o.error("limit", "either \"limit\" or \"latency\" are required (expected: limit = 64kb, or latency = 50ms)");
            }
            // get_rate64: bits per second to bytes per second
            long rate64 = rate.value() / 8;
            long prate64 = peakrate == null ? 0 : peakrate.value() / 8;
            if (rate64 == 0) {
                throw o.error("rate", "'" + rate + "' is below 8bit, less than one byte per second");
            }
            long limit;
            if (hasLimit) {
                limit = o.getBytes("limit", 0, 1, U32_MAX);
            } else {
                // latency in tc's microseconds; lim = rate * latency + buffer
                long latencyUs = o.getDurationNs("latency", 0, 1000, U32_MAX * 1000) / 1000;
                double lim = rate64 * (double) latencyUs / TIME_UNITS_PER_SEC + burst;
                if (prate64 != 0) {
                    double lim2 = prate64 * (double) latencyUs / TIME_UNITS_PER_SEC + mtu;
                    if (lim2 < lim) {
                        lim = lim2;
                    }
                }
                limit = Math.min((long) lim, U32_MAX);
            }

            // tbf_change
            TbfSchedData q = new TbfSchedData();
            q.rate = PschedRatecfg.precompute(rate64);
            q.maxSize = burst;
            q.buffer = q.rate.l2tNs((int) burst);
            if (prate64 != 0) {
                q.peak = PschedRatecfg.precompute(prate64);
                if (q.peak.rateBytesPs() <= q.rate.rateBytesPs()) {
                    throw o.error("peakrate", "peakrate " + q.peak.rateBytesPs() + " is lower than or equals to rate "
                            + q.rate.rateBytesPs() + " ! (bytes per second; expected: peakrate above rate)");
                }
                q.maxSize = Math.min(q.maxSize, mtu);
                q.mtu = q.peak.l2tNs((int) mtu);
            } else {
                q.peak = PschedRatecfg.precompute(0);
                q.mtu = 0;
            }
            int pschedMtu = SchFifo.pschedMtu(sch.dev());
            if (q.maxSize < pschedMtu) {
                LOG.log(Level.WARNING, "sch_tbf: burst {0} is lower than device {1} mtu ({2}) !", q.maxSize,
                        sch.dev().name(), pschedMtu);
            }
            q.limit = limit;
            q.qdisc = SchFifo.fifoCreateDflt(sch, SchFifo.BFIFO_QDISC_OPS, limit);
            q.tokens = q.buffer;
            q.ptokens = q.mtu;
            q.tC = sch.kernel().ktimeGetNs();
            return q;
        }

        /** One of the synonyms tc accepts for a size, or -1 when none is given; two of them is an error. */
        private static long sizeAlias(Options o, String... keys) {
            String found = null;
            for (String k : keys) {
                if (o.has(k)) {
                    if (found != null) {
                        throw o.error(k, "duplicate \"" + String.join("/", keys) + "\" specification (\"" + found
                                + "\" is given too)");
                    }
                    found = k;
                }
            }
            return found == null ? -1 : o.getBytes(found, 0, 1, U32_MAX >>> 1);
        }

        /**
         * {@code tbf_enqueue}: a packet larger than {@code max_size} is dropped
         * ({@code qdisc_drop}); otherwise it goes into the inner bfifo, and a drop there counts
         * in this qdisc's drops too.
         */
        @Override
        public int enqueue(SkBuff skb, Qdisc<TbfSchedData> sch) {
            TbfSchedData q = sch.priv();
            int len = skb.len();
            if (len > q.maxSize) {
                return sch.qdiscDrop(skb);
            }
            int ret = q.qdisc.enqueue(skb);
            if (ret != NetXmit.NET_XMIT_SUCCESS) {
                if (ret == NetXmit.NET_XMIT_DROP) { // net_xmit_drop_count
                    sch.drops++;
                }
                return ret;
            }
            sch.backlog += len;
            sch.qlen++;
            return NetXmit.NET_XMIT_SUCCESS;
        }

        /** {@code tbf_dequeue}: see the class comment. */
        @Override
        public SkBuff dequeue(Qdisc<TbfSchedData> sch) {
            TbfSchedData q = sch.priv();
            SkBuff skb = q.qdisc.peek();
            if (skb == null) {
                return null;
            }
            long now = sch.kernel().ktimeGetNs();
            long ptoks = 0;
            int len = skb.len();
            long toks = Math.min(now - q.tC, q.buffer);
            if (peakPresent(q)) {
                ptoks = toks + q.ptokens;
                if (ptoks > q.mtu) {
                    ptoks = q.mtu;
                }
                ptoks -= q.peak.l2tNs(len);
            }
            toks += q.tokens;
            if (toks > q.buffer) {
                toks = q.buffer;
            }
            toks -= q.rate.l2tNs(len);
            if ((toks | ptoks) >= 0) {
                skb = q.qdisc.dequeue(); // qdisc_dequeue_peeked
                if (skb == null) {
                    return null;
                }
                q.tC = now;
                q.tokens = toks;
                q.ptokens = ptoks;
                sch.backlogDec(skb);
                sch.qlen--;
                sch.bstatsUpdate(skb);
                return skb;
            }
            sch.watchdogScheduleNs(now + Math.max(-toks, -ptoks));
            sch.overlimits++;
            return null;
        }

        /** {@code qdisc_peek_dequeued} as tbf's {@code .peek}: the inner qdisc's head. */
        @Override
        public SkBuff peek(Qdisc<TbfSchedData> sch) {
            return sch.priv().qdisc.peek();
        }

        /** {@code tbf_reset}: resets the inner qdisc, refills the buckets, cancels the watchdog. */
        @Override
        public void reset(Qdisc<TbfSchedData> sch, SkbDropReason reason) {
            TbfSchedData q = sch.priv();
            q.qdisc.reset(reason);
            sch.qlen = 0;
            sch.backlog = 0;
            q.tC = sch.kernel().ktimeGetNs();
            q.tokens = q.buffer;
            q.ptokens = q.mtu;
            sch.watchdogCancel();
        }

        /**
         * {@code tbf_graft}: the one class, {@code <handle>:1}, takes {@code child} in place of
         * the inner qdisc, which is destroyed ({@code tbf_graft}, {@code qdisc_replace}).
         */
        @Override
        public String graft(Qdisc<TbfSchedData> sch, int classid, Qdisc<?> child) {
            if ((classid & 0xffff) != 1) {
                return "tbf has one class, " + Integer.toHexString(sch.handle() >>> 16) + ":1";
            }
            TbfSchedData q = sch.priv();
            Qdisc<?> old = q.qdisc;
            old.reset(SkbDropReason.QUEUE_PURGE);
            qdiscDestroy(old);
            q.qdisc = child;
            return null;
        }

        /** {@code tbf_destroy}. */
        @Override
        public void destroy(Qdisc<TbfSchedData> sch) {
            sch.watchdogCancel();
            TbfSchedData q = sch.priv();
            if (q != null && q.qdisc != null) {
                q.qdisc.reset(SkbDropReason.QUEUE_PURGE);
                qdiscDestroy(q.qdisc);
            }
        }

        /**
         * {@code tbf_dump} as {@code tbf_print_opt} prints it: {@code "rate 100Mbit burst 4Kb
         * lat 50ms"}, the burst and latency recomputed from the ticks the kernel reports, and
         * {@code limit} instead of {@code lat} when the latency would be negative; a peak rate
         * adds {@code "peakrate 200Mbit minburst 1514b"}.
         */
        @Override
        public String dump(Qdisc<TbfSchedData> sch) {
            TbfSchedData q = sch.priv();
            long rate64 = q.rate.rateBytesPs();
            long bufferTicks = Math.min(q.buffer >> PSCHED_SHIFT, U32_MAX);
            StringBuilder sb = new StringBuilder();
            sb.append("rate ").append(TcUtil.sprintRate(rate64));
            sb.append(" burst ").append(TcUtil.sprintSize(calcXmitsize(rate64, bufferTicks)));
            long prate64 = q.peak.rateBytesPs();
            long mtuTicks = Math.min(q.mtu >> PSCHED_SHIFT, U32_MAX);
            if (prate64 != 0) {
                sb.append(" peakrate ").append(TcUtil.sprintRate(prate64));
                sb.append(" minburst ").append(TcUtil.sprintSize(calcXmitsize(prate64, mtuTicks)));
            }
            double latency = TIME_UNITS_PER_SEC * (q.limit / (double) rate64) - bufferTicks / TICK_IN_USEC;
            if (prate64 != 0) {
                double lat2 = TIME_UNITS_PER_SEC * (q.limit / (double) prate64) - mtuTicks / TICK_IN_USEC;
                if (lat2 > latency) {
                    latency = lat2;
                }
            }
            if (latency >= 0.0) {
                sb.append(" lat ").append(TcUtil.sprintTime((long) latency));
            } else {
                sb.append(" limit ").append(TcUtil.sprintSize(q.limit));
            }
            return sb.toString();
        }

        /** {@code tc_calc_xmitsize}: bytes sent at {@code rate} in {@code ticks}. */
        private static long calcXmitsize(long rate, long ticks) {
            return (long) ((double) rate * (ticks / TICK_IN_USEC) / TIME_UNITS_PER_SEC);
        }
    }
}
