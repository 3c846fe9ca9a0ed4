package net.linuxnet.api.net;

/**
 * The operations a driver gives a device, as {@code struct net_device_ops} in
 * {@code include/linux/netdevice.h}. One instance serves every device of the driver; state
 * lives in the device's private object ({@link NetDevice#priv()}).
 */
public interface NetDeviceOps {

    /**
     * Called once when the device is registered ({@code ndo_init}). Optional.
     *
     * @return 0, or a negative errno that fails the registration
     */
    default int ndoInit(NetDevice dev) {
        return 0;
    }

    /**
     * Called when the device goes up ({@code ndo_open}, from {@code dev_open}). Optional.
     *
     * @return 0, or a negative errno (the device stays down)
     */
    default int ndoOpen(NetDevice dev) {
        return 0;
    }

    /** Called when the device goes down ({@code ndo_stop}). Optional. */
    default int ndoStop(NetDevice dev) {
        return 0;
    }

    /**
     * Transmits one packet ({@code ndo_start_xmit}). Required. Called in softirq or process
     * context with the TX queue {@code skb.queueMapping()} selected and not stopped.
     *
     * @return {@link NetdevTx#NETDEV_TX_OK} when the driver took the skb (it then owns it and
     *     frees it, on completion or on a drop it counts), or {@link NetdevTx#NETDEV_TX_BUSY}
     *     when it could not take it now, which a driver should avoid by stopping its queue
     *     in time; the caller then keeps the skb and requeues it
     */
    NetdevTx ndoStartXmit(SkBuff skb, NetDevice dev);

    /**
     * Picks the TX queue for a packet ({@code ndo_select_queue}). Optional: by default the
     * core hashes the flow over the real TX queues ({@code netdev_pick_tx}).
     *
     * @return a queue index, or -1 to let the core pick
     */
    default int ndoSelectQueue(NetDevice dev, SkBuff skb) {
        return -1;
    }

    /**
     * Fills the device counters ({@code ndo_get_stats64}). Optional: by default the core
     * copies {@link NetDevice#stats()}. The core adds its own drop counters afterwards, as
     * {@code dev_get_stats} does.
     */
    default void ndoGetStats64(NetDevice dev, RtnlLinkStats64 out) {
        out.copyFrom(dev.stats());
    }

    /**
     * Changes the MTU ({@code ndo_change_mtu}). Optional: by default the new MTU is stored.
     *
     * @return 0, or a negative errno
     */
    default int ndoChangeMtu(NetDevice dev, int newMtu) {
        dev.setMtu(newMtu);
        return 0;
    }
}
