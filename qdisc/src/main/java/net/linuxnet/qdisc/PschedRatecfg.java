package net.linuxnet.qdisc;

/**
 * A rate prepared for fast length-to-time conversion, as {@code struct psched_ratecfg} of
 * {@code include/net/sch_generic.h}: the time to send {@code len} bytes is
 * {@code (len * mult) >> shift} nanoseconds, with {@code mult} and {@code shift} chosen once
 * by {@code psched_ratecfg_precompute} (net/sched/sch_generic.c) so that {@code mult} keeps 31
 * significant bits of {@code NSEC_PER_SEC / rate}. No division on the packet path.
 *
 * <p>{@code overhead} and {@code mpu} are those of {@code tc_ratespec}; the model has no
 * ATM link layer, so the cell arithmetic of {@code TC_LINKLAYER_ATM} is not done.
 */
public final class PschedRatecfg {
    private static final long NSEC_PER_SEC = 1_000_000_000L;

    /** {@code rate_bytes_ps}; 0 for a rate that is not configured (no peak rate). */
    private long rateBytesPs;
    /** {@code mult}: a {@code u32}. */
    private long mult;
    /** {@code shift}. */
    private int shift;
    private int overhead;
    private int mpu;

    /** {@code psched_ratecfg_precompute} with no overhead and no mpu (tc's defaults). */
    public static PschedRatecfg precompute(long rateBytesPs) {
        PschedRatecfg r = new PschedRatecfg();
        r.rateBytesPs = rateBytesPs;
        r.mult = 1;
        r.shift = 0;
        if (rateBytesPs > 0) {
            // psched_ratecfg_precompute__: grow factor until mult has bit 31 set or factor bit 63
            long factor = NSEC_PER_SEC;
            for (;;) {
                r.mult = Long.divideUnsigned(factor, rateBytesPs) & 0xffffffffL;
                if ((r.mult & (1L << 31)) != 0 || (factor & (1L << 63)) != 0) {
                    break;
                }
                factor <<= 1;
                r.shift++;
            }
        }
        return r;
    }

    /** The rate in bytes per second ({@code rate_bytes_ps}), 0 when unset. */
    public long rateBytesPs() {
        return rateBytesPs;
    }

    public long mult() {
        return mult;
    }

    public int shift() {
        return shift;
    }

    /** {@code psched_l2t_ns}: nanoseconds to send {@code len} bytes at this rate. */
    public long l2tNs(int len) {
        len += overhead;
        if (len < mpu) {
            len = mpu;
        }
        // a u64 product: len < 2^32 and mult < 2^32, so it may use all 64 bits
        return (len & 0xffffffffL) * mult >>> shift;
    }
}
