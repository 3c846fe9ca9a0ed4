package net.linuxnet.api.net;

/** Receive-path return codes from {@code include/linux/netdevice.h}. */
public final class NetRx {
    /** Keep going. */
    public static final int NET_RX_SUCCESS = 0;
    /** The packet was dropped. */
    public static final int NET_RX_DROP = 1;

    private NetRx() {
    }
}
