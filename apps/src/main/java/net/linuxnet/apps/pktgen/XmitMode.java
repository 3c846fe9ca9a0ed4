package net.linuxnet.apps.pktgen;

/**
 * How pktgen hands a packet to the device, as the {@code M_*} transmit modes of
 * {@code net/core/pktgen.c} ({@code xmit_mode} in {@code /proc/net/pktgen/<dev>}).
 */
public enum XmitMode {
    /**
     * {@code M_START_XMIT} ({@code xmit_mode start_xmit}, the default): straight to the
     * driver's {@code ndo_start_xmit}, bypassing the qdisc and the packet taps, unless the TX
     * queue is stopped.
     */
    M_START_XMIT,
    /** {@code M_QUEUE_XMIT} ({@code xmit_mode queue_xmit}): through {@code dev_queue_xmit}, so the qdisc and taps see it. */
    M_QUEUE_XMIT
}
