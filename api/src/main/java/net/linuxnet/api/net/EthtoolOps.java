package net.linuxnet.api.net;

import java.util.Map;

/**
 * What {@code ethtool} asks a driver, as {@code struct ethtool_ops}. Every method is optional.
 */
public interface EthtoolOps {

    /** The driver name {@code ethtool -i} prints ({@code get_drvinfo}). */
    String driverName(NetDevice dev);

    /**
     * Adds the driver's own counters as {@code ethtool -S} prints them, in a stable order
     * ({@code get_ethtool_stats}). Optional.
     */
    default void getEthtoolStats(NetDevice dev, Map<String, Long> out) {
    }

    /**
     * Per-queue counters for the report's {@code queues} rows: one map per queue with keys
     * such as {@code rx_packets}, {@code tx_packets}. Optional: none by default.
     */
    default void getQueueStats(NetDevice dev, int queue, Map<String, Long> out) {
    }
}
