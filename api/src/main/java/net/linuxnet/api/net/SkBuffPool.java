package net.linuxnet.api.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Where skbs come from and go back to: one pool per host, as the kernel's
 * {@code skbuff_head_cache} plus the kmalloc caches behind the data.
 *
 * <p>{@link #allocSkb(int)} follows {@code __alloc_skb}: the requested size is aligned to the
 * cache line, the shared info is added, the total is rounded up to the kmalloc size class
 * that would hold it, and everything in that class but the shared info becomes tailroom. So
 * {@code truesize} is what the kernel would charge: the size class plus the aligned header
 * ({@code SKB_TRUESIZE}). Headers and data blocks are recycled per size class, so a steady
 * flow allocates nothing.
 *
 * <p>The pool counts every header it hands out and takes back, which is how a run proves
 * that every skb was freed exactly once. In debug mode a freed header is poisoned and never
 * handed out again, so a later use fails an assertion rather than reading another packet.
 * The pool is used from one thread only.
 */
public final class SkBuffPool {

    /** {@code SMP_CACHE_BYTES} on x86_64. */
    public static final int SMP_CACHE_BYTES = 64;
    /** {@code SKB_DATA_ALIGN(sizeof(struct skb_shared_info))} on x86_64. */
    public static final int SKB_SHINFO_SIZE = 320;
    /** {@code SKB_DATA_ALIGN(sizeof(struct sk_buff))} on x86_64. */
    public static final int SKB_HEAD_SIZE = 256;

    /** kmalloc size classes up to 8 KiB, then page orders, as the slab allocator rounds. */
    private static final int[] CLASSES = {
        512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144
    };

    private final boolean debug;
    private final SkbData[][] freeData = new SkbData[CLASSES.length][];
    private final int[] freeDataCount = new int[CLASSES.length];
    private SkBuff[] freeHeaders = new SkBuff[64];
    private int freeHeaderCount;
    private long allocated;
    private long freed;

    /**
     * @param debug poison freed headers instead of reusing them (tests turn this on)
     */
    public SkBuffPool(boolean debug) {
        this.debug = debug;
        for (int i = 0; i < CLASSES.length; i++) {
            freeData[i] = new SkbData[16];
        }
        List<SkBuffPool> tracker = TRACKED.get();
        if (tracker != null) {
            tracker.add(this);
        }
    }

    private static final ThreadLocal<List<SkBuffPool>> TRACKED = new ThreadLocal<>();

    /**
     * Starts recording the pools this thread creates, for a leak check at the end of a test
     * (like Netty's leak detector in its tests). Creating a pool is rare, so this costs
     * nothing per packet.
     *
     * @return the list the pools created from now on are added to
     */
    public static List<SkBuffPool> trackCreatedPools() {
        List<SkBuffPool> pools = new ArrayList<>();
        TRACKED.set(pools);
        return pools;
    }

    /** Stops recording the pools this thread creates. */
    public static void stopTracking() {
        TRACKED.remove();
    }

    /** {@code SKB_DATA_ALIGN}. */
    public static int skbDataAlign(int x) {
        return (x + SMP_CACHE_BYTES - 1) & -SMP_CACHE_BYTES;
    }

    /** The largest {@code size} {@link #allocSkb} accepts. */
    public static int maxAllocSize() {
        return CLASSES[CLASSES.length - 1] - SKB_SHINFO_SIZE;
    }

    /**
     * Allocates an skb with at least {@code size} bytes of tailroom and no headroom
     * ({@code alloc_skb}); {@code users} is 1.
     *
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #maxAllocSize()}
     */
    public SkBuff allocSkb(int size) {
        if (size < 0 || size > maxAllocSize()) {
            throw new IllegalArgumentException("size: " + size + " (expected: 0.." + maxAllocSize() + ")");
        }
        int need = skbDataAlign(size) + SKB_SHINFO_SIZE;
        int c = 0;
        while (CLASSES[c] < need) {
            c++;
        }
        SkbData d;
        if (freeDataCount[c] > 0) {
            d = freeData[c][--freeDataCount[c]];
            freeData[c][freeDataCount[c]] = null;
        } else {
            d = new SkbData(c, CLASSES[c] - SKB_SHINFO_SIZE);
        }
        d.dataref = 1;
        SkBuff skb = allocHeader();
        skb.shinfo = d;
        skb.head = d.buf;
        skb.data = 0;
        skb.tail = 0;
        skb.end = d.buf.length;
        skb.setTruesize(CLASSES[c] + SKB_HEAD_SIZE);
        return skb;
    }

    SkBuff allocHeader() {
        SkBuff skb;
        if (freeHeaderCount > 0) {
            skb = freeHeaders[--freeHeaderCount];
            freeHeaders[freeHeaderCount] = null;
        } else {
            skb = new SkBuff(this);
        }
        skb.freed = false;
        skb.users = 1;
        skb.resetMetadata();
        allocated++;
        return skb;
    }

    /**
     * Takes back an skb whose last reference was dropped with {@link SkBuff#unref()}
     * ({@code skb_release_head_state}, which runs the destructor, then {@code kfree_skbmem}
     * and {@code skb_release_data}).
     *
     * @throws IllegalStateException if the skb still has users, is on a list, or was freed
     */
    public void release(SkBuff skb) {
        if (skb.pool != this) {
            throw new IllegalStateException("skb released to a pool it does not belong to");
        }
        if (skb.freed || skb.users != 0) {
            throw new IllegalStateException("release of skb with users=" + skb.users + " freed=" + skb.freed);
        }
        if (skb.list != null) {
            throw new IllegalStateException("release of skb still on a list");
        }
        SkBuff.Destructor destructor = skb.destructor();
        if (destructor != null) {
            skb.setDestructor(null);
            destructor.destruct(skb);
        }
        SkbData d = skb.shinfo;
        if (--d.dataref == 0) {
            int c = d.sizeClass;
            if (freeDataCount[c] == freeData[c].length) {
                freeData[c] = java.util.Arrays.copyOf(freeData[c], freeData[c].length * 2);
            }
            freeData[c][freeDataCount[c]++] = d;
        }
        skb.shinfo = null;
        skb.head = null;
        skb.freed = true;
        skb.setDev(null);
        skb.setSk(null);
        freed++;
        if (!debug) {
            if (freeHeaderCount == freeHeaders.length) {
                freeHeaders = java.util.Arrays.copyOf(freeHeaders, freeHeaders.length * 2);
            }
            freeHeaders[freeHeaderCount++] = skb;
        }
    }

    /** Headers handed out, clones included. */
    public long allocated() {
        return allocated;
    }

    /** Headers taken back. */
    public long freed() {
        return freed;
    }

    /** Headers still out: {@code allocated - freed}. */
    public long live() {
        return allocated - freed;
    }

    public boolean debug() {
        return debug;
    }
}
