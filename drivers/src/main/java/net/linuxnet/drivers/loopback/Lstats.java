package net.linuxnet.drivers.loopback;

import net.linuxnet.api.kernel.CostStage;

/**
 * The loopback device's counters, as {@code dev->lstats} ({@code struct pcpu_lstats}) summed
 * over CPUs the way {@code dev_lstats_read} sums them: one packet and byte count serves as
 * both the transmit and the receive side.
 */
public final class Lstats {

    /** Packets looped back ({@code lstats.packets}). */
    long packets;
    /** Bytes looped back, counted after {@code eth_type_trans} pulled the MAC header. */
    long bytes;
    /** CPU cost of {@code loopback_xmit}. */
    CostStage xmitCost;

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }
}
