package net.linuxnet.qdisc.fqcodel;

import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkBuff;

/**
 * CoDel, the controlled-delay AQM of RFC 8289, as {@code include/net/codel.h} and
 * {@code include/net/codel_impl.h} of Linux 6.18 write it, with the kernel's fixed-point time
 * and arithmetic so that the drop schedule matches the kernel's to the tick.
 *
 * <p>Time is {@code codel_time_t}: a 32-bit count of 1024 ns units ({@code CODEL_SHIFT} 10),
 * compared through signed differences so it may wrap. A packet is stamped with that time at
 * enqueue ({@code codel_set_enqueue_time}); at dequeue its sojourn time is
 * {@code now - enqueue_time} ({@code ldelay}).
 *
 * <p>The control law: once the sojourn time has stayed above {@code target} for a whole
 * {@code interval} (and the queue holds more than one MTU), CoDel enters the dropping state
 * and drops (or ECN-marks) a packet; while it stays above, the next drop comes after
 * {@code interval / sqrt(count)}, where {@code count} is the number of drops so far. The
 * reciprocal square root is kept in 16 bits ({@code rec_inv_sqrt}) and refined by one Newton
 * step per drop ({@code codel_Newton_step}) instead of being computed.
 */
public final class Codel {

    /** {@code CODEL_SHIFT}: codel time counts 1024 ns units. */
    public static final int CODEL_SHIFT = 10;
    /** {@code CODEL_DISABLED_THRESHOLD}: {@code ce_threshold} off. */
    public static final int CODEL_DISABLED_THRESHOLD = Integer.MAX_VALUE;
    /** {@code REC_INV_SQRT_BITS}: {@code rec_inv_sqrt} is a {@code u16}. */
    static final int REC_INV_SQRT_BITS = 16;
    /** {@code REC_INV_SQRT_SHIFT}. */
    static final int REC_INV_SQRT_SHIFT = 32 - REC_INV_SQRT_BITS;

    /** {@code INET_ECN_MASK}, {@code INET_ECN_CE}. */
    static final int INET_ECN_MASK = 3;
    static final int INET_ECN_CE = 3;

    private Codel() {
    }

    /** {@code codel_get_time}: the clock in codel units, truncated to 32 bits. */
    public static int codelGetTime(long nowNs) {
        return (int) (nowNs >>> CODEL_SHIFT);
    }

    /** {@code codel_time_to_us}. */
    public static long codelTimeToUs(int t) {
        return ((Integer.toUnsignedLong(t)) << CODEL_SHIFT) / 1000;
    }

    /** A time in nanoseconds as codel time, as {@code fq_codel_change} converts microseconds. */
    public static int nsToCodelTime(long ns) {
        return (int) (ns >>> CODEL_SHIFT);
    }

    /** {@code codel_time_after(a, b)}: {@code (s32)(a - b) > 0}. */
    static boolean codelTimeAfter(int a, int b) {
        return a - b > 0;
    }

    /** {@code codel_time_after_eq}. */
    static boolean codelTimeAfterEq(int a, int b) {
        return a - b >= 0;
    }

    /** {@code codel_time_before}. */
    static boolean codelTimeBefore(int a, int b) {
        return a - b < 0;
    }

    /**
     * {@code codel_Newton_step}: one Newton iteration of {@code 1/sqrt(count)} from the cached
     * value: {@code new = old * (3 - count * old^2) / 2}, in 32-bit fixed point.
     */
    static void codelNewtonStep(CodelVars vars) {
        long invsqrt = Integer.toUnsignedLong(vars.recInvSqrt << REC_INV_SQRT_SHIFT);
        long invsqrt2 = (invsqrt * invsqrt) >>> 32;
        long val = (3L << 32) - (Integer.toUnsignedLong(vars.count) * invsqrt2);
        val >>>= 2; // avoid overflow in the following multiply
        val = (val * invsqrt) >>> (32 - 2 + 1);
        vars.recInvSqrt = (int) (val >>> REC_INV_SQRT_SHIFT) & 0xffff;
    }

    /**
     * {@code codel_control_law}: {@code t + interval / sqrt(count)}, with
     * {@code reciprocal_scale(interval, rec_inv_sqrt << REC_INV_SQRT_SHIFT)}.
     */
    static int codelControlLaw(int t, int interval, int recInvSqrt) {
        long epRo = Integer.toUnsignedLong(recInvSqrt << REC_INV_SQRT_SHIFT);
        return t + (int) ((Integer.toUnsignedLong(interval) * epRo) >>> 32);
    }

    /**
     * {@code INET_ECN_set_ce} for IPv4 ({@code IP_ECN_set_ce}): marks an ECN-capable packet
     * Congestion Experienced and updates the header checksum incrementally (RFC 1624).
     *
     * @return true when the packet is now CE (it was ECT(0), ECT(1) or already CE), false for
     *     a packet that is not ECN-capable or not IPv4
     */
    static boolean inetEcnSetCe(SkBuff skb) {
        if (skb.protocol() != IfEther.ETH_P_IP) {
            return false;
        }
        int nh = skb.networkHeader();
        if (nh == SkBuff.NO_HEADER || nh < skb.data() || nh + 20 > skb.tail()) {
            return false; // skb_network_header(skb) + sizeof(struct iphdr) <= skb_tail_pointer(skb)
        }
        int tos = skb.getU8(nh + 1);
        int ecn = (tos + 1) & INET_ECN_MASK;
        if ((ecn & 2) == 0) {
            return ecn == 0; // not-ECT: 01 -> false; CE: 00 -> true
        }
        int oldWord = skb.getU16(nh);
        int newWord = (oldWord & 0xff00) | (tos | INET_ECN_CE);
        // HC' = ~(~HC + ~m + m')
        int sum = (~skb.getU16(nh + 10) & 0xffff) + (~oldWord & 0xffff) + newWord;
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        skb.putU8(nh + 1, tos | INET_ECN_CE);
        skb.putU16(nh + 10, ~sum & 0xffff);
        return true;
    }

    /** {@code struct codel_params}: the knobs, in codel time. */
    public static final class CodelParams {
        /** {@code target}: the acceptable standing sojourn time. */
        public int target;
        /** {@code ce_threshold}: mark CE above this sojourn time ({@link #CODEL_DISABLED_THRESHOLD}: off). */
        public int ceThreshold;
        /** {@code interval}: the width of the moving window in which the minimum is taken. */
        public int interval;
        /** {@code mtu}: no drop while the backlog is at most one MTU. */
        public int mtu;
        /** {@code ecn}: mark instead of drop. */
        public boolean ecn;

        /** {@code codel_params_init}: target 5 ms, interval 100 ms, no CE threshold, no ECN. */
        public void init() {
            interval = nsToCodelTime(100_000_000L);
            target = nsToCodelTime(5_000_000L);
            ceThreshold = CODEL_DISABLED_THRESHOLD;
            ecn = false;
        }
    }

    /** {@code struct codel_vars}: the per-queue state of the control law. */
    public static final class CodelVars {
        /** {@code count}: drops since entering the dropping state. */
        public int count;
        /** {@code lastcount}: {@code count} when the previous dropping state began. */
        public int lastcount;
        /** {@code dropping}. */
        public boolean dropping;
        /** {@code rec_inv_sqrt}: {@code 1/sqrt(count)} in 16 bits. */
        public int recInvSqrt;
        /** {@code first_above_time}: when the sojourn time may be declared persistently high. */
        public int firstAboveTime;
        /** {@code drop_next}: the time of the next drop. */
        public int dropNext;
        /** {@code ldelay}: sojourn time of the last dequeued packet. */
        public int ldelay;

        /** {@code codel_vars_init}. */
        public void init() {
            count = 0;
            lastcount = 0;
            dropping = false;
            recInvSqrt = 0;
            firstAboveTime = 0;
            dropNext = 0;
            ldelay = 0;
        }
    }

    /** {@code struct codel_stats}. */
    public static final class CodelStats {
        /** {@code maxpacket}: the largest packet seen. */
        public int maxpacket;
        /** {@code drop_count}, {@code drop_len}: drops not yet reported to the parents. */
        public int dropCount;
        public long dropLen;
        /** {@code ecn_mark}: packets marked instead of dropped. */
        public long ecnMark;
        /** {@code ce_mark}: packets marked above {@code ce_threshold}. */
        public long ceMark;

        /** {@code codel_stats_init}. */
        public void init() {
            maxpacket = 0;
        }
    }
}
