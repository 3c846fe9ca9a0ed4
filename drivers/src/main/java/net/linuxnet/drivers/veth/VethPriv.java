package net.linuxnet.drivers.veth;

import net.linuxnet.api.kernel.CostStage;
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

    /** Bytes handed to the peer, Ethernet header included ({@code tstats.tx_bytes}). */
    public long txBytes() {
        return txBytes;
    }
}
