package net.linuxnet.api.net;

/**
 * A NAPI context, as {@code struct napi_struct}: a driver's (or the backlog's) poll function
 * and its weight. A hard IRQ handler calls {@code Kernel.napiSchedule}; the NET_RX softirq
 * then calls {@link Poll#poll} with at most {@link #weight()} packets of budget until the
 * poll returns less than the budget after calling {@code Kernel.napiCompleteDone}.
 */
public final class NapiStruct {

    /** The driver's poll function. */
    @FunctionalInterface
    public interface Poll {
        /**
         * Receives up to {@code budget} packets, in softirq context. A poll that finishes its
         * work calls {@code Kernel.napiCompleteDone(napi, done)} (and may re-enable its IRQ)
         * and returns fewer than {@code budget}; a poll that used its whole budget returns
         * {@code budget} without completing and is polled again.
         *
         * @return packets processed, at most {@code budget}
         */
        int poll(NapiStruct napi, int budget);
    }

    /** {@code NAPI_POLL_WEIGHT}. */
    public static final int NAPI_POLL_WEIGHT = 64;

    private final NetDevice dev;
    private final Poll poll;
    private final int weight;
    private final String name;
    /** {@code NAPI_STATE_SCHED}: on a CPU's poll list or being polled. Owned by the core. */
    public boolean scheduled;
    /** {@code NAPI_STATE_MISSED}: scheduled again while being polled. Owned by the core. */
    public boolean missed;
    /** Index of the CPU whose poll list holds it, -1 if none. Owned by the core. */
    public int cpu = -1;
    /** Poll-list link. Owned by the core. */
    public NapiStruct nextOnList;
    /** Counters for the report. */
    public long polls;
    public long packets;

    public NapiStruct(NetDevice dev, String name, Poll poll, int weight) {
        if (weight <= 0) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: > 0)");
        }
        this.dev = dev;
        this.name = name;
        this.poll = poll;
        this.weight = weight;
    }

    public NetDevice dev() {
        return dev;
    }

    public String name() {
        return name;
    }

    public Poll pollFn() {
        return poll;
    }

    public int weight() {
        return weight;
    }
}
