package net.linuxnet.benchmarks;

import java.util.concurrent.TimeUnit;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The life of one skb in a host's {@link SkBuffPool}, as a driver's receive path lives it:
 * {@code netdev_alloc_skb} of a frame of {@code size} bytes (the pool rounds it to a kmalloc
 * size class), {@code skb_reserve} of {@code NET_SKB_PAD}, {@code skb_put} of the frame, then
 * {@code consume_skb} (last reference dropped, header and data back to the pool). One
 * operation is one alloc-reserve-put-free; a warm pool recycles both, so nothing should be
 * allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SkBuffPoolBenchmark {

    /** Frame length in bytes: a minimal frame and a full Ethernet frame. */
    @Param({"64", "1514"})
    public int size;

    private SkBuffPool pool;

    @Setup
    public void setUp() {
        pool = new SkBuffPool(false);
    }

    /** Allocates, reserves, puts and frees one skb; returns the offset of the put bytes. */
    @Benchmark
    public int allocReservePutFree() {
        SkBuff skb = pool.allocSkb(size + IfEther.NET_SKB_PAD);
        skb.reserve(IfEther.NET_SKB_PAD);
        int at = skb.put(size);
        if (skb.unref()) {
            pool.release(skb);
        }
        return at;
    }
}
