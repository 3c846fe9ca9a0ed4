package net.linuxnet.example.dummy;

import net.linuxnet.api.kernel.CostStage;

/**
 * The private state of one dummy device: its transmit counters, as {@code dev->dstats}
 * ({@code struct pcpu_dstats}) summed over CPUs, and its cost stage.
 */
public final class DummyPriv {

    /** {@code dstats.tx_packets}. */
    long txPackets;
    /** {@code dstats.tx_bytes}. */
    long txBytes;
    /** CPU cost of {@code dummy_xmit}, looked up once in {@code newLink}. */
    CostStage xmitCost;

    public long txPackets() {
        return txPackets;
    }

    public long txBytes() {
        return txBytes;
    }
}
