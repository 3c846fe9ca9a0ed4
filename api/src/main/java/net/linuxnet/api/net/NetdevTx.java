package net.linuxnet.api.net;

/** What {@link NetDeviceOps#ndoStartXmit} returns, as {@code enum netdev_tx}. */
public enum NetdevTx {
    /** The driver took the skb (sent it or freed it). */
    NETDEV_TX_OK,
    /**
     * The driver took the skb and dropped it, counting the drop itself ({@code NET_XMIT_DROP}
     * from {@code veth_xmit}); for the stack this is as complete as {@link #NETDEV_TX_OK}.
     */
    NET_XMIT_DROP,
    /** The driver could not take the skb now; the caller still owns it and requeues it. */
    NETDEV_TX_BUSY
}
