package net.linuxnet.api.kernel;

/**
 * A step of packet processing whose CPU time the model charges: a fixed cost per packet and
 * a cost per byte, both in nanoseconds, from the {@code costs} section of the configuration.
 *
 * @param name the key in {@code costs}, such as {@code netif_receive_skb}
 * @param perPacketNs nanoseconds per packet
 * @param perBytePs picoseconds per byte (so copying costs can be below a nanosecond per byte)
 */
public record CostStage(String name, long perPacketNs, long perBytePs) {

    public CostStage {
        if (perPacketNs < 0 || perBytePs < 0) {
            throw new IllegalArgumentException("cost of " + name + " must not be negative");
        }
    }

    /** Nanoseconds for one packet of {@code bytes}. */
    public long costNs(int bytes) {
        return perPacketNs + (perBytePs * bytes) / 1000;
    }
}
