package net.linuxnet.drivers.veth;

import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.NapiStruct;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.NetDevice;

/**
 * The private state of one veth device, as {@code struct veth_priv} in
 * {@code drivers/net/veth.c}, together with the software counters the kernel keeps in
 * {@code dev->tstats} ({@code struct pcpu_sw_netstats}, summed over CPUs here since the model
 * runs one thread).
 *
 * <p>Only the transmit side is counted: {@code veth_get_stats64} reports this device's
 * receive counters as its peer's transmit counters, so a packet moved across the pair is
 * counted once and both ends agree.
 */
public final class VethPriv {

    /** {@code priv->peer}: the other end, or null while the device is unpaired. */
    NetDevice peer;
    /** {@code priv->dropped}: packets this end failed to hand to its peer (its {@code tx_dropped}). */
    long dropped;
    /** {@code dev->tstats->tx_packets}, bumped by {@code dev_sw_netstats_tx_add}. */
    long txPackets;
    /** {@code dev->tstats->tx_bytes}. */
    long txBytes;
    /** CPU cost of {@code veth_xmit}, looked up once in {@code newLink}. */
    CostStage xmitCost;

    /**
     * {@code rq->xdp_ring}: with GRO on ({@code gro = true}, {@code veth_napi_enable}) the
     * peer's frames wait here for this device's NAPI poll instead of going to the backlog.
     * Null while NAPI is off. One ring per device (the model's veth has one RX queue's worth).
     */
    SkBuff[] xdpRing;
    int ringHead;
    int ringCount;
    /** {@code rq->xdp_napi}. */
    NapiStruct xdpNapi;
    /** {@code rq->rx_notify_masked}: the poll is scheduled or running. */
    boolean rxNotifyMasked;
    /** Polls again when the head frame, sent by a CPU that ran ahead, is due. */
    TimerList ringDue;
    /** Times the peer found the ring full and stopped its queue. */
    long ringFull;

    /** The other end of the pair, or null if nothing paired this device. */
    public NetDevice peer() {
        return peer;
    }

    /** Packets dropped on transmit ({@code priv->dropped}). */
    public long dropped() {
        return dropped;
    }

    /** Packets handed to the peer ({@code tstats.tx_packets}). */
    public long txPackets() {
        return txPackets;
    }

    /** Whether this device takes its peer's frames through a NAPI ring ({@code gro = true}). */
    public boolean napiEnabled() {
        return xdpRing != null;
    }

    /** Frames waiting in the NAPI ring. */
    public int ringCount() {
        return ringCount;
    }

    /** Times the peer found the ring full ({@code NETDEV_TX_BUSY}, queue stopped). */
    public long ringFull() {
        return ringFull;
    }

    /** Bytes handed to the peer, Ethernet header included ({@code tstats.tx_bytes}). */
    public long txBytes() {
        return txBytes;
    }
}
