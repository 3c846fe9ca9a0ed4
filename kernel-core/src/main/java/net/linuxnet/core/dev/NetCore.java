package net.linuxnet.core.dev;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NapiStruct;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.NetdevQueue;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.TcAct;
import net.linuxnet.core.cpu.Cpu;
import net.linuxnet.core.cpu.Softirq;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.sim.Event;
import net.linuxnet.core.sysctl.SysctlTable;

/**
 * The device layer of one host, after {@code net/core/dev.c} and {@code net/sched/sch_generic.c}
 * of Linux 6.18.
 *
 * <p>Receive: a driver's NAPI poll, or {@code netif_rx} through the per-CPU backlog, hands
 * frames to {@code __netif_receive_skb_core}, which counts them in softnet {@code processed},
 * shows them to the packet taps ({@code ptype_all}), and delivers them to the handler of
 * their ethertype ({@code ptype_base}) or drops them as {@code UNHANDLED_PROTO}. The NET_RX
 * softirq ({@code net_rx_action}) polls NAPI contexts in turn with a budget of
 * {@code netdev_budget} packets and {@code netdev_budget_usecs}; running out of either counts
 * a {@code time_squeeze} and raises NET_RX again.
 *
 * <pre>
 *  driver IRQ -> napi_schedule --+                      +-> ptype_all taps (users+1 each)
 *                                 v                      |
 *  netif_rx -> input_pkt_queue -> NET_RX: net_rx_action -> __netif_receive_skb_core
 *              (netdev_max_backlog)       poll(budget)   +-> ptype_base[ethertype] or drop
 * </pre>
 *
 * <p>Transmit: {@code dev_queue_xmit} picks a TX queue, then either sends straight to the
 * driver (noqueue devices, or an empty qdisc that may be bypassed) or enqueues into the
 * queue's qdisc and runs it ({@code __qdisc_run}) for at most {@code dev_tx_weight} packets;
 * a driver that is busy gets the packet back later ({@code dev_requeue_skb}), and leftover
 * work goes to the NET_TX softirq ({@code net_tx_action}).
 */
public final class NetCore {
    private static final System.Logger LOG = System.getLogger("net.linuxnet.core.dev");
    private static final int PTYPE_HASH_SIZE = 16;

    /** A registered handler with its key cached ({@code struct packet_type} in a list). */
    private record Ptype(int type, NetDevice dev, PacketType pt) {
    }

    /** Something that sees every frame of a device, outside the kernel's lists (a capture). */
    public interface FrameObserver {
        void frame(SkBuff skb, int macOffset, long tstamp, boolean outgoing);
    }

    private final Host host;
    private final SoftnetData[] sd;
    private final List<Ptype> ptypeAll = new ArrayList<>();
    private Ptype[] ptypeAllArray = new Ptype[0];
    @SuppressWarnings("unchecked")
    private final List<Ptype>[] ptypeBase = new List[PTYPE_HASH_SIZE];
    private Ptype[][] ptypeBaseArray = new Ptype[PTYPE_HASH_SIZE][0];
    private FrameObserver[] observers = new FrameObserver[8];

    private final SysctlTable.Entry maxBacklog;
    private final SysctlTable.Entry netdevBudget;
    private final SysctlTable.Entry netdevBudgetUsecs;
    private final SysctlTable.Entry devWeight;
    private final SysctlTable.Entry devWeightRxBias;
    private final SysctlTable.Entry devWeightTxBias;
    private final CostStage netifRxCost;
    private final CostStage receiveCost;
    private final CostStage deliverCost;
    private final CostStage xmitCost;
    private final CostStage enqueueCost;
    private final CostStage dequeueCost;
    private final CostStage napiPollCost;
    private long lastCritLog = Long.MIN_VALUE;

    public NetCore(Host host) {
        this.host = host;
        SysctlTable sysctl = host.sysctlTable();
        maxBacklog = sysctl.entry("net.core.netdev_max_backlog");
        netdevBudget = sysctl.entry("net.core.netdev_budget");
        netdevBudgetUsecs = sysctl.entry("net.core.netdev_budget_usecs");
        devWeight = sysctl.entry("net.core.dev_weight");
        devWeightRxBias = sysctl.entry("net.core.dev_weight_rx_bias");
        devWeightTxBias = sysctl.entry("net.core.dev_weight_tx_bias");
        netifRxCost = host.costStage("netif_rx");
        receiveCost = host.costStage("netif_receive_skb");
        deliverCost = host.costStage("deliver_skb");
        xmitCost = host.costStage("dev_queue_xmit");
        enqueueCost = host.costStage("qdisc_enqueue");
        dequeueCost = host.costStage("qdisc_dequeue");
        napiPollCost = host.costStage("napi_poll");
        for (int i = 0; i < PTYPE_HASH_SIZE; i++) {
            ptypeBase[i] = new ArrayList<>();
        }
        sd = new SoftnetData[host.numCpus()];
        for (int i = 0; i < sd.length; i++) {
            Cpu cpu = host.cpu(i);
            SoftnetData[] holder = new SoftnetData[1];
            NapiStruct backlog = new NapiStruct(null, "backlog", (n, quota) -> processBacklog(holder[0], n, quota), 64);
            Event wake = new Event() {
                @Override
                protected void fire() {
                    SoftnetData s = holder[0];
                    s.addToPollList(s.backlog);
                    s.cpu.raiseSoftirq(Softirq.NET_RX);
                }
            };
            holder[0] = new SoftnetData(cpu, backlog, wake);
            sd[i] = holder[0];
            cpu.open(Softirq.NET_RX, this::netRxAction);
            cpu.open(Softirq.NET_TX, this::netTxAction);
        }
    }

    public SoftnetData softnetData(int cpu) {
        return sd[cpu];
    }

    private Cpu currentCpu() {
        Cpu cur = host.cpus().current();
        if (cur == null) {
            return host.cpu(0);
        }
        return host.cpu(cur.index() % sd.length);
    }

    private void charge(CostStage stage, int bytes) {
        Cpu cur = host.cpus().current();
        if (cur != null) {
            cur.charge(stage, bytes);
        }
    }

    // ---- packet handlers -------------------------------------------------------------------

    /** {@code dev_add_pack}. */
    public void devAddPack(PacketType pt) {
        Ptype e = new Ptype(pt.type(), pt.dev(), pt);
        if (pt.type() == IfEther.ETH_P_ALL) {
            ptypeAll.add(e);
            ptypeAllArray = ptypeAll.toArray(new Ptype[0]);
        } else {
            int h = pt.type() & (PTYPE_HASH_SIZE - 1);
            ptypeBase[h].add(e);
            ptypeBaseArray[h] = ptypeBase[h].toArray(new Ptype[0]);
        }
    }

    /** {@code dev_remove_pack}. */
    public void devRemovePack(PacketType pt) {
        if (ptypeAll.removeIf(e -> e.pt == pt)) {
            ptypeAllArray = ptypeAll.toArray(new Ptype[0]);
        }
        int h = pt.type() & (PTYPE_HASH_SIZE - 1);
        if (pt.type() != IfEther.ETH_P_ALL && ptypeBase[h].removeIf(e -> e.pt == pt)) {
            ptypeBaseArray[h] = ptypeBase[h].toArray(new Ptype[0]);
        }
    }

    /** Attaches a capture to a device: it sees frames as a tap would, without being one. */
    public void addObserver(NetDevice dev, FrameObserver observer) {
        int i = dev.ifindex();
        if (i >= observers.length) {
            observers = java.util.Arrays.copyOf(observers, Math.max(i + 1, observers.length * 2));
        }
        if (observers[i] != null) {
            throw new IllegalStateException("device " + dev.name() + " already has a capture");
        }
        observers[i] = observer;
    }

    private FrameObserver observer(NetDevice dev) {
        int i = dev.ifindex();
        return i < observers.length ? observers[i] : null;
    }

    // ---- receive ---------------------------------------------------------------------------

    /**
     * {@code netif_rx}: time-stamps the frame ({@code net_timestamp_check}) and queues it to
     * the backlog of the current CPU (for a frame from another host, the CPU with the sending
     * CPU's index).
     */
    public int netifRx(SkBuff skb) {
        skb.setTstamp(host.ktimeGetNs());
        charge(netifRxCost, skb.len());
        return enqueueToBacklog(skb, sd[currentCpu().index()]);
    }

    /** {@code enqueue_to_backlog}. */
    int enqueueToBacklog(SkBuff skb, SoftnetData s) {
        SkbDropReason reason;
        if (!skb.dev().isUp()) {
            reason = SkbDropReason.DEV_READY;
        } else {
            int qlen = s.inputPktQueue.qlen();
            if (qlen <= maxBacklog.value()) {
                if (qlen == 0 && !s.backlog.scheduled) {
                    s.backlog.scheduled = true;
                    s.addToPollList(s.backlog);
                    s.cpu.raiseSoftirq(Softirq.NET_RX);
                }
                s.inputPktQueue.queueTail(skb);
                return NetRx.NET_RX_SUCCESS;
            }
            reason = SkbDropReason.CPU_BACKLOG;
        }
        s.dropped++;
        skb.dev().coreRxDropped++;
        host.kfreeSkbReason(skb, reason);
        return NetRx.NET_RX_DROP;
    }

    /**
     * {@code process_backlog}: the backlog's NAPI poll. A frame whose arrival time
     * ({@code tstamp}) is still ahead of this CPU's present (sent by another host's CPU that
     * has run further) waits for that time.
     */
    private int processBacklog(SoftnetData s, NapiStruct napi, int quota) {
        int work = 0;
        Cpu cpu = s.cpu;
        while (true) {
            SkBuff skb;
            while ((skb = s.processQueue.peek()) != null) {
                if (skb.tstamp() > cpu.cursor()) {
                    host.cpus().scheduler().schedule(s.backlogWake, skb.tstamp());
                    return work;
                }
                s.processQueue.dequeue();
                receiveSkbCore(skb, s);
                if (++work >= quota) {
                    return work;
                }
            }
            if (s.inputPktQueue.isEmpty()) {
                napi.scheduled = false;
                return work;
            }
            s.inputPktQueue.spliceTailInit(s.processQueue);
        }
    }

    /** {@code netif_receive_skb}: passes a frame up now, on the current CPU. */
    public int netifReceiveSkb(SkBuff skb) {
        if (skb.tstamp() == 0) {
            skb.setTstamp(host.ktimeGetNs());
        }
        return receiveSkbCore(skb, sd[currentCpu().index()]);
    }

    /**
     * {@code __netif_receive_skb_core} followed by the handler call of
     * {@code __netif_receive_skb_one_core}: the taps ({@code ptype_all}), then
     * {@code sch_handle_ingress} when the device has an ingress qdisc, then the handler of the
     * ethertype. A frame {@code ifb} sends back ({@code skb_skip_tc_classify}) skips the taps
     * and the ingress filters ({@code goto skip_classify}).
     */
    private int receiveSkbCore(SkBuff skb, SoftnetData s) {
        charge(receiveCost, skb.len());
        s.processed++;
        NetDevice orig = skb.dev();
        skb.resetNetworkHeader();
        if (skb.transportHeader() == SkBuff.NO_HEADER) {
            skb.resetTransportHeader();
        }
        skb.setSkbIif(orig.ifindex());
        Ptype prev = null;
        // skb_skip_tc_classify: back from ifb, the taps and the ingress filters have seen it
        if (!skb.skipTcClassify()) {
            FrameObserver obs = observer(orig);
            if (obs != null) {
                obs.frame(skb, skb.macHeader(), skb.tstamp(), false);
            }
            for (Ptype e : ptypeAllArray) {
                if (e.dev == null || e.dev == orig) {
                    if (prev != null) {
                        deliverSkb(skb, prev, orig);
                    }
                    prev = e;
                }
            }
            if (orig.ingressQdisc() != null) {
                if (prev != null) {
                    deliverSkb(skb, prev, orig);
                    prev = null;
                }
                if (!schHandleIngress(skb, orig.ingressQdisc())) {
                    return NetRx.NET_RX_SUCCESS;
                }
            }
        }
        int type = skb.protocol();
        for (Ptype e : ptypeBaseArray[type & (PTYPE_HASH_SIZE - 1)]) {
            if (e.type == type && (e.dev == null || e.dev == skb.dev())) {
                if (prev != null) {
                    deliverSkb(skb, prev, orig);
                }
                prev = e;
            }
        }
        if (prev != null) {
            return prev.pt.func(skb, skb.dev(), orig);
        }
        skb.dev().coreRxDropped++;
        host.kfreeSkbReason(skb, SkbDropReason.UNHANDLED_PROTO);
        return NetRx.NET_RX_DROP;
    }

    /**
     * {@code sch_handle_ingress}: the ingress qdisc's filters decide ({@code tc_run} with
     * {@code skb->tc_at_ingress} set). {@code TC_ACT_SHOT} frees the packet with reason
     * {@code TC_INGRESS} and counts a drop on the qdisc; {@code TC_ACT_STOLEN},
     * {@code QUEUED} and {@code TRAP} consume it; {@code TC_ACT_CONSUMED} means an action
     * (mirred redirect) has taken it over. Anything else lets it go on to the protocol handlers.
     *
     * @return whether the packet goes on
     */
    private boolean schHandleIngress(SkBuff skb, Qdisc<?> q) {
        skb.setTcAtIngress(true);
        int ret = q.classify(skb);
        switch (ret) {
            case TcAct.TC_ACT_SHOT:
                q.drops++;
                host.kfreeSkbReason(skb, SkbDropReason.TC_INGRESS);
                return false;
            case TcAct.TC_ACT_STOLEN:
            case TcAct.TC_ACT_QUEUED:
            case TcAct.TC_ACT_TRAP:
                host.consumeSkb(skb);
                return false;
            case TcAct.TC_ACT_CONSUMED:
                return false;
            default:
                skb.setTcAtIngress(false);
                return true;
        }
    }

    /** {@code deliver_skb}: one more reference for one more handler. */
    private void deliverSkb(SkBuff skb, Ptype e, NetDevice orig) {
        charge(deliverCost, skb.len());
        skb.get();
        e.pt.func(skb, skb.dev(), orig);
    }

    // ---- NAPI ------------------------------------------------------------------------------

    /** {@code napi_schedule}: onto the current CPU's poll list, NET_RX raised. */
    public void napiSchedule(NapiStruct n) {
        if (n.scheduled) {
            n.missed = true;
            return;
        }
        n.scheduled = true;
        SoftnetData s = sd[currentCpu().index()];
        n.cpu = s.cpu.index();
        s.addToPollList(n);
        s.cpu.raiseSoftirq(Softirq.NET_RX);
    }

    /** {@code napi_complete_done}. */
    public boolean napiCompleteDone(NapiStruct n, int workDone) {
        if (n.missed) {
            n.missed = false;
            sd[currentCpu().index()].addToPollList(n);
            return false;
        }
        n.scheduled = false;
        return true;
    }

    /**
     * {@code net_rx_action}: polls the CPU's NAPI contexts round-robin within the budget of
     * {@code netdev_budget} packets and {@code netdev_budget_usecs} (the kernel measures the
     * latter in jiffies; the model in nanoseconds).
     */
    private void netRxAction(Cpu cpu) {
        SoftnetData s = sd[cpu.index()];
        long timeLimit = cpu.cursor() + netdevBudgetUsecs.value() * 1000L;
        int budget = netdevBudget.intValue();
        NapiStruct list = s.pollHead;
        NapiStruct listTail = s.pollTail;
        s.pollHead = null;
        s.pollTail = null;
        NapiStruct repoll = null;
        NapiStruct repollTail = null;
        while (true) {
            if (list == null) {
                if (repoll == null && s.pollHead != null) {
                    list = s.pollHead;
                    listTail = s.pollTail;
                    s.pollHead = null;
                    s.pollTail = null;
                    continue;
                }
                break;
            }
            NapiStruct n = list;
            list = n.nextOnList;
            if (list == null) {
                listTail = null;
            }
            n.nextOnList = null;
            int weight = n == s.backlog ? devWeight.intValue() * devWeightRxBias.intValue() : n.weight();
            int work = 0;
            if (n.scheduled) {
                cpu.charge(napiPollCost, 0);
                work = n.pollFn().poll(n, weight);
                n.polls++;
                n.packets += work;
            }
            if (work >= weight && n.scheduled) {
                if (repollTail == null) {
                    repoll = n;
                } else {
                    repollTail.nextOnList = n;
                }
                repollTail = n;
            }
            budget -= work;
            if (budget <= 0 || cpu.cursor() >= timeLimit) {
                s.timeSqueeze++;
                break;
            }
        }
        // poll_list = what is left of list, then what was scheduled meanwhile, then repoll
        NapiStruct head = list;
        NapiStruct tail = listTail;
        if (s.pollHead != null) {
            if (tail == null) {
                head = s.pollHead;
            } else {
                tail.nextOnList = s.pollHead;
            }
            tail = s.pollTail;
        }
        if (repoll != null) {
            if (tail == null) {
                head = repoll;
            } else {
                tail.nextOnList = repoll;
            }
            tail = repollTail;
        }
        s.pollHead = head;
        s.pollTail = tail;
        if (head != null) {
            cpu.raiseSoftirq(Softirq.NET_RX);
        }
    }

    // ---- transmit --------------------------------------------------------------------------

    /** {@code __dev_queue_xmit}. */
    public int devQueueXmit(SkBuff skb) {
        NetDevice dev = skb.dev();
        charge(xmitCost, skb.len());
        skb.resetMacHeader();
        int q = pickTx(dev, skb);
        skb.setQueueMapping(q);
        NetdevQueue txq = dev.txQueue(q);
        Qdisc<?> qd = txq.qdisc();
        if (qd != null) {
            return devXmitSkb(skb, qd, dev, txq);
        }
        if (dev.isUp()) {
            if (!txq.stopped()) {
                if (devHardStartXmit(skb, dev, txq) != NetdevTx.NETDEV_TX_BUSY) {
                    return NetXmit.NET_XMIT_SUCCESS;
                }
            } else {
                critRatelimited(dev);
            }
        }
        dev.coreTxDropped++;
        host.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
        return NetXmit.ENETDOWN;
    }

    private void critRatelimited(NetDevice dev) {
        long now = host.ktimeGetNs();
        if (now - lastCritLog >= 5_000_000_000L) {
            lastCritLog = now;
            LOG.log(Level.WARNING, "{0}: Virtual device {1} asks to queue packet!", host.hostname(), dev.name());
        }
    }

    /**
     * {@code netdev_core_pick_tx}: the driver's choice ({@code ndo_select_queue}), else
     * {@code netdev_pick_tx} without XPS: {@code skb_tx_hash}, the flow hash
     * ({@code skb_get_hash}) scaled to the real queues ({@code reciprocal_scale}).
     */
    private static int pickTx(NetDevice dev, SkBuff skb) {
        int n = dev.realNumTxQueues();
        if (n == 1) {
            return 0;
        }
        int q = dev.ops().ndoSelectQueue(dev, skb);
        if (q >= 0 && q < n) {
            return q;
        }
        return (int) (((skbGetHash(skb) & 0xffffffffL) * n) >>> 32);
    }

    /**
     * {@code skb_get_hash}: the skb's hash, computed once from the IPv4 addresses, protocol
     * and ports ({@code __skb_get_hash}'s flow dissection; the mix is the model's own, not
     * siphash) when it has none.
     */
    static int skbGetHash(SkBuff skb) {
        if (skb.hash() != 0) {
            return skb.hash();
        }
        int nh = skb.networkHeader();
        if (skb.protocol() != IfEther.ETH_P_IP || nh == SkBuff.NO_HEADER || nh + 20 > skb.tail()) {
            return 0;
        }
        int proto = skb.getU8(nh + 9);
        int h = mix(skb.getU32(nh + 12) ^ 0x9e3779b9, skb.getU32(nh + 16)) ^ proto;
        int ihl = (skb.getU8(nh) & 0x0f) * 4;
        boolean ports = (proto == 6 || proto == 17) && (skb.getU16(nh + 6) & 0x1fff) == 0 && nh + ihl + 4 <= skb.tail();
        if (ports) {
            h = mix(h, skb.getU32(nh + ihl));
        }
        if (h == 0) {
            h = 1;
        }
        skb.setHash(h, ports);
        return h;
    }

    private static int mix(int a, int b) {
        int h = a * 0x85ebca6b ^ Integer.rotateLeft(b * 0xcc9e2d51, 15);
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** {@code __dev_xmit_skb}. */
    private int devXmitSkb(SkBuff skb, Qdisc<?> q, NetDevice dev, NetdevQueue txq) {
        if ((q.flags() & Qdisc.TCQ_F_CAN_BYPASS) != 0 && q.qlen == 0 && q.requeued == null && !q.running) {
            q.running = true;
            q.bstatsUpdate(skb);
            if (schDirectXmit(skb, q, dev, txq)) {
                qdiscRun(q);
            }
            q.running = false;
            return NetXmit.NET_XMIT_SUCCESS;
        }
        charge(enqueueCost, skb.len());
        int rc = q.enqueue(skb) & NetXmit.NET_XMIT_MASK;
        if (!q.running) {
            q.running = true;
            qdiscRun(q);
            q.running = false;
        }
        return rc;
    }

    /** {@code __qdisc_run}: at most {@code dev_tx_weight} packets, then NET_TX takes over. */
    private void qdiscRun(Qdisc<?> q) {
        int quota = devWeight.intValue() * devWeightTxBias.intValue();
        while (qdiscRestart(q)) {
            if (--quota <= 0) {
                netifSchedule(q);
                break;
            }
        }
    }

    /** {@code qdisc_restart}. */
    private boolean qdiscRestart(Qdisc<?> q) {
        SkBuff skb = dequeueSkb(q);
        if (skb == null) {
            return false;
        }
        NetDevice dev = q.dev();
        return schDirectXmit(skb, q, dev, dev.txQueue(skb.queueMapping()));
    }

    /** {@code dequeue_skb}: a requeued packet first, once its queue runs again. */
    private SkBuff dequeueSkb(Qdisc<?> q) {
        SkBuff skb = q.requeued;
        if (skb != null) {
            if (q.dev().txQueue(skb.queueMapping()).stopped()) {
                return null;
            }
            q.requeued = null;
            q.qlen--;
            q.backlog -= skb.len();
            return skb;
        }
        NetdevQueue txq = q.devQueue();
        if (txq != null && (q.flags() & Qdisc.TCQ_F_ONETXQUEUE) != 0 && txq.stopped()) {
            return null;
        }
        charge(dequeueCost, 0);
        return q.dequeue();
    }

    /** {@code sch_direct_xmit}: false when the driver could not take the packet (requeued). */
    private boolean schDirectXmit(SkBuff skb, Qdisc<?> q, NetDevice dev, NetdevQueue txq) {
        NetdevTx ret = NetdevTx.NETDEV_TX_BUSY;
        if (!txq.stopped()) {
            ret = devHardStartXmit(skb, dev, txq);
        }
        if (ret == NetdevTx.NETDEV_TX_BUSY) {
            devRequeueSkb(skb, q);
            return false;
        }
        return true;
    }

    /** {@code dev_requeue_skb}. */
    private void devRequeueSkb(SkBuff skb, Qdisc<?> q) {
        q.requeued = skb;
        q.requeues++;
        q.qlen++;
        q.backlog += skb.len();
        netifSchedule(q);
    }

    /** {@code xmit_one}: the taps see the frame, then the driver gets it. */
    private NetdevTx devHardStartXmit(SkBuff skb, NetDevice dev, NetdevQueue txq) {
        FrameObserver obs = observer(dev);
        if (obs != null) {
            obs.frame(skb, skb.data(), host.ktimeGetNs(), true);
        }
        if (ptypeAllArray.length > 0) {
            devQueueXmitNit(skb, dev);
        }
        NetdevTx rc = dev.ops().ndoStartXmit(skb, dev);
        if (rc != NetdevTx.NETDEV_TX_BUSY) {
            txq.setTransStart(host.ktimeGetNs());
        }
        return rc;
    }

    /** {@code dev_queue_xmit_nit}: a clone of each sent frame to every tap that wants outgoing frames. */
    private void devQueueXmitNit(SkBuff skb, NetDevice dev) {
        for (Ptype e : ptypeAllArray) {
            if ((e.dev == null || e.dev == dev) && e.pt.tapsTransmit()) {
                SkBuff c = skb.clone();
                c.resetMacHeader();
                c.setPktType(SkBuff.PACKET_OUTGOING);
                c.setTstamp(host.ktimeGetNs());
                charge(deliverCost, c.len());
                e.pt.func(c, dev, dev);
            }
        }
    }

    /** {@code __netif_schedule}: onto the current CPU's output queue, NET_TX raised. */
    public void netifSchedule(Qdisc<?> q) {
        if (q.scheduled) {
            return;
        }
        q.scheduled = true;
        q.nextSched = null;
        SoftnetData s = sd[currentCpu().index()];
        if (s.outputTail == null) {
            s.outputHead = q;
        } else {
            s.outputTail.nextSched = q;
        }
        s.outputTail = q;
        s.cpu.raiseSoftirq(Softirq.NET_TX);
    }

    /** {@code netif_schedule_queue}. */
    public void netifScheduleQueue(NetdevQueue txq) {
        Qdisc<?> q = txq.qdisc();
        if (q != null && !txq.stopped()) {
            netifSchedule(q);
        }
    }

    /** {@code net_tx_action}: runs the qdiscs scheduled on this CPU. */
    private void netTxAction(Cpu cpu) {
        SoftnetData s = sd[cpu.index()];
        Qdisc<?> q = s.outputHead;
        s.outputHead = null;
        s.outputTail = null;
        while (q != null) {
            Qdisc<?> next = q.nextSched;
            q.nextSched = null;
            q.scheduled = false;
            if (!q.running) {
                q.running = true;
                qdiscRun(q);
                q.running = false;
            } else {
                netifSchedule(q);
            }
            q = next;
        }
    }

    // ---- end of run ------------------------------------------------------------------------

    /** Frees what the backlogs still hold, counted as {@code QUEUE_PURGE}; returns how many. */
    public long purgeBacklogs() {
        long n = 0;
        for (SoftnetData s : sd) {
            SkBuff skb;
            while ((skb = s.processQueue.dequeue()) != null) {
                host.kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
                n++;
            }
            while ((skb = s.inputPktQueue.dequeue()) != null) {
                host.kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
                n++;
            }
            host.cpus().scheduler().cancel(s.backlogWake);
            s.backlog.scheduled = false;
        }
        return n;
    }

    /** Packets still waiting in this host's backlogs. */
    public long backlogPackets() {
        long n = 0;
        for (SoftnetData s : sd) {
            n += s.inputPktQueue.qlen() + s.processQueue.qlen();
        }
        return n;
    }
}
