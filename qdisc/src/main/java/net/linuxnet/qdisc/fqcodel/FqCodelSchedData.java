package net.linuxnet.qdisc.fqcodel;

import net.linuxnet.api.net.SkBuffHead;

/**
 * The private state of one {@code fq_codel} qdisc ({@code struct fq_codel_sched_data}): the
 * flow table, the per-flow backlogs, the two lists of active flows, the CoDel parameters and
 * the counters {@code tc -s qdisc} prints. Everything a packet touches is allocated here, at
 * init, so enqueue and dequeue allocate nothing.
 *
 * <p>It also keeps what the kernel does not: a histogram of the sojourn time of every packet
 * dequeued for sending, in power-of-two buckets of nanoseconds, so that a scenario can read
 * the queueing delay fq_codel gave its packets, kept apart for packets of sparse flows (sent
 * from the new-flows list) and of backlogged flows (the old-flows list).
 */
public final class FqCodelSchedData {

    /** {@code struct fq_codel_flow}: one queue of packets, its DRR deficit and its CoDel state. */
    public static final class FqCodelFlow {
        /** {@code head}, {@code tail}: the packets of the flow, oldest first. */
        final SkBuffHead q = new SkBuffHead();
        /** {@code flowchain}: links on {@code new_flows} or {@code old_flows}. */
        FqCodelFlow next;
        FqCodelFlow prev;
        /** On neither list ({@code list_empty(&flow->flowchain)}). */
        FlowList list;
        /** {@code deficit}: bytes this flow may still send in this round. */
        int deficit;
        /** {@code cvars}. */
        final Codel.CodelVars cvars = new Codel.CodelVars();
        /** Index in {@code flows} ({@code flow - q->flows}). */
        final int index;

        FqCodelFlow(int index) {
            this.index = index;
        }

        public int qlen() {
            return q.qlen();
        }

        public int deficit() {
            return deficit;
        }

        public Codel.CodelVars cvars() {
            return cvars;
        }
    }

    /** A {@code struct list_head} of flows, with {@code list_add_tail}, {@code list_del_init}. */
    static final class FlowList {
        FqCodelFlow first;
        FqCodelFlow last;

        boolean isEmpty() {
            return first == null;
        }

        /** {@code list_add_tail}. */
        void addTail(FqCodelFlow f) {
            f.list = this;
            f.next = null;
            f.prev = last;
            if (last == null) {
                first = f;
            } else {
                last.next = f;
            }
            last = f;
        }

        /** {@code list_del_init}. */
        static void delInit(FqCodelFlow f) {
            FlowList l = f.list;
            if (l == null) {
                return;
            }
            if (f.prev == null) {
                l.first = f.next;
            } else {
                f.prev.next = f.next;
            }
            if (f.next == null) {
                l.last = f.prev;
            } else {
                f.next.prev = f.prev;
            }
            f.next = null;
            f.prev = null;
            f.list = null;
        }

        /** {@code list_move_tail}. */
        void moveTail(FqCodelFlow f) {
            delInit(f);
            addTail(f);
        }

        int length() {
            int n = 0;
            for (FqCodelFlow f = first; f != null; f = f.next) {
                n++;
            }
            return n;
        }

        void clear() {
            first = null;
            last = null;
        }
    }


    final FqCodelFlow[] flows;
    /** {@code backlogs}: bytes queued per flow. */
    final int[] backlogs;
    /** {@code flows_cnt}. */
    final int flowsCnt;
    /** {@code quantum}: bytes a flow may send per round. */
    int quantum;
    /** {@code drop_batch_size}. */
    int dropBatchSize;
    /** {@code memory_limit}: bytes of {@code truesize} the queued packets may take. */
    long memoryLimit;
    final Codel.CodelParams cparams = new Codel.CodelParams();
    final Codel.CodelStats cstats = new Codel.CodelStats();
    /** {@code memory_usage}. */
    long memoryUsage;
    /** {@code drop_overmemory}. */
    long dropOvermemory;
    /** {@code drop_overlimit}. */
    long dropOverlimit;
    /** {@code new_flow_count}. */
    long newFlowCount;
    /** {@code new_flows}, {@code old_flows}. */
    final FlowList newFlows = new FlowList();
    final FlowList oldFlows = new FlowList();
    /** Sojourn times of packets sent from a flow on the new-flows list: the sparse flows. */
    final SojournHistogram sojournNew = new SojournHistogram();
    /** Sojourn times of packets sent from a flow on the old-flows list: the backlogged flows. */
    final SojournHistogram sojournOld = new SojournHistogram();

    FqCodelSchedData(int flowsCnt) {
        this.flowsCnt = flowsCnt;
        this.flows = new FqCodelFlow[flowsCnt];
        this.backlogs = new int[flowsCnt];
        for (int i = 0; i < flowsCnt; i++) {
            flows[i] = new FqCodelFlow(i);
            flows[i].cvars.init();
        }
    }

    // ---- what tc -s qdisc show prints (tc_fq_codel_xstats) -----------------------------------

    public int flowsCnt() {
        return flowsCnt;
    }

    public int quantum() {
        return quantum;
    }

    public int dropBatchSize() {
        return dropBatchSize;
    }

    public long memoryLimit() {
        return memoryLimit;
    }

    public Codel.CodelParams cparams() {
        return cparams;
    }

    /** {@code maxpacket}. */
    public int maxpacket() {
        return cstats.maxpacket;
    }

    /** {@code drop_overlimit}. */
    public long dropOverlimit() {
        return dropOverlimit;
    }

    /** {@code drop_overmemory}. */
    public long dropOvermemory() {
        return dropOvermemory;
    }

    /** {@code new_flow_count}. */
    public long newFlowCount() {
        return newFlowCount;
    }

    /** {@code ecn_mark}. */
    public long ecnMark() {
        return cstats.ecnMark;
    }

    /** {@code ce_mark}. */
    public long ceMark() {
        return cstats.ceMark;
    }

    /** {@code memory_usage} ({@code memory_used} in tc). */
    public long memoryUsage() {
        return memoryUsage;
    }

    /** {@code new_flows_len}: flows on the new list now. */
    public int newFlowsLen() {
        return newFlows.length();
    }

    /** {@code old_flows_len}. */
    public int oldFlowsLen() {
        return oldFlows.length();
    }

    /** Bytes queued in flow {@code idx}. */
    public int backlog(int idx) {
        return backlogs[idx];
    }

    public FqCodelFlow flow(int idx) {
        return flows[idx];
    }

    /** Packets sent whose sojourn time was recorded. */
    public long sojournCount() {
        return sojournNew.count() + sojournOld.count();
    }

    public long sojournMaxNs() {
        return Math.max(sojournNew.maxNs(), sojournOld.maxNs());
    }

    /** The {@code p}-th percentile of the sojourn time of packets of sparse (new-list) flows. */
    public long sojournNewPercentileNs(int p) {
        return sojournNew.percentileNs(p);
    }

    /** The {@code p}-th percentile of the sojourn time of packets of backlogged (old-list) flows. */
    public long sojournOldPercentileNs(int p) {
        return sojournOld.percentileNs(p);
    }

    long sojournNewCount() {
        return sojournNew.count();
    }

    long sojournOldCount() {
        return sojournOld.count();
    }
}
