package net.linuxnet.api.net;

/**
 * Device counters with the names {@code ip -s link} prints, as
 * {@code struct rtnl_link_stats64} in {@code include/uapi/linux/if_link.h}. A plain struct:
 * drivers and the core bump the fields directly on the hot path.
 */
public final class RtnlLinkStats64 {
    public long rxPackets;
    public long txPackets;
    public long rxBytes;
    public long txBytes;
    public long rxErrors;
    public long txErrors;
    public long rxDropped;
    public long txDropped;
    public long multicast;
    public long collisions;
    public long rxLengthErrors;
    public long rxOverErrors;
    public long rxCrcErrors;
    public long rxFrameErrors;
    public long rxFifoErrors;
    public long rxMissedErrors;
    public long txAbortedErrors;
    public long txCarrierErrors;
    public long txFifoErrors;
    public long txHeartbeatErrors;
    public long txWindowErrors;
    public long rxNohandler;

    /** Copies every field of {@code o} into this one. */
    public void copyFrom(RtnlLinkStats64 o) {
        rxPackets = o.rxPackets;
        txPackets = o.txPackets;
        rxBytes = o.rxBytes;
        txBytes = o.txBytes;
        rxErrors = o.rxErrors;
        txErrors = o.txErrors;
        rxDropped = o.rxDropped;
        txDropped = o.txDropped;
        multicast = o.multicast;
        collisions = o.collisions;
        rxLengthErrors = o.rxLengthErrors;
        rxOverErrors = o.rxOverErrors;
        rxCrcErrors = o.rxCrcErrors;
        rxFrameErrors = o.rxFrameErrors;
        rxFifoErrors = o.rxFifoErrors;
        rxMissedErrors = o.rxMissedErrors;
        txAbortedErrors = o.txAbortedErrors;
        txCarrierErrors = o.txCarrierErrors;
        txFifoErrors = o.txFifoErrors;
        txHeartbeatErrors = o.txHeartbeatErrors;
        txWindowErrors = o.txWindowErrors;
        rxNohandler = o.rxNohandler;
    }
}
