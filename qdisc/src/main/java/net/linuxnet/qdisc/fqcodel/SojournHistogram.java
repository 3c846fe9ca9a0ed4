package net.linuxnet.qdisc.fqcodel;

/**
 * How long sent packets waited in the qdisc, in power-of-two nanosecond buckets (bucket
 * {@code b} holds times in {@code [2^(b-1), 2^b)}), with the count and the maximum. The
 * kernel keeps no such thing; the model keeps it so a report can show the queueing delay a
 * qdisc gave. Recording allocates nothing.
 */
final class SojournHistogram {
    private final long[] buckets = new long[64];
    private long count;
    private long maxNs;

    /** Records one packet's sojourn time. */
    void record(long ns) {
        long t = Math.max(ns, 0);
        buckets[64 - Long.numberOfLeadingZeros(t)]++;
        count++;
        maxNs = Math.max(maxNs, t);
    }

    long count() {
        return count;
    }

    long maxNs() {
        return maxNs;
    }

    /**
     * The {@code p}-th percentile (nearest rank), as the upper bound of its bucket (so within
     * a factor of two above the truth) and never above the maximum; 0 when empty.
     */
    long percentileNs(int p) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (count * p + 99) / 100);
        long seen = 0;
        for (int b = 0; b < buckets.length; b++) {
            seen += buckets[b];
            if (seen >= rank) {
                return b == 0 ? 0 : Math.min(maxNs, (1L << b) - 1);
            }
        }
        return maxNs;
    }
}
