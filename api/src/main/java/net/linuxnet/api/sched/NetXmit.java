package net.linuxnet.api.sched;

/** Transmit return codes from {@code include/linux/netdevice.h}. */
public final class NetXmit {
    /** The packet was queued or sent. */
    public static final int NET_XMIT_SUCCESS = 0x00;
    /** The packet was dropped. */
    public static final int NET_XMIT_DROP = 0x01;
    /** Congestion notification: the packet was queued but the qdisc dropped something. */
    public static final int NET_XMIT_CN = 0x02;
    public static final int NET_XMIT_MASK = 0x0f;

    /** {@code -ENETDOWN}, returned when a noqueue device cannot take a packet. */
    public static final int ENETDOWN = -100;

    private NetXmit() {
    }

    /** {@code net_xmit_eval}: a congestion notification counts as success for the sender. */
    public static int netXmitEval(int e) {
        return e == NET_XMIT_CN ? 0 : e;
    }
}
