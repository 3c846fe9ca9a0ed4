package net.linuxnet.qdisc.fqcodel;

import java.util.Locale;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.qdisc.TcUtil;
import net.linuxnet.qdisc.fifo.SchFifo;
import net.linuxnet.qdisc.fqcodel.FqCodelSchedData.FlowList;
import net.linuxnet.qdisc.fqcodel.FqCodelSchedData.FqCodelFlow;

/**
 * Fair Queuing with Controlled Delay (RFC 8290), as {@code net/sched/sch_fq_codel.c} of
 * Linux 6.18.
 *
 * <p>Packets are hashed by their flow hash ({@code skb_get_hash}) into one of {@code flows}
 * queues. Each queue runs its own CoDel ({@link Codel}), so a flow that builds a standing
 * queue is dropped from (or ECN-marked) while the others are not. Dequeue serves the queues by
 * deficit round robin with a {@code quantum} of bytes per round, and favours flows that just
 * became active: a flow that was empty joins {@code new_flows}, which is served before
 * {@code old_flows}; once it used its quantum (or emptied) it moves to {@code old_flows}. So a
 * sparse flow (a ping, a DNS query, a VoIP stream) finds an empty queue of its own, joins the
 * new list, and leaves almost at once, whatever the bulk flows have queued.
 *
 * <pre>
 *   enqueue: idx = reciprocal_scale(hash, flows) -> flows[idx] tail
 *            empty flow? -> new_flows tail, deficit = quantum
 *            qlen > limit or memory > memory_limit -> fq_codel_drop: fattest flow loses
 *                                                     up to half its bytes (drop_batch)
 *   dequeue: head of new_flows, else of old_flows
 *            deficit <= 0 -> deficit += quantum, move to old_flows tail, next
 *            codel_dequeue(flow): nothing? -> new->old (once), else off the lists
 * </pre>
 *
 * <p>Drop reasons: the batch drop on overflow is {@code QDISC_OVERLIMIT}, a CoDel drop at
 * dequeue {@code QDISC_CONGESTED}, a purge {@code QDISC_DROP} via the caller's reason.
 * Packets carry their enqueue time and {@code truesize} in {@code cb2}, as
 * {@code struct codel_skb_cb} sits in the qdisc part of {@code skb->cb}.
 */
public final class SchFqCodel {

    /** {@code fq_codel_qdisc_ops}. */
    public static final QdiscOps<FqCodelSchedData> FQ_CODEL_QDISC_OPS = new FqCodelQdiscOps();

    /** {@code FQ_CODEL_QUANTUM_MAX}. */
    static final int FQ_CODEL_QUANTUM_MAX = 1 << 20;
    /** The most flows {@code fq_codel_change} accepts. */
    static final int FQ_CODEL_FLOWS_MAX = 65536;
    /** The largest value of a {@code u32} attribute. */
    static final long U32_MAX = 0xffffffffL;

    private SchFqCodel() {
    }

    // ---- codel_skb_cb in cb2: enqueue_time (low 32 bits), mem_usage (high 32 bits) ----------

    /** {@code codel_set_enqueue_time} and {@code get_codel_cb(skb)->mem_usage = skb->truesize}. */
    static void setCodelCb(SkBuff skb, int enqueueTime, int memUsage) {
        skb.cb2 = ((long) memUsage << 32) | (enqueueTime & 0xffffffffL);
    }

    /** {@code codel_get_enqueue_time}. */
    static int codelGetEnqueueTime(SkBuff skb) {
        return (int) skb.cb2;
    }

    /** {@code get_codel_cb(skb)->mem_usage}. */
    static int memUsage(SkBuff skb) {
        return (int) (skb.cb2 >>> 32);
    }

    // ---- the flow hash ---------------------------------------------------------------------

    /**
     * {@code skb_get_hash}: the skb's hash if set, else a hash of its IPv4 addresses, protocol
     * and, for an unfragmented TCP or UDP packet, ports ({@code __skb_get_hash} over the flow
     * dissector's keys), stored in the skb as an L4 hash when the ports were used. The kernel
     * keys its hash with a random secret; the model's is fixed, so runs repeat. Never 0.
     */
    public static int skbGetHash(SkBuff skb) {
        int h = skb.hash();
        if (h != 0) {
            return h;
        }
        int nh = skb.networkHeader();
        int saddr = 0;
        int daddr = 0;
        int ports = 0;
        int proto = skb.protocol();
        boolean l4 = false;
        if (proto == IfEther.ETH_P_IP && nh != SkBuff.NO_HEADER && nh + 20 <= skb.tail()) {
            int ihl = (skb.getU8(nh) & 0x0f) * 4;
            proto = skb.getU8(nh + 9);
            saddr = skb.getU32(nh + 12);
            daddr = skb.getU32(nh + 16);
            int fragOff = skb.getU16(nh + 6) & 0x3fff; // IP_MF | IP_OFFSET
            if ((proto == 6 || proto == 17) && fragOff == 0 && nh + ihl + 4 <= skb.tail()) {
                ports = skb.getU32(nh + ihl);
                l4 = true;
            }
        }
        h = flowHashFromKeys(saddr, daddr, ports, proto);
        skb.setHash(h, l4);
        return h;
    }

    /** {@code __flow_hash_from_keys}: mixes the keys; 0 becomes 1. */
    static int flowHashFromKeys(int saddr, int daddr, int ports, int proto) {
        long x = 0x9e3779b97f4a7c15L;
        x = mix(x ^ (saddr & 0xffffffffL));
        x = mix(x ^ (daddr & 0xffffffffL));
        x = mix(x ^ (ports & 0xffffffffL));
        x = mix(x ^ proto);
        int h = (int) (x ^ (x >>> 32));
        return h == 0 ? 1 : h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** {@code reciprocal_scale}: maps a 32-bit value onto {@code [0, epRo)}. */
    static int reciprocalScale(int val, int epRo) {
        return (int) ((Integer.toUnsignedLong(val) * epRo) >>> 32);
    }

    /**
     * {@code fq_codel_classify} without filters: {@code skb->priority} when its major number is
     * this qdisc's handle and its minor number names a flow, else {@code fq_codel_hash}.
     *
     * @return the flow index plus one
     */
    static int fqCodelClassify(SkBuff skb, Qdisc<FqCodelSchedData> sch, FqCodelSchedData q) {
        int prio = skb.priority();
        int min = prio & 0xffff;
        if ((prio & 0xffff0000) == sch.handle() && min > 0 && min <= q.flowsCnt) {
            return min;
        }
        return reciprocalScale(skbGetHash(skb), q.flowsCnt) + 1;
    }

    // ---- the ops ---------------------------------------------------------------------------

    static final class FqCodelQdiscOps implements QdiscOps<FqCodelSchedData> {

        @Override
        public String id() {
            return "fq_codel";
        }

        /**
         * {@code fq_codel_init} then {@code fq_codel_change}: limit 10240 packets, 1024 flows,
         * quantum {@code psched_mtu}, target 5 ms, interval 100 ms, ECN on, memory_limit 32 MiB,
         * drop_batch 64, unless the options say otherwise; the flow table is allocated here.
         */
        @Override
        public FqCodelSchedData init(Qdisc<FqCodelSchedData> sch, Options options) {
            int mtu = SchFifo.pschedMtu(sch.dev());
            long limit = options.getLong("limit", 10 * 1024, 0, U32_MAX);
            int flows = options.getInt("flows", 1024, 1, FQ_CODEL_FLOWS_MAX);
            long quantum = options.getLong("quantum", mtu, 0, FQ_CODEL_QUANTUM_MAX);
            long targetUs = options.getDurationNs("target", 5_000_000L, 0, U32_MAX * 1000) / 1000;
            long intervalUs = options.getDurationNs("interval", 100_000_000L, 0, U32_MAX * 1000) / 1000;
            boolean ce = options.has("ce_threshold");
            long ceUs = ce ? options.getDurationNs("ce_threshold", 0, 0, U32_MAX * 1000) / 1000 : 0;
            boolean ecn = options.getBoolean("ecn", true);
            long dropBatch = options.getLong("drop_batch", 64, 0, U32_MAX);
            long memoryLimit = options.getBytes("memory_limit", 32L << 20, 0, U32_MAX);

            FqCodelSchedData q = new FqCodelSchedData(flows);
            sch.setLimit((int) Math.min(limit, Integer.MAX_VALUE));
            q.memoryLimit = 32 << 20;
            q.dropBatchSize = 64;
            q.quantum = mtu;
            q.cparams.init();
            q.cstats.init();
            q.cparams.ecn = true;
            q.cparams.mtu = mtu;
            // fq_codel_change
            q.cparams.target = (int) ((targetUs * 1000) >>> Codel.CODEL_SHIFT);
            if (ce) {
                q.cparams.ceThreshold = (int) ((ceUs * 1000) >>> Codel.CODEL_SHIFT);
            }
            q.cparams.interval = (int) ((intervalUs * 1000) >>> Codel.CODEL_SHIFT);
            q.cparams.ecn = ecn;
            q.quantum = (int) Math.max(256, quantum);
            q.dropBatchSize = (int) Math.max(1, Math.min(dropBatch, Integer.MAX_VALUE));
            q.memoryLimit = Math.min(1L << 31, memoryLimit);
            if (sch.limit() >= 1) {
                sch.setFlags(sch.flags() | Qdisc.TCQ_F_CAN_BYPASS);
            } else {
                sch.setFlags(sch.flags() & ~Qdisc.TCQ_F_CAN_BYPASS);
            }
            return q;
        }

        /** {@code fq_codel_enqueue}. */
        @Override
        public int enqueue(SkBuff skb, Qdisc<FqCodelSchedData> sch) {
            FqCodelSchedData q = sch.priv();
            int idx = fqCodelClassify(skb, sch, q) - 1;

            setCodelCb(skb, Codel.codelGetTime(sch.kernel().ktimeGetNs()), skb.truesize());
            FqCodelFlow flow = q.flows[idx];
            flow.q.queueTail(skb); // flow_queue_add
            int pktLen = skb.len();
            q.backlogs[idx] += pktLen;
            sch.backlogInc(skb);

            if (flow.list == null) {
                q.newFlows.addTail(flow);
                q.newFlowCount++;
                flow.deficit = q.quantum;
            }
            q.memoryUsage += memUsage(skb);
            boolean memoryLimited = q.memoryUsage > q.memoryLimit;
            if (++sch.qlen <= sch.limit() && !memoryLimited) {
                return NetXmit.NET_XMIT_SUCCESS;
            }
            int prevQlen = sch.qlen;
            // fq_codel_drop() is a linear search for the fattest flow, so it drops a batch
            int ret = fqCodelDrop(sch, q, q.dropBatchSize);
            prevQlen -= sch.qlen;
            q.dropOverlimit += prevQlen;
            if (memoryLimited) {
                q.dropOvermemory += prevQlen;
            }
            // qdisc_tree_reduce_backlog: no parent qdisc in the model
            return ret == idx ? NetXmit.NET_XMIT_CN : NetXmit.NET_XMIT_SUCCESS;
        }

        /**
         * {@code fq_codel_drop}: finds the flow with the largest backlog and drops packets from
         * its head until half its bytes are gone or {@code maxPackets} were dropped, with
         * reason {@code QDISC_OVERLIMIT}; tells that flow's CoDel to drop harder.
         *
         * @return the index of the flow dropped from
         */
        static int fqCodelDrop(Qdisc<FqCodelSchedData> sch, FqCodelSchedData q, int maxPackets) {
            int maxbacklog = 0;
            int idx = 0;
            for (int i = 0; i < q.flowsCnt; i++) {
                if (Integer.compareUnsigned(q.backlogs[i], maxbacklog) > 0) {
                    maxbacklog = q.backlogs[i];
                    idx = i;
                }
            }
            int threshold = maxbacklog >>> 1; // drop half of this fat flow's backlog
            FqCodelFlow flow = q.flows[idx];
            int len = 0;
            long mem = 0;
            int i = 0;
            do {
                SkBuff skb = flow.q.dequeue();
                len += skb.len();
                mem += memUsage(skb);
                sch.kernel().kfreeSkbReason(skb, SkbDropReason.QDISC_OVERLIMIT);
            } while (++i < maxPackets && Integer.compareUnsigned(len, threshold) < 0 && !flow.q.isEmpty());

            flow.cvars.count += i; // tell codel to increase its signal strength also
            q.backlogs[idx] -= len;
            q.memoryUsage -= mem;
            sch.drops += i;
            sch.backlog -= len;
            sch.qlen -= i;
            return idx;
        }

        /** {@code dequeue_func}: takes the head of the flow and uncounts it. */
        private static SkBuff dequeueFunc(FqCodelFlow flow, Qdisc<FqCodelSchedData> sch, FqCodelSchedData q) {
            SkBuff skb = flow.q.dequeue();
            if (skb != null) {
                int len = skb.len();
                q.backlogs[flow.index] -= len;
                q.memoryUsage -= memUsage(skb);
                sch.qlen--;
                sch.backlog -= len;
            }
            return skb;
        }

        /** {@code drop_func}: frees a packet CoDel dropped, reason {@code QDISC_CONGESTED}. */
        private static void dropFunc(SkBuff skb, Qdisc<FqCodelSchedData> sch) {
            sch.kernel().kfreeSkbReason(skb, SkbDropReason.QDISC_CONGESTED);
            sch.drops++;
        }

        /** {@code codel_should_drop}: whether the sojourn time has stayed above target for an interval. */
        private static boolean codelShouldDrop(SkBuff skb, Codel.CodelVars vars, Codel.CodelParams params,
                Codel.CodelStats stats, long backlog, int now) {
            if (skb == null) {
                vars.firstAboveTime = 0;
                return false;
            }
            int skbLen = skb.len();
            vars.ldelay = now - codelGetEnqueueTime(skb);
            if (skbLen > stats.maxpacket) {
                stats.maxpacket = skbLen;
            }
            if (Codel.codelTimeBefore(vars.ldelay, params.target) || backlog <= params.mtu) {
                // went below - stay below for at least interval
                vars.firstAboveTime = 0;
                return false;
            }
            boolean okToDrop = false;
            if (vars.firstAboveTime == 0) {
                // just went above from below: if we stay above for an interval, drop
                vars.firstAboveTime = now + params.interval;
            } else if (Codel.codelTimeAfter(now, vars.firstAboveTime)) {
                okToDrop = true;
            }
            return okToDrop;
        }

        /** {@code codel_dequeue} of {@code include/net/codel_impl.h}, for one flow. */
        static SkBuff codelDequeue(Qdisc<FqCodelSchedData> sch, FqCodelSchedData q, FqCodelFlow flow, int now) {
            Codel.CodelParams params = q.cparams;
            Codel.CodelVars vars = flow.cvars;
            Codel.CodelStats stats = q.cstats;
            SkBuff skb = dequeueFunc(flow, sch, q);
            if (skb == null) {
                vars.dropping = false;
                return null;
            }
            boolean drop = codelShouldDrop(skb, vars, params, stats, sch.backlog, now);
            end:
            if (vars.dropping) {
                if (!drop) {
                    vars.dropping = false; // sojourn time below target - leave dropping state
                } else if (Codel.codelTimeAfterEq(now, vars.dropNext)) {
                    // time for the next drop; a large backlog may make several due now
                    while (vars.dropping && Codel.codelTimeAfterEq(now, vars.dropNext)) {
                        vars.count++;
                        Codel.codelNewtonStep(vars);
                        if (params.ecn && Codel.inetEcnSetCe(skb)) {
                            stats.ecnMark++;
                            vars.dropNext = Codel.codelControlLaw(vars.dropNext, params.interval, vars.recInvSqrt);
                            break end;
                        }
                        stats.dropLen += skb.len();
                        dropFunc(skb, sch);
                        stats.dropCount++;
                        skb = dequeueFunc(flow, sch, q);
                        if (!codelShouldDrop(skb, vars, params, stats, sch.backlog, now)) {
                            vars.dropping = false; // leave dropping state
                        } else {
                            vars.dropNext = Codel.codelControlLaw(vars.dropNext, params.interval, vars.recInvSqrt);
                        }
                    }
                }
            } else if (drop) {
                if (params.ecn && Codel.inetEcnSetCe(skb)) {
                    stats.ecnMark++;
                } else {
                    stats.dropLen += skb.len();
                    dropFunc(skb, sch);
                    stats.dropCount++;
                    skb = dequeueFunc(flow, sch, q);
                    codelShouldDrop(skb, vars, params, stats, sch.backlog, now);
                }
                vars.dropping = true;
                // if min went above target close to when we last went below it, the drop
                // rate that controlled the queue on the last cycle is a good start
                int delta = vars.count - vars.lastcount;
                if (Integer.compareUnsigned(delta, 1) > 0
                        && Codel.codelTimeBefore(now - vars.dropNext, 16 * params.interval)) {
                    vars.count = delta;
                    Codel.codelNewtonStep(vars);
                } else {
                    vars.count = 1;
                    vars.recInvSqrt = 0xffff; // ~0U >> REC_INV_SQRT_SHIFT
                }
                vars.lastcount = vars.count;
                vars.dropNext = Codel.codelControlLaw(now, params.interval, vars.recInvSqrt);
            }
            if (skb != null && Codel.codelTimeAfter(vars.ldelay, params.ceThreshold)) {
                if (Codel.inetEcnSetCe(skb)) {
                    stats.ceMark++;
                }
            }
            return skb;
        }

        /** {@code fq_codel_dequeue}. */
        @Override
        public SkBuff dequeue(Qdisc<FqCodelSchedData> sch) {
            FqCodelSchedData q = sch.priv();
            int now = Codel.codelGetTime(sch.kernel().ktimeGetNs());
            while (true) {
                FlowList head = q.newFlows;
                if (head.isEmpty()) {
                    head = q.oldFlows;
                    if (head.isEmpty()) {
                        return null;
                    }
                }
                FqCodelFlow flow = head.first;
                if (flow.deficit <= 0) {
                    flow.deficit += q.quantum;
                    q.oldFlows.moveTail(flow);
                    continue;
                }
                SkBuff skb = codelDequeue(sch, q, flow, now);
                if (skb == null) {
                    // force a pass through old_flows to prevent starvation
                    if (head == q.newFlows && !q.oldFlows.isEmpty()) {
                        q.oldFlows.moveTail(flow);
                    } else {
                        FlowList.delInit(flow);
                    }
                    continue;
                }
                sch.bstatsUpdate(skb);
                flow.deficit -= skb.len();
                if (q.cstats.dropCount != 0 && sch.qlen != 0) {
                    // qdisc_tree_reduce_backlog: no parent qdisc in the model
                    q.cstats.dropCount = 0;
                    q.cstats.dropLen = 0;
                }
                (head == q.newFlows ? q.sojournNew : q.sojournOld)
                        .record((long) (now - codelGetEnqueueTime(skb)) << Codel.CODEL_SHIFT);
                return skb;
            }
        }

        /** {@code qdisc_peek_dequeued} is not used by the core; the head of the first flow. */
        @Override
        public SkBuff peek(Qdisc<FqCodelSchedData> sch) {
            FqCodelSchedData q = sch.priv();
            FlowList head = q.newFlows.isEmpty() ? q.oldFlows : q.newFlows;
            return head.isEmpty() ? null : head.first.q.peek();
        }

        /** {@code fq_codel_reset}: purges every flow with {@code reason}, clears lists and CoDel state. */
        @Override
        public void reset(Qdisc<FqCodelSchedData> sch, SkbDropReason reason) {
            FqCodelSchedData q = sch.priv();
            q.newFlows.clear();
            q.oldFlows.clear();
            for (FqCodelFlow flow : q.flows) {
                SkBuff skb;
                while ((skb = flow.q.dequeue()) != null) {
                    sch.kernel().kfreeSkbReason(skb, reason);
                }
                flow.next = null;
                flow.prev = null;
                flow.list = null;
                flow.cvars.init();
            }
            java.util.Arrays.fill(q.backlogs, 0);
            sch.qlen = 0;
            sch.backlog = 0;
            q.memoryUsage = 0;
        }

        /**
         * {@code fq_codel_dump} as {@code tc}'s {@code fq_codel_print_opt} prints it:
         * {@code limit 10240p flows 1024 quantum 1514 target 4.999ms interval 99.999ms
         * memory_limit 32Mb ecn drop_batch 64} (times go through codel's 1024 ns units).
         */
        @Override
        public String dump(Qdisc<FqCodelSchedData> sch) {
            FqCodelSchedData q = sch.priv();
            StringBuilder sb = new StringBuilder();
            sb.append("limit ").append(Integer.toUnsignedString(sch.limit())).append("p");
            sb.append(" flows ").append(q.flowsCnt);
            sb.append(" quantum ").append(q.quantum);
            sb.append(" target ").append(sprintTime(Codel.codelTimeToUs(q.cparams.target)));
            if (q.cparams.ceThreshold != Codel.CODEL_DISABLED_THRESHOLD) {
                sb.append(" ce_threshold ").append(sprintTime(Codel.codelTimeToUs(q.cparams.ceThreshold)));
            }
            sb.append(" interval ").append(sprintTime(Codel.codelTimeToUs(q.cparams.interval)));
            sb.append(" memory_limit ").append(TcUtil.sprintSize(q.memoryLimit));
            if (q.cparams.ecn) {
                sb.append(" ecn");
            }
            sb.append(" drop_batch ").append(q.dropBatchSize);
            return sb.toString();
        }

        /**
         * {@code fq_codel_dump_stats}: the counters {@code tc -s} prints for fq_codel, then
         * what the kernel does not keep: how long sent packets waited in the qdisc, apart for
         * packets of sparse flows (sent from the new-flows list: {@code sparse_packets},
         * {@code sparse_sojourn_p50_ns}, {@code sparse_sojourn_p99_ns}) and of backlogged
         * flows (the old-flows list: {@code bulk_*}).
         */
        @Override
        public void dumpStats(Qdisc<FqCodelSchedData> sch, ResultWriter out) {
            FqCodelSchedData q = sch.priv();
            out.put("maxpacket", q.maxpacket()).put("drop_overlimit", q.dropOverlimit())
                    .put("new_flow_count", q.newFlowCount()).put("ecn_mark", q.ecnMark())
                    .put("ce_mark", q.ceMark()).put("memory_used", q.memoryUsage())
                    .put("drop_overmemory", q.dropOvermemory())
                    .put("new_flows_len", q.newFlowsLen()).put("old_flows_len", q.oldFlowsLen())
                    .put("sparse_packets", q.sojournNewCount())
                    .put("sparse_sojourn_p50_ns", q.sojournNewPercentileNs(50))
                    .put("sparse_sojourn_p99_ns", q.sojournNewPercentileNs(99))
                    .put("bulk_packets", q.sojournOldCount())
                    .put("bulk_sojourn_p50_ns", q.sojournOldPercentileNs(50))
                    .put("bulk_sojourn_p99_ns", q.sojournOldPercentileNs(99));
        }
    }

    /**
     * {@code fq_codel_dump_stats} as {@code tc -s} prints it:
     * {@code maxpacket 1514 drop_overlimit 0 new_flow_count 2 ecn_mark 0} (then
     * {@code ce_mark}, {@code memory_used}, {@code drop_overmemory} when not zero), a new line,
     * {@code new_flows_len 0 old_flows_len 1}.
     */
    public static String dumpStats(FqCodelSchedData q) {
        StringBuilder sb = new StringBuilder();
        sb.append("  maxpacket ").append(q.maxpacket());
        sb.append(" drop_overlimit ").append(q.dropOverlimit());
        sb.append(" new_flow_count ").append(q.newFlowCount());
        sb.append(" ecn_mark ").append(q.ecnMark());
        if (q.ceMark() != 0) {
            sb.append(" ce_mark ").append(q.ceMark());
        }
        if (q.memoryUsage() != 0) {
            sb.append(" memory_used ").append(q.memoryUsage());
        }
        if (q.dropOvermemory() != 0) {
            sb.append(" drop_overmemory ").append(q.dropOvermemory());
        }
        sb.append('\n');
        sb.append("  new_flows_len ").append(q.newFlowsLen());
        sb.append(" old_flows_len ").append(q.oldFlowsLen());
        return sb.toString();
    }

    /** iproute2's {@code sprint_time} of a time in microseconds: {@code 5ms}, {@code 4.999ms}, {@code 500us}. */
    static String sprintTime(long us) {
        if (us >= 1_000_000) {
            return formatG(us / 1e6) + "s";
        }
        if (us >= 1000) {
            return formatG(us / 1e3) + "ms";
        }
        return us + "us";
    }

    /** C's {@code %g} for a value below 10^6: six significant digits, trailing zeros removed. */
    static String formatG(double v) {
        int intDigits = v < 1 ? 1 : (int) Math.floor(Math.log10(v)) + 1;
        String s = String.format(Locale.ROOT, "%." + Math.max(0, 6 - intDigits) + "f", v);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }
}
