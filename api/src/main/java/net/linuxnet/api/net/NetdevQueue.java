package net.linuxnet.api.net;

import net.linuxnet.api.sched.Qdisc;

/**
 * One transmit queue of a device, as {@code struct netdev_queue}: the qdisc attached to it
 * and the flow-control state a driver sets when its ring fills.
 */
public final class NetdevQueue {
    private final NetDevice dev;
    private final int index;
    private Qdisc<?> qdisc;
    private boolean drvXoff;
    private long transStart;
    /** Per-queue counters a driver may keep ({@code tx_packets}, {@code tx_bytes}). */
    public long txPackets;
    public long txBytes;

    public NetdevQueue(NetDevice dev, int index) {
        this.dev = dev;
        this.index = index;
    }

    public NetDevice dev() {
        return dev;
    }

    public int index() {
        return index;
    }

    /** The qdisc attached to this queue ({@code txq->qdisc}); noqueue devices have none. */
    public Qdisc<?> qdisc() {
        return qdisc;
    }

    public void setQdisc(Qdisc<?> qdisc) {
        this.qdisc = qdisc;
    }

    /**
     * Stops the queue ({@code netif_tx_stop_queue}): the stack sends nothing more to the
     * driver on it until {@link #wakeQueue()}. Called by a driver whose ring is full.
     */
    public void stopQueue() {
        drvXoff = true;
    }

    /**
     * Restarts a stopped queue and reschedules its qdisc ({@code netif_tx_wake_queue}),
     * typically from TX completion.
     */
    public void wakeQueue() {
        if (drvXoff) {
            drvXoff = false;
            dev.kernel().netifScheduleQueue(this);
        }
    }

    /** Clears the stop bit without rescheduling ({@code netif_tx_start_queue}). */
    public void startQueue() {
        drvXoff = false;
    }

    /** {@code netif_xmit_stopped}. */
    public boolean stopped() {
        return drvXoff;
    }

    public long transStart() {
        return transStart;
    }

    public void setTransStart(long ns) {
        transStart = ns;
    }
}
