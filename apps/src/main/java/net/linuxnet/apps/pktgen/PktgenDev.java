package net.linuxnet.apps.pktgen;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetdevQueue;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.net.Checksum;

/**
 * One pktgen device and the {@code kpktgend_<cpu>} thread that drives it, as
 * {@code struct pktgen_dev} and {@code pktgen_thread_worker()} in {@code net/core/pktgen.c}.
 *
 * <p>The algorithm, as pktgen runs it with {@code clone_skb 0} and one device per thread:
 *
 * <ol>
 *   <li>{@link #start()} ({@code pktgen_run}): set up the headers from the device
 *       ({@code pktgen_setup_inject}), clear the counters ({@code seq_num = 1}), set
 *       {@code started_at = next_tx = now} and wake the thread.</li>
 *   <li>Each transmit call ({@code pktgen_xmit}) first makes sure there is a packet: after a
 *       successful send ({@code last_ok}) a new one is built ({@code mod_cur_headers}, then
 *       {@code fill_packet_ipv4}); after a refused one the same skb is tried again.</li>
 *   <li>With a rate, a new packet waits for its slot ({@code spin}): slot {@code k} is due at
 *       {@code started_at + k * delay}, computed from {@code k} so that no rounding
 *       accumulates. A late thread sends at once and catches up, as {@code spin()} does when
 *       {@code next_tx} has passed. A retry after a refused send takes no new slot.</li>
 *   <li>{@link XmitMode#M_START_XMIT}: if the TX queue is stopped
 *       ({@code netif_xmit_frozen_or_drv_stopped}) nothing is sent and the skb is kept;
 *       otherwise {@code ndo_start_xmit} is called up to {@code burst} times while the queue
 *       stays open. {@code NETDEV_TX_OK} counts {@code sofar} and {@code tx_bytes};
 *       {@code NETDEV_TX_BUSY} keeps the skb for the next call. A driver that takes a frame
 *       and then drops it (veth when its peer's backlog is full) still returns
 *       {@code NETDEV_TX_OK}, so pktgen counts it as sent, as on Linux; the driver counts the
 *       drop. Frames sent this way bypass the qdisc and the transmit taps
 *       ({@code dev_queue_xmit_nit}), so a capture on the sending device does not see them.</li>
 *   <li>{@link XmitMode#M_QUEUE_XMIT}: {@code dev_queue_xmit}; {@code NET_XMIT_SUCCESS}
 *       counts as sent, anything else ({@code NET_XMIT_DROP}, {@code NET_XMIT_CN}, an errno)
 *       as an error. The skb is consumed either way.</li>
 *   <li>With {@code count}, the device stops once {@code sofar >= count}; a burst may overshoot
 *       by up to {@code burst - 1}, as in pktgen. A device that goes down stops it too.</li>
 * </ol>
 *
 * <p>The thread's run ({@link #pktgenThreadWorker}) makes transmit calls while their slots
 * have come, at most {@link #MAX_XMIT_PER_RUN} per run before yielding the CPU
 * ({@code need_resched} / {@code pktgen_resched}); then it sleeps until the next slot. A
 * stopped queue is polled again after {@link #TX_BUSY_BACKOFF_NS}, where pktgen spins. Every
 * send is charged to the thread's CPU at the {@code pktgen_xmit} cost stage.
 *
 * <p>Model differences: one thread per application (Linux puts several devices on one
 * {@code kpktgend}); each frame is built when it is sent, so the time stamp in the pktgen
 * header is the send time ({@code ktime_get_ns}, not wall-clock time); the copies of a burst
 * are separate skbs with identical bytes (pktgen sends one skb {@code burst} times with its
 * {@code users} raised, which model drivers that queue the skb could not take); the packet
 * rate is not truncated to whole nanoseconds.
 *
 * <p>The frame ({@code fill_packet_ipv4} and {@code pktgen_finalize_skb}):
 *
 * <pre>
 *   0      6      12   14            34      42            58           pkt_size
 *   | dst  | src  |0800| IPv4 header | UDP   | pktgen_hdr  | zeroes ... |
 *                      ver 4, ihl 5, sport, dport,  magic 0xbe9be955,
 *                      tos, tot_len, len, check     seq_num, tv_sec,
 *                      id++, frag 0,                tv_usec
 *                      ttl, proto 17,
 *                      check, saddr, daddr
 * </pre>
 */
public final class PktgenDev implements Application {

    /** The cost stage charged per packet sent. */
    public static final String COST_STAGE = "pktgen_xmit";
    /** {@code PKTGEN_MAGIC}. */
    public static final int PKTGEN_MAGIC = 0xbe9be955;
    /** Transmit calls per run of the thread before it yields the CPU. */
    public static final int MAX_XMIT_PER_RUN = 64;
    /** How long the thread waits before looking at a stopped TX queue again. */
    public static final long TX_BUSY_BACKOFF_NS = 1_000;
    /** {@code HH_DATA_MOD}. */
    private static final int HH_DATA_MOD = 16;
    private static final int IPPROTO_UDP = Checksum.IPPROTO_UDP;
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    private static final long NSEC_PER_USEC = 1_000L;

    private final String name;
    private final Kernel kernel;
    /** {@code pkt_dev->odev}. */
    private final NetDevice odev;
    private final CostStage costStage;

    // ---- configuration ---------------------------------------------------------------------
    private final XmitMode xmitMode;
    private final int cpu;
    private final long count;
    private final int burst;
    /** {@code pkt_dev->delay}, in nanoseconds; 0 sends as fast as the CPU allows. */
    private final double delay;
    /** {@code cur_pkt_size}: the configured frame size. */
    private final int curPktSize;
    private final byte[] dstMac;
    /** Null when the device's address is used. */
    private final byte[] srcMac;
    private final int saddr;
    private final int daddr;
    private final int udpSrcMin;
    /** Exclusive, as in pktgen. */
    private final int udpSrcMax;
    private final int udpDstMin;
    private final int udpDstMax;
    private final int flows;
    private final int ttl;
    private final int tos;
    private final boolean udpCsum;

    // ---- state -----------------------------------------------------------------------------
    /** {@code pkt_dev->hh}: destination and source MAC, filled by {@link #pktgenSetupInject()}. */
    private final byte[] hh = new byte[2 * IfEther.ETH_ALEN];
    private Task tsk;
    /** {@code pkt_dev->running}. */
    private boolean running;
    private boolean started;
    /** {@code pkt_dev->last_ok}: the last transmit call was not refused. */
    private boolean lastOk = true;
    /** {@code pkt_dev->skb}: a built packet the driver has not taken yet, or null. */
    private SkBuff skb;
    private long sofar;
    private long txBytes;
    private long errors;
    private int seqNum = 1;
    private int ipId;
    private int curUdpSrc;
    private int curUdpDst;
    private int curQueueMap;
    private long startedAt;
    private long stoppedAt;
    /** Slots of {@link #delay} used so far: the next one is due at {@code startedAt + nextSlot * delay}. */
    private long nextSlot;
    /** {@code last_pkt_size}: the length of the frame being sent. */
    private int lastPktSize;
    /** Header values of the frame being sent, shared by the copies of a burst. */
    private int frameIpId;
    private int frameSeqNum;
    private long frameTstamp;

    /**
     * @param kernel the host; may be null in tests that only build frames
     * @param odev the output device, of type {@code ARPHRD_ETHER}
     */
    public PktgenDev(String name, Kernel kernel, NetDevice odev, PktgenOptions options, CostStage costStage) {
        this.name = requireNonNull(name, "name is null");
        this.kernel = kernel;
        this.odev = requireNonNull(odev, "odev is null");
        this.costStage = costStage;
        this.xmitMode = options.xmitMode();
        this.cpu = options.cpu();
        this.count = options.count();
        this.burst = options.burst();
        this.delay = options.delayNs();
        this.curPktSize = options.pktSize();
        this.dstMac = options.dstMac();
        this.srcMac = options.srcMac();
        this.saddr = options.saddr();
        this.daddr = options.daddr();
        this.udpSrcMin = options.udpSrcMin();
        this.udpSrcMax = options.udpSrcMin() + options.flows();
        this.udpDstMin = options.udpDst();
        this.udpDstMax = options.udpDst() + 1;
        this.flows = options.flows();
        this.ttl = options.ttl();
        this.tos = options.tos();
        this.udpCsum = options.udpCsum();
    }

    public String name() {
        return name;
    }

    // ---- Application -----------------------------------------------------------------------

    /** Starts sending ({@code pktgen_run}): the first packet is due now. */
    @Override
    public void start() {
        if (started) {
            throw new IllegalStateException("pktgen " + name + " already started");
        }
        started = true;
        pktgenSetupInject();
        pktgenClearCounters();
        startedAt = kernel.ktimeGetNs();
        nextSlot = 0;
        lastOk = true;
        running = true;
        tsk = kernel.taskCreate("kpktgend_" + cpu, cpu, this::pktgenThreadWorker);
        tsk.wakeUp();
    }

    /** Stops sending ({@code pktgen_stop_device}) and frees a packet the driver did not take. */
    @Override
    public void stop() {
        pktgenStopDevice();
    }

    /** {@code sent}, {@code bytes}, {@code errors}, {@code rate_pps}, {@code flows}, as {@code show_results}. */
    @Override
    public void report(ResultWriter out) {
        long elapsed = 0;
        if (started) {
            elapsed = (running ? kernel.ktimeGetNs() : stoppedAt) - startedAt;
        }
        double pps = elapsed > 0 ? sofar * (double) NSEC_PER_SEC / elapsed : 0.0;
        out.put("sent", sofar)
                .put("bytes", txBytes)
                .put("errors", errors)
                .put("rate_pps", pps)
                .put("flows", (long) flows);
    }

    // ---- the thread ------------------------------------------------------------------------

    /**
     * One run of {@code kpktgend_<cpu>} ({@code pktgen_thread_worker}): transmit calls while
     * their slots have come, at most {@link #MAX_XMIT_PER_RUN}, then yield, sleep until the
     * next slot, or back off from a stopped queue.
     */
    void pktgenThreadWorker(Task task) {
        int calls = 0;
        while (running) {
            if (lastOk && delay > 0) {
                // spin(): a new packet waits for its slot; a late one goes at once.
                long nextTx = startedAt + (long) (nextSlot * delay);
                if (kernel.ktimeGetNs() < nextTx) {
                    task.wakeUpAt(nextTx);
                    return;
                }
                nextSlot++;
            }
            calls += pktgenXmit();
            if (!running) {
                return;
            }
            if (!lastOk) {
                // netif_xmit_frozen_or_drv_stopped or NETDEV_TX_BUSY: look again shortly.
                task.wakeUpAt(kernel.ktimeGetNs() + TX_BUSY_BACKOFF_NS);
                return;
            }
            if (calls >= MAX_XMIT_PER_RUN) {
                task.wakeUp();
                return;
            }
        }
    }

    /**
     * One transmit call ({@code pktgen_xmit}).
     *
     * @return how many packets were handed to the driver or the qdisc
     */
    private int pktgenXmit() {
        if (!odev.isUp()) {
            pktgenStopDevice();
            return 0;
        }
        if (skb == null) {
            skb = fillPacket();
        }
        int calls = 0;
        if (xmitMode == XmitMode.M_QUEUE_XMIT) {
            SkBuff s = skb;
            skb = null;
            kernel.charge(costStage, lastPktSize);
            calls++;
            int ret = kernel.devQueueXmit(s);
            if (ret == NetXmit.NET_XMIT_SUCCESS) {
                sofar++;
                seqNum++;
                txBytes += lastPktSize;
            } else {
                // NET_XMIT_DROP, NET_XMIT_CN or an errno: the skb is consumed.
                errors++;
            }
            lastOk = true;
        } else {
            NetdevQueue txq = odev.txQueue(curQueueMap);
            if (txq.stopped()) {
                lastOk = false;
                return 0;
            }
            int left = burst;
            while (true) {
                kernel.charge(costStage, lastPktSize);
                calls++;
                NetdevTx ret = odev.ops().ndoStartXmit(skb, odev);
                if (ret == NetdevTx.NET_XMIT_DROP) {
                    // NET_XMIT_DROP: the driver consumed and counted the skb; pktgen counts an error.
                    skb = null;
                    lastOk = true;
                    errors++;
                    if (--left == 0 || txq.stopped()) {
                        break;
                    }
                    skb = copyPacket();
                    continue;
                }
                if (ret != NetdevTx.NETDEV_TX_OK) {
                    // NETDEV_TX_BUSY: the skb is still ours; retry it next time.
                    lastOk = false;
                    break;
                }
                // netdev_start_xmit: txq_trans_update on NETDEV_TX_OK.
                txq.setTransStart(kernel.ktimeGetNs());
                skb = null;
                lastOk = true;
                sofar++;
                seqNum++;
                txBytes += lastPktSize;
                if (--left == 0 || txq.stopped()) {
                    break;
                }
                skb = copyPacket();
            }
        }
        if (count != 0 && sofar >= count) {
            pktgenStopDevice();
        }
        return calls;
    }

    /** {@code pktgen_stop_device}: no more sending; frees the skb the driver has not taken. */
    private void pktgenStopDevice() {
        if (!running) {
            return;
        }
        running = false;
        if (skb != null) {
            kernel.consumeSkb(skb);
            skb = null;
        }
        stoppedAt = kernel.ktimeGetNs();
        tsk.stop();
    }

    // ---- building packets ------------------------------------------------------------------

    /** {@code pktgen_setup_inject}: the MAC header and the current header values. */
    void pktgenSetupInject() {
        System.arraycopy(dstMac, 0, hh, 0, IfEther.ETH_ALEN);
        // "Default to the interface's mac if not explicitly set."
        byte[] src = srcMac == null || isZeroEtherAddr(srcMac) ? odev.devAddr() : srcMac;
        System.arraycopy(src, 0, hh, IfEther.ETH_ALEN, IfEther.ETH_ALEN);
        curUdpSrc = udpSrcMin;
        curUdpDst = udpDstMin;
        curQueueMap = 0;
    }

    /** {@code pktgen_clear_counters}. */
    private void pktgenClearCounters() {
        seqNum = 1;
        sofar = 0;
        txBytes = 0;
        errors = 0;
    }

    /** A new packet: {@code fill_packet_ipv4} on a fresh skb ({@code pktgen_alloc_skb}). */
    private SkBuff fillPacket() {
        return fillPacketIpv4(pktgenAllocSkb(), kernel.ktimeGetNs());
    }

    /** Another copy of the frame being sent, for the rest of a burst. */
    private SkBuff copyPacket() {
        SkBuff s = pktgenAllocSkb();
        buildFrame(s);
        return s;
    }

    /**
     * {@code pktgen_alloc_skb}: room for the frame plus 64 bytes plus the link layer's reserved
     * space, after {@code NET_SKB_PAD} of headroom ({@code __netdev_alloc_skb}).
     */
    private SkBuff pktgenAllocSkb() {
        int extralen = llReservedSpace(odev);
        SkBuff s = kernel.netdevAllocSkb(odev, curPktSize + 64 + extralen);
        s.reserve(extralen - HH_DATA_MOD);
        return s;
    }

    /** {@code LL_RESERVED_SPACE(dev)}: the hard header length rounded up to 16, plus 16. */
    static int llReservedSpace(NetDevice dev) {
        return (dev.hardHeaderLen() & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD;
    }

    /**
     * Advances the header values and fills {@code skb}, an empty skb with at least
     * {@code pkt_size + 16} bytes of tailroom and 14 bytes of headroom after a reserve of 16
     * ({@code mod_cur_headers} and {@code fill_packet_ipv4}).
     *
     * @param nowNs the time stamp for the pktgen header
     * @return {@code skb}
     */
    SkBuff fillPacketIpv4(SkBuff skb, long nowNs) {
        modCurHeaders();
        frameIpId = ipId;
        ipId = (ipId + 1) & 0xffff;
        frameSeqNum = seqNum;
        frameTstamp = nowNs;
        buildFrame(skb);
        return skb;
    }

    /**
     * {@code mod_cur_headers}, for what the model configures: the UDP source port walks
     * {@code [udp_src_min, udp_src_max)} upwards, starting one above {@code udp_src_min} as
     * pktgen does; the destination port is fixed; the queue is {@code queue_map_min = 0}.
     */
    private void modCurHeaders() {
        if (udpSrcMin < udpSrcMax) {
            curUdpSrc++;
            if (curUdpSrc >= udpSrcMax) {
                curUdpSrc = udpSrcMin;
            }
        }
        if (udpDstMin < udpDstMax) {
            curUdpDst++;
            if (curUdpDst >= udpDstMax) {
                curUdpDst = udpDstMin;
            }
        }
        curQueueMap = 0;
    }

    /** Writes the frame with the current header values ({@code fill_packet_ipv4}, {@code pktgen_finalize_skb}). */
    private void buildFrame(SkBuff skb) {
        skb.reserve(HH_DATA_MOD);
        int eth = skb.push(IfEther.ETH_HLEN);
        skb.resetMacHeader();
        int iph = skb.put(20);
        skb.setNetworkHeader(iph);
        int udph = skb.put(8);
        skb.setTransportHeader(udph);
        skb.setQueueMapping(curQueueMap);
        skb.setPriority(0);

        byte[] b = skb.head();
        System.arraycopy(hh, 0, b, eth, 2 * IfEther.ETH_ALEN);
        skb.putU16(eth + 12, IfEther.ETH_P_IP);

        // Eth + IPh + UDPh; the payload holds at least the pktgen header.
        int datalen = curPktSize - IfEther.ETH_HLEN - 20 - 8;
        if (datalen < PktgenOptions.PKTGEN_HDR_LEN) {
            datalen = PktgenOptions.PKTGEN_HDR_LEN;
        }

        skb.putU16(udph, curUdpSrc);
        skb.putU16(udph + 2, curUdpDst);
        skb.putU16(udph + 4, datalen + 8);
        skb.putU16(udph + 6, 0);

        skb.putU8(iph, 0x45);                 // version 4, ihl 5
        skb.putU8(iph + 1, tos);
        skb.putU16(iph + 2, 20 + 8 + datalen); // tot_len
        skb.putU16(iph + 4, frameIpId);
        skb.putU16(iph + 6, 0);               // frag_off
        skb.putU8(iph + 8, ttl);
        skb.putU8(iph + 9, IPPROTO_UDP);
        skb.putU32(iph + 12, saddr);
        skb.putU32(iph + 16, daddr);
        Checksum.ipSendCheck(b, iph);
        skb.setProtocol(IfEther.ETH_P_IP);
        skb.setDev(odev);
        skb.setPktType(SkBuff.PACKET_HOST);

        // pktgen_finalize_skb: the pktgen header, then zeroes.
        int pgh = skb.put(PktgenOptions.PKTGEN_HDR_LEN);
        int zeroes = datalen - PktgenOptions.PKTGEN_HDR_LEN;
        int z = skb.put(zeroes);
        Arrays.fill(b, z, z + zeroes, (byte) 0);
        skb.putU32(pgh, PKTGEN_MAGIC);
        skb.putU32(pgh + 4, frameSeqNum);
        skb.putU32(pgh + 8, (int) (frameTstamp / NSEC_PER_SEC));
        skb.putU32(pgh + 12, (int) ((frameTstamp % NSEC_PER_SEC) / NSEC_PER_USEC));

        // The model's devices offload no checksum: with F_UDPCSUM, sum in software.
        skb.setIpSummed(SkBuff.CHECKSUM_NONE);
        if (udpCsum) {
            int csum = Checksum.csumPartial(b, udph, datalen + 8, 0);
            int check = Checksum.csumTcpudpMagic(saddr, daddr, datalen + 8, IPPROTO_UDP, csum);
            if (check == 0) {
                check = Checksum.CSUM_MANGLED_0;
            }
            skb.putU16(udph + 6, check);
        }
        lastPktSize = skb.len();
    }

    private static boolean isZeroEtherAddr(byte[] mac) {
        for (byte x : mac) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- for tests and the report ----------------------------------------------------------

    /** {@code pkt_dev->sofar}. */
    public long sofar() {
        return sofar;
    }

    /** {@code pkt_dev->tx_bytes}. */
    public long txBytes() {
        return txBytes;
    }

    /** {@code pkt_dev->errors}. */
    public long errors() {
        return errors;
    }

    /** {@code pkt_dev->running}. */
    public boolean running() {
        return running;
    }
}
