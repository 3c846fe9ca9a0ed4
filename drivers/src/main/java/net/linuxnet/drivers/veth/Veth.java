package net.linuxnet.drivers.veth;

import java.util.Map;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.EthtoolOps;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.net.NetDeviceOps;
import net.linuxnet.api.net.NapiStruct;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.NetdevQueue;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.drivers.EtherDevice;

/**
 * A virtual Ethernet pair: what one end transmits, the other end receives. Follows
 * {@code drivers/net/veth.c} of Linux 6.18 on its plain skb path (no XDP, no GRO NAPI).
 *
 * <p>The algorithm of {@code veth_xmit}: take the peer; if there is none, or the frame is
 * shorter than an Ethernet header, free it and count it in this end's {@code dropped}.
 * Otherwise forward it as {@code __dev_forward_skb} does: if the peer is down or the frame is
 * longer than the peer's MTU plus its header and a VLAN tag ({@code __is_skb_forwardable}),
 * the peer counts an {@code rx_dropped} and the skb is freed; else the skb is scrubbed
 * ({@code skb_scrub_packet}: mark and time stamp cleared only when crossing to another
 * network namespace, here another host), {@code eth_type_trans} makes the peer its device and
 * pulls the MAC header, and {@code __netif_rx} queues it to the backlog of the peer host's
 * CPU with this CPU's index. When that succeeds this end counts the packet in its
 * {@code tx_packets}/{@code tx_bytes}; when the backlog is full this end counts a
 * {@code dropped}. The same skb crosses the pair: nothing is copied or allocated.
 *
 * <pre>
 *   host a                                   host b
 *   dev_queue_xmit -> veth_xmit(v0) --------> netif_rx(v1) -> backlog of b's CPU n
 *                     (runs on a's CPU n)      (skb.dev = v1, protocol from eth_type_trans)
 * </pre>
 *
 * <p>NAPI mode ({@code gro = true} on the receiving end, as {@code ethtool -K dev gro on}
 * makes {@code veth_set_features} call {@code veth_napi_enable}): the peer's frames go into a
 * ring of {@code VETH_RING_SIZE} (256) frames that this end's NAPI poll ({@code veth_poll},
 * budget 64) hands to {@code napi_gro_receive}. A full ring makes {@code veth_xmit} return
 * {@code NETDEV_TX_BUSY} with the sender's queue stopped (Linux 6.16+ backpressure), so the
 * sender's qdisc keeps the frame; without a qdisc the frame is dropped. The poll wakes the
 * sender's stopped queues after taking frames off the ring. So a receiver that is slower than
 * its sender builds a queue in the sender's qdisc, where {@code fq_codel} or {@code pfifo}
 * decide who waits. The model keeps one ring per device, not one per RX queue.
 *
 * <p>Counters, as {@code veth_get_stats64}: a device's {@code tx_*} are its own software
 * counters, its {@code rx_packets}/{@code rx_bytes} are its peer's {@code tx_*}, and its
 * {@code tx_dropped} is {@code priv->dropped}. Drops at the peer's door also show in the
 * peer's {@code rx_dropped} through the core counters ({@code dev_core_stats_rx_dropped_inc}).
 *
 * <p>Pairing: each veth is one configuration entry; one end names the other with
 * {@code peer = "<host>.<dev>"} (or {@code "<dev>"} on the same host), as
 * {@code ip link add v0 type veth peer name v1} creates both at once in {@code veth_newlink}.
 * A veth that ends up with no peer fails to open with {@code -ENOTCONN}, as
 * {@code veth_open} does.
 *
 * <p>One stateless instance serves as {@code veth_link_ops}, {@code veth_netdev_ops} and
 * {@code veth_ethtool_ops}; each device's state is its {@link VethPriv}.
 */
public final class Veth implements NetDeviceDriver, NetDeviceOps, EthtoolOps {

    /** {@code DRV_NAME}: the link kind and the ethtool driver name. */
    public static final String DRV_NAME = "veth";
    /** The most TX and RX queues of one veth ({@code numtxqueues}, {@code numrxqueues}). */
    public static final int VETH_MAX_QUEUES = 64;
    /** The cost stage charged per transmitted packet. */
    public static final String COST_STAGE = "veth_xmit";
    /** {@code VETH_RING_SIZE}: frames the NAPI ring of one RX queue holds. */
    public static final int VETH_RING_SIZE = 256;

    /** {@code ENOTCONN}, returned negated by {@code veth_open} when there is no peer. */
    static final int ENOTCONN = 107;
    /** {@code VLAN_HLEN}: {@code __is_skb_forwardable} allows one VLAN tag beyond the MTU. */
    private static final int VLAN_HLEN = 4;

    /** Names of the per-RX-queue counters {@code ethtool -S} shows ({@code veth_rq_stats_desc}). */
    private static final String[] VETH_RQ_STATS_DESC = {
        "xdp_packets", "xdp_bytes", "drops", "xdp_redirect", "xdp_drops", "xdp_tx", "xdp_tx_errors"
    };
    /** Names of the per-TX-queue counters ({@code veth_tq_stats_desc}). */
    private static final String[] VETH_TQ_STATS_DESC = {"xdp_xmit", "xdp_xmit_errors"};

    // ---- rtnl_link_ops -----------------------------------------------------------------------

    @Override
    public String kind() {
        return DRV_NAME;
    }

    @Override
    public int maxQueues() {
        return VETH_MAX_QUEUES;
    }

    /**
     * {@code veth_setup}: {@code ether_setup}, then no qdisc ({@code IFF_NO_QUEUE}), live
     * address change, an MTU up to {@code ETH_MAX_MTU}, and a random address as
     * {@code veth_newlink} gives one when none is configured. The private state is created
     * here, as {@code alloc_netdev} makes room for it, so a peer can be paired with this
     * device before this device's own {@link #newLink} runs.
     */
    @Override
    public void setup(NetDevice dev) {
        EtherDevice.etherSetup(dev);
        dev.setPrivFlags(dev.privFlags() | NetDevice.IFF_LIVE_ADDR_CHANGE | NetDevice.IFF_NO_QUEUE);
        dev.setMtuRange(EtherDevice.ETH_MIN_MTU, EtherDevice.ETH_MAX_MTU);
        dev.setKind(DRV_NAME);
        dev.setOps(this);
        dev.setEthtoolOps(this);
        dev.setPriv(new VethPriv());
        EtherDevice.ethHwAddrRandom(dev);
    }

    /**
     * {@code veth_newlink}: looks up the cost stage and, when this entry names a
     * {@code peer}, ties the two devices together. Naming each other from both entries is
     * accepted; anything else that would pair a device twice is an error.
     *
     * @throws net.linuxnet.api.config.OptionException when the peer is not configured, is not
     *     a veth, is this device, or is already paired with another device
     */
    @Override
    public void newLink(NetDevice dev, Options options, LinkContext ctx) {
        VethPriv priv = dev.priv();
        priv.xmitCost = dev.kernel().costStage(COST_STAGE);
        if (options.getBoolean("gro", false)) {
            vethNapiEnable(dev, priv);
        }
        if (!options.has("peer")) {
            return; // the other end names this one, or veth_open fails with -ENOTCONN
        }
        String spec = options.getString("peer");
        NetDevice peer = ctx.lookup(spec);
        if (peer == null) {
            throw options.error("peer", "no device '" + spec + "' is configured"
                    + " (expected: \"<host>.<dev>\" or \"<dev>\" naming a veth device)");
        }
        Object peerState = peer.priv();
        if (!(peerState instanceof VethPriv peerPriv)) {
            throw options.error("peer", "'" + spec + "' is a " + peer.kind() + " device, not a veth"
                    + " (expected: \"<host>.<dev>\" or \"<dev>\" naming a veth device)");
        }
        if (peer == dev) {
            throw options.error("peer", "'" + spec + "' is this device; a veth cannot be its own peer"
                    + " (expected: another veth device)");
        }
        if (priv.peer != null && priv.peer != peer) {
            throw options.error("peer", "this device is already paired with " + fullName(priv.peer)
                    + ", which names it as its peer (expected: name the peer on one side only)");
        }
        if (peerPriv.peer != null && peerPriv.peer != dev) {
            throw options.error("peer", "'" + spec + "' is already paired with " + fullName(peerPriv.peer)
                    + " (expected: a veth device that no other veth names as its peer)");
        }
        priv.peer = peer;
        peerPriv.peer = dev;
    }

    /** The peer of a veth device, or null if it has none or is no veth; for the core and tests. */
    public static NetDevice peerOf(NetDevice dev) {
        Object state = dev.priv();
        return state instanceof VethPriv priv ? priv.peer : null;
    }

    private static String fullName(NetDevice dev) {
        return dev.kernel().hostname() + "." + dev.name();
    }

    // ---- net_device_ops ----------------------------------------------------------------------

    /**
     * {@code veth_open}: refuses to open without a peer ({@code -ENOTCONN}); when the peer is
     * already up, turns the carrier on at both ends. The core sets {@code IFF_UP} after this
     * returns 0, so the second end to open finds the first one up.
     */
    @Override
    public int ndoOpen(NetDevice dev) {
        VethPriv priv = dev.priv();
        NetDevice peer = priv.peer;
        if (peer == null) {
            return -ENOTCONN;
        }
        if (peer.isUp()) {
            netifCarrierOn(dev);
            netifCarrierOn(peer);
        }
        return 0;
    }

    /** {@code veth_close}: carrier off at both ends. */
    @Override
    public int ndoStop(NetDevice dev) {
        VethPriv priv = dev.priv();
        if (priv.xdpRing != null) { // the model's end of run: ptr_ring_cleanup of the ring
            priv.ringDue.del();
            while (priv.ringCount > 0) {
                SkBuff skb = priv.xdpRing[priv.ringHead];
                priv.xdpRing[priv.ringHead] = null;
                priv.ringHead = (priv.ringHead + 1) % priv.xdpRing.length;
                priv.ringCount--;
                dev.kernel().kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
            }
        }
        netifCarrierOff(dev);
        if (priv.peer != null) {
            netifCarrierOff(priv.peer);
        }
        return 0;
    }

    /**
     * {@code veth_xmit}, called in softirq or process context on the sending host's CPU.
     * Returns {@link NetdevTx#NETDEV_TX_OK} when the peer took the skb and
     * {@link NetdevTx#NET_XMIT_DROP} when it was dropped (counted here); either way the skb
     * is consumed.
     */
    @Override
    public NetdevTx ndoStartXmit(SkBuff skb, NetDevice dev) {
        VethPriv priv = dev.priv();
        Kernel kernel = dev.kernel();
        int length = skb.len();
        kernel.charge(priv.xmitCost, length);

        NetDevice rcv = priv.peer;
        if (rcv == null || !skb.mayPull(IfEther.ETH_HLEN)) {
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            priv.dropped++;
            return NetdevTx.NET_XMIT_DROP;
        }
        VethPriv rq = rcv.priv();
        boolean useNapi = rq.xdpRing != null;
        int ret = vethForwardSkb(rcv, skb, dev, useNapi ? rq : null);
        if (ret == NetRx.NET_RX_SUCCESS) {
            // dev_sw_netstats_tx_add(dev, 1, length); with NAPI the kernel counts the frame in
            // the peer's rq stats, which veth_get_stats64 reports as this end's tx: same figures
            priv.txPackets++;
            priv.txBytes += length;
            if (useNapi) {
                vethXdpFlush(rq);
            }
            return NetdevTx.NETDEV_TX_OK;
        }
        if (ret == NETDEV_TX_BUSY_CODE) {
            rq.ringFull++;
            NetdevQueue txq = dev.txQueue(skb.queueMapping());
            if (txq.qdisc() == null) { // qdisc_txq_has_no_queue: nobody to hold the frame
                kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
                priv.dropped++;
                return NetdevTx.NET_XMIT_DROP;
            }
            // restore the Ethernet header eth_type_trans pulled; the qdisc keeps the frame
            skb.push(IfEther.ETH_HLEN);
            skb.setDev(dev);
            txq.stopQueue();
            vethXdpFlush(rq); // the consumer restarts the queue
            return NetdevTx.NETDEV_TX_BUSY;
        }
        priv.dropped++;
        return NetdevTx.NET_XMIT_DROP;
    }

    /** {@code NETDEV_TX_BUSY} as {@code veth_forward_skb} returns it from {@code veth_xdp_rx}. */
    private static final int NETDEV_TX_BUSY_CODE = 0x10;

    /**
     * {@code veth_napi_enable}, as turning GRO on ({@code ethtool -K dev gro on}) does in
     * {@code veth_set_features}: a ring of {@code VETH_RING_SIZE} frames and a NAPI context
     * that polls it.
     */
    private static void vethNapiEnable(NetDevice dev, VethPriv priv) {
        Kernel kernel = dev.kernel();
        priv.xdpRing = new SkBuff[VETH_RING_SIZE];
        priv.xdpNapi = kernel.netifNapiAdd(dev, (napi, budget) -> vethPoll(dev, napi, budget), NapiStruct.NAPI_POLL_WEIGHT);
        priv.ringDue = kernel.timerSetup(t -> vethXdpFlush(priv));
    }

    /** {@code __veth_xdp_flush}: schedules the peer's poll unless it is already on its way. */
    private static void vethXdpFlush(VethPriv rq) {
        if (!rq.rxNotifyMasked && !rq.xdpNapi.scheduled) {
            rq.rxNotifyMasked = true;
            rq.xdpNapi.dev().kernel().napiSchedule(rq.xdpNapi);
        }
    }

    /**
     * {@code veth_poll} with {@code veth_xdp_rcv} (no XDP program): takes up to {@code budget}
     * frames off the ring into {@code napi_gro_receive}, then, having made room, wakes the
     * peer's stopped transmit queues ({@code netif_tx_wake_queue}). A frame sent by a CPU that
     * ran ahead of this one waits for its time stamp, as the backlog's frames do.
     */
    private static int vethPoll(NetDevice dev, NapiStruct napi, int budget) {
        VethPriv rq = dev.priv();
        Kernel kernel = dev.kernel();
        long now = kernel.ktimeGetNs();
        int done = 0;
        boolean early = false;
        while (done < budget && rq.ringCount > 0) {
            SkBuff skb = rq.xdpRing[rq.ringHead];
            if (skb.tstamp() > now) {
                rq.ringDue.mod(skb.tstamp());
                early = true;
                break;
            }
            rq.xdpRing[rq.ringHead] = null;
            rq.ringHead = (rq.ringHead + 1) % rq.xdpRing.length;
            rq.ringCount--;
            kernel.napiGroReceive(napi, skb);
            done++;
        }
        NetDevice peer = rq.peer;
        if (done > 0 && peer != null) {
            for (int i = 0; i < peer.realNumTxQueues(); i++) {
                NetdevQueue txq = peer.txQueue(i);
                if (txq.stopped()) {
                    txq.wakeQueue();
                }
            }
        }
        if (done < budget && kernel.napiCompleteDone(napi, done)) {
            rq.rxNotifyMasked = false;
            if (rq.ringCount > 0 && !early) {
                rq.rxNotifyMasked = true;
                kernel.napiSchedule(napi);
            }
        }
        return done;
    }

    /**
     * {@code veth_forward_skb} without XDP: {@code __dev_forward_skb(rcv, skb)} then
     * {@code __netif_rx(skb)} on the peer's host. Consumes the skb.
     *
     * @return {@link NetRx#NET_RX_SUCCESS} or {@link NetRx#NET_RX_DROP}
     */
    private static int vethForwardSkb(NetDevice rcv, SkBuff skb, NetDevice dev, VethPriv rq) {
        // ____dev_forward_skb
        if (!isSkbForwardable(rcv, skb)) {
            rcv.coreRxDropped++; // dev_core_stats_rx_dropped_inc(rcv)
            dev.kernel().kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED); // kfree_skb()
            return NetRx.NET_RX_DROP;
        }
        Kernel rcvKernel = rcv.kernel();
        skbScrubPacket(skb, rcvKernel != dev.kernel());
        skb.setPriority(0);
        // __dev_forward_skb2; eth_type_trans sets skb->dev = rcv
        skb.setDev(rcv);
        skb.setProtocol(rcvKernel.ethTypeTrans(skb, rcv));
        if (rq == null) {
            return rcvKernel.netifRx(skb);
        }
        // veth_xdp_rx: ptr_ring_produce, or NETDEV_TX_BUSY when the ring is full
        if (rq.ringCount == rq.xdpRing.length) {
            return NETDEV_TX_BUSY_CODE;
        }
        skb.setTstamp(rcvKernel.ktimeGetNs());
        rq.xdpRing[(rq.ringHead + rq.ringCount) % rq.xdpRing.length] = skb;
        rq.ringCount++;
        return NetRx.NET_RX_SUCCESS;
    }

    /**
     * {@code __is_skb_forwardable} with {@code check_mtu}: the peer is up and the frame fits
     * its MTU, header and one VLAN tag (the model has no GSO skbs to exempt).
     */
    private static boolean isSkbForwardable(NetDevice rcv, SkBuff skb) {
        if (!rcv.isUp()) {
            return false;
        }
        return skb.len() <= rcv.mtu() + rcv.hardHeaderLen() + VLAN_HLEN;
    }

    /**
     * {@code skb_scrub_packet}: forgets what belongs to the sending namespace. The model's
     * skb has no dst, conntrack or extensions to drop; {@code pkt_type} and {@code skb_iif}
     * are reset, and with {@code xnet} the mark and the time stamp too. The sending socket's
     * reference is kept (since Linux 4.19), so the skb stays charged to it until the peer's
     * {@code ip_rcv} orphans it or it is freed.
     */
    private static void skbScrubPacket(SkBuff skb, boolean xnet) {
        skb.setPktType(SkBuff.PACKET_HOST);
        skb.setSkbIif(0);
        if (!xnet) {
            return;
        }
        skb.setMark(0);
        skb.setTstamp(0); // skb_clear_tstamp
    }

    /**
     * {@code veth_get_stats64}: own transmit counters and drops, receive counters from the
     * peer's transmit counters. Starts from {@link NetDevice#stats()} so that {@code out} is
     * fully written, as the memset in {@code dev_get_stats} does.
     */
    @Override
    public void ndoGetStats64(NetDevice dev, RtnlLinkStats64 out) {
        VethPriv priv = dev.priv();
        out.copyFrom(dev.stats());
        out.txDropped += priv.dropped;
        out.txPackets += priv.txPackets;
        out.txBytes += priv.txBytes;
        NetDevice peer = priv.peer;
        if (peer != null) {
            VethPriv peerPriv = peer.priv();
            out.rxPackets += peerPriv.txPackets;
            out.rxBytes += peerPriv.txBytes;
        }
    }

    private static void netifCarrierOn(NetDevice dev) {
        dev.setFlags(dev.flags() | NetDevice.IFF_LOWER_UP | NetDevice.IFF_RUNNING);
    }

    private static void netifCarrierOff(NetDevice dev) {
        dev.setFlags(dev.flags() & ~(NetDevice.IFF_LOWER_UP | NetDevice.IFF_RUNNING));
    }

    // ---- ethtool_ops -------------------------------------------------------------------------

    /** {@code veth_get_drvinfo}. */
    @Override
    public String driverName(NetDevice dev) {
        return DRV_NAME;
    }

    /**
     * {@code veth_get_ethtool_stats}: {@code peer_ifindex}, then per RX queue the XDP
     * counters and per TX queue the XDP transmit counters, in {@code veth_get_strings} order.
     * The model has no XDP, so those stay 0.
     */
    @Override
    public void getEthtoolStats(NetDevice dev, Map<String, Long> out) {
        NetDevice peer = ((VethPriv) dev.priv()).peer;
        out.put("peer_ifindex", peer == null ? 0L : peer.ifindex());
        for (int i = 0; i < dev.numRxQueues(); i++) {
            for (String desc : VETH_RQ_STATS_DESC) {
                out.put("rx_queue_" + i + "_" + desc, 0L);
            }
        }
        for (int i = 0; i < dev.realNumTxQueues(); i++) {
            for (String desc : VETH_TQ_STATS_DESC) {
                out.put("tx_queue_" + i + "_" + desc, 0L);
            }
        }
    }
}
