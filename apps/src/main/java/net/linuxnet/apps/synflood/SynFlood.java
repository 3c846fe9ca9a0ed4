package net.linuxnet.apps.synflood;

import static java.util.Objects.requireNonNull;

import java.util.random.RandomGenerator;
import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sched.NetXmit;

/**
 * {@code syn-flood}: TCP SYNs from spoofed sources at a fixed rate, as {@code hping3 --flood -S
 * --rand-source} sends them through a packet socket ({@code packet_snd} → {@code dev_queue_xmit}):
 * the experiment that SYN cookies answer.
 *
 * <p>Each SYN has a source address drawn from {@code sources}, a source port from 1024..65535,
 * an initial sequence number, an IP ID and a TSval, all from the run's seeded random source, so
 * a run is reproducible. The segment looks like one Linux sends from {@code tcp_connect}: DF
 * set, window 64240, options MSS, SACK permitted, timestamps (TSecr 0), NOP, window scale, and
 * real IPv4 and TCP checksums:
 *
 * <pre>
 *   0      6      12   14              34                        54                      74
 *   | dst  | src  |0800| IPv4: 45 00,   | TCP: sport dport seq,    | 02 04 mss  04 02       |
 *                      tot_len 60, id,  ack 0, doff 10, SYN,       | 08 0a TSval TSecr=0    |
 *                      DF, ttl, 6,      window 64240, check, 0     | 01  03 03 wscale       |
 *                      check, src, dst
 * </pre>
 *
 * <p>Sending follows pktgen's pacing: SYN {@code k} is due at {@code start + k / rate}; a late
 * thread catches up, at most {@link #MAX_XMIT_PER_RUN} per run before it yields the CPU. Each
 * SYN is a fresh skb from the host's pool, built in place, charged to the thread's CPU at the
 * {@code syn_flood_xmit} cost stage, and handed to {@code dev_queue_xmit}, so taps and captures
 * on the sending device see it. {@code NET_XMIT_SUCCESS} counts {@code sent}; anything else
 * (the qdisc or the driver dropped it) counts {@code errors}.
 *
 * <p>Result: {@code sent}, {@code errors}, {@code rate_pps}.
 */
public final class SynFlood implements Application {
    /** The cost stage charged per SYN. */
    public static final String COST_STAGE = "syn_flood_xmit";
    /** SYNs per run of the thread before it yields the CPU. */
    public static final int MAX_XMIT_PER_RUN = 64;
    /** The frame: Ethernet, IPv4 and TCP with 20 bytes of options. */
    public static final int FRAME_LEN = IfEther.ETH_HLEN + 20 + 40;
    /** The window of a Linux SYN with MSS 1460 (44 segments). */
    public static final int SYN_WINDOW = 64240;
    private static final int HH_DATA_MOD = 16;

    private final String name;
    private final Kernel kernel;
    private final NetDevice odev;
    private final CostStage costStage;
    private final byte[] hh = new byte[2 * IfEther.ETH_ALEN];
    private final int daddr;
    private final int dport;
    private final int srcNet;
    private final int hostMask;
    private final double delay;
    private final long count;
    private final int mss;
    private final int wscale;
    private final int ttl;
    private final int cpu;
    private Task task;
    private boolean running;
    private long startedAt;
    private long stoppedAt;
    private long nextSlot;
    private long sent;
    private long errors;

    /**
     * @param kernel the host; may be null in tests that only build frames
     * @param odev the output device, of type {@code ARPHRD_ETHER}
     */
    public SynFlood(String name, Kernel kernel, NetDevice odev, SynFloodOptions o, CostStage costStage) {
        this.name = requireNonNull(name, "name is null");
        this.kernel = kernel;
        this.odev = requireNonNull(odev, "odev is null");
        this.costStage = costStage;
        System.arraycopy(o.dstMac(), 0, hh, 0, IfEther.ETH_ALEN);
        byte[] src = o.srcMac() == null ? odev.devAddr() : o.srcMac();
        System.arraycopy(src, 0, hh, IfEther.ETH_ALEN, IfEther.ETH_ALEN);
        this.daddr = o.dst().addr;
        this.dport = o.dst().port;
        this.srcNet = o.srcNet();
        this.hostMask = o.srcPrefix() == 32 ? 0 : -1 >>> o.srcPrefix();
        this.delay = 1e9 / o.ratePps();
        this.count = o.count();
        this.mss = o.mss();
        this.wscale = o.wscale();
        this.ttl = o.ttl();
        this.cpu = o.cpu();
    }

    @Override
    public void start() {
        startedAt = kernel.ktimeGetNs();
        running = true;
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUp();
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            stoppedAt = kernel.ktimeGetNs();
            task.stop();
        }
    }

    private void run(Task t) {
        RandomGenerator rnd = kernel.random();
        for (int calls = 0; running; calls++) {
            if (calls == MAX_XMIT_PER_RUN) {
                t.wakeUp();
                return;
            }
            long due = startedAt + (long) (nextSlot * delay);
            if (kernel.ktimeGetNs() < due) {
                t.wakeUpAt(due);
                return;
            }
            nextSlot++;
            if (!odev.isUp()) {
                stop();
                return;
            }
            SkBuff skb = allocSkb();
            fillSyn(skb, srcNet | (rnd.nextInt() & hostMask), 1024 + rnd.nextInt(65536 - 1024), rnd.nextInt(),
                    rnd.nextInt(0x10000), rnd.nextInt());
            kernel.charge(costStage, FRAME_LEN);
            if (kernel.devQueueXmit(skb) == NetXmit.NET_XMIT_SUCCESS) {
                sent++;
            } else {
                errors++;
            }
            if (count != 0 && sent + errors >= count) {
                stop();
            }
        }
    }

    /** An skb with the link layer's reserved space as headroom, as {@code pktgen_alloc_skb}. */
    private SkBuff allocSkb() {
        int extralen = (odev.hardHeaderLen() & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD;
        SkBuff s = kernel.netdevAllocSkb(odev, FRAME_LEN + extralen);
        s.reserve(extralen);
        return s;
    }

    /**
     * Builds one SYN into {@code skb}, an empty skb with at least 14 bytes of headroom and
     * {@link #FRAME_LEN} - 14 bytes of tailroom.
     *
     * @return {@code skb}
     */
    SkBuff fillSyn(SkBuff skb, int saddr, int sport, int isn, int ipId, int tsval) {
        int eth = skb.push(IfEther.ETH_HLEN);
        skb.resetMacHeader();
        int iph = skb.put(20);
        skb.setNetworkHeader(iph);
        int th = skb.put(40);
        skb.setTransportHeader(th);
        byte[] b = skb.head();
        System.arraycopy(hh, 0, b, eth, 2 * IfEther.ETH_ALEN);
        skb.putU16(eth + 12, IfEther.ETH_P_IP);

        skb.putU8(iph, 0x45);
        skb.putU8(iph + 1, 0);
        skb.putU16(iph + 2, 60);
        skb.putU16(iph + 4, ipId);
        skb.putU16(iph + 6, 0x4000);          // DF
        skb.putU8(iph + 8, ttl);
        skb.putU8(iph + 9, Checksum.IPPROTO_TCP);
        skb.putU16(iph + 10, 0);
        skb.putU32(iph + 12, saddr);
        skb.putU32(iph + 16, daddr);
        Checksum.ipSendCheck(b, iph);

        skb.putU16(th, sport);
        skb.putU16(th + 2, dport);
        skb.putU32(th + 4, isn);
        skb.putU32(th + 8, 0);
        skb.putU8(th + 12, 10 << 4);          // doff 10: 40 bytes
        skb.putU8(th + 13, 0x02);             // SYN
        skb.putU16(th + 14, SYN_WINDOW);
        skb.putU16(th + 16, 0);
        skb.putU16(th + 18, 0);
        int opt = th + 20;
        skb.putU8(opt, 2);                    // MSS
        skb.putU8(opt + 1, 4);
        skb.putU16(opt + 2, mss);
        skb.putU8(opt + 4, 4);                // SACK permitted
        skb.putU8(opt + 5, 2);
        skb.putU8(opt + 6, 8);                // timestamps
        skb.putU8(opt + 7, 10);
        skb.putU32(opt + 8, tsval);
        skb.putU32(opt + 12, 0);
        skb.putU8(opt + 16, 1);               // NOP
        skb.putU8(opt + 17, 3);               // window scale
        skb.putU8(opt + 18, 3);
        skb.putU8(opt + 19, wscale);
        int csum = Checksum.csumPartial(b, th, 40, 0);
        skb.putU16(th + 16, Checksum.csumTcpudpMagic(saddr, daddr, 40, Checksum.IPPROTO_TCP, csum));

        skb.setProtocol(IfEther.ETH_P_IP);
        skb.setDev(odev);
        skb.setPriority(0);
        skb.setQueueMapping(0);
        skb.setIpSummed(SkBuff.CHECKSUM_NONE);
        return skb;
    }

    @Override
    public void report(ResultWriter out) {
        long elapsed = (running ? kernel.ktimeGetNs() : stoppedAt) - startedAt;
        out.put("sent", sent).put("errors", errors).put("rate_pps", elapsed > 0 ? sent * 1e9 / elapsed : 0.0);
    }

    /** SYNs handed to {@code dev_queue_xmit} and accepted. */
    public long sent() {
        return sent;
    }
}
