package net.linuxnet.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The skb data area, clones and the pool's accounting. */
final class SkBuffTest {

    private final SkBuffPool pool = new SkBuffPool(true);

    private void free(SkBuff skb) {
        if (skb.unref()) {
            pool.release(skb);
        }
    }

    @Test
    void reservePutPushPullTrimMoveTheOffsetsAsTheKernelDoes() {
        SkBuff skb = pool.allocSkb(200);
        assertThat(skb.headroom()).isZero();
        skb.reserve(64);                                      // skb_reserve: headroom for headers
        assertThat(skb.data()).isEqualTo(64).isEqualTo(skb.tail());
        int payload = skb.put(100);                           // skb_put: payload at the tail
        assertThat(payload).isEqualTo(64);
        assertThat(skb.len()).isEqualTo(100);
        int udp = skb.push(8);                                // skb_push: a header in front
        assertThat(udp).isEqualTo(56);
        assertThat(skb.len()).isEqualTo(108);
        assertThat(skb.pull(8)).isEqualTo(64);                // skb_pull: header consumed
        assertThat(skb.pull(1000)).isEqualTo(-1);             // too short: NULL, nothing changed
        assertThat(skb.len()).isEqualTo(100);
        skb.trim(60);                                         // skb_trim
        assertThat(skb.len()).isEqualTo(60);
        assertThatThrownBy(() -> skb.push(65)).hasMessageContaining("skb_under_panic");
        assertThatThrownBy(() -> skb.put(skb.tailroom() + 1)).hasMessageContaining("skb_over_panic");
        free(skb);
        assertThat(pool.live()).isZero();
    }

    @Test
    void truesizeIsTheKmallocClassPlusTheHeader() {
        // 1500 bytes + shared info round up to the 2048 class, as __alloc_skb does
        SkBuff skb = pool.allocSkb(1500);
        assertThat(skb.truesize()).isEqualTo(2048 + SkBuffPool.SKB_HEAD_SIZE);
        assertThat(skb.tailroom()).isEqualTo(2048 - SkBuffPool.SKB_SHINFO_SIZE);
        free(skb);
    }

    @Test
    void aCloneSharesTheDataAndKeepsItsOwnOffsets() {
        SkBuff skb = pool.allocSkb(100);
        skb.putU8(skb.put(10), 0x42);
        SkBuff c = skb.clone();
        assertThat(skb.cloned()).isTrue();
        assertThat(c.head()).isSameAs(skb.head());
        c.pull(5);
        assertThat(c.len()).isEqualTo(5);
        assertThat(skb.len()).isEqualTo(10);
        free(skb);
        assertThat(c.cloned()).isFalse();
        assertThat(c.getU8(c.data() - 5)).isEqualTo(0x42);
        free(c);
        assertThat(pool.allocated()).isEqualTo(2);
        assertThat(pool.freed()).isEqualTo(2);
        assertThat(pool.live()).isZero();
    }

    @Test
    void referencesAreCountedAndTheLastOneFrees() {
        SkBuff skb = pool.allocSkb(64);
        skb.get();
        assertThat(skb.users()).isEqualTo(2);
        free(skb);
        assertThat(pool.live()).isEqualTo(1);
        free(skb);
        assertThat(pool.live()).isZero();
    }

    @Test
    void aDoubleFreeFailsLoudly() {
        SkBuff skb = pool.allocSkb(64);
        free(skb);
        assertThatThrownBy(() -> free(skb)).isInstanceOf(IllegalStateException.class).hasMessageContaining("double free");
        assertThat(pool.freed()).isEqualTo(1);
    }

    @Test
    void aUseAfterFreeFailsLoudlyInDebugMode() {
        SkBuff skb = pool.allocSkb(64);
        free(skb);
        assertThatThrownBy(skb::len).isInstanceOf(AssertionError.class).hasMessageContaining("freed skb");
        SkBuff next = pool.allocSkb(64);
        assertThat(next).isNotSameAs(skb);   // a poisoned header is never handed out again
        free(next);
    }

    @Test
    void aSteadyFlowReusesHeadersAndData() {
        SkBuffPool recycling = new SkBuffPool(false);
        SkBuff first = recycling.allocSkb(100);
        byte[] data = first.head();
        if (first.unref()) {
            recycling.release(first);
        }
        SkBuff second = recycling.allocSkb(100);
        assertThat(second).isSameAs(first);
        assertThat(second.head()).isSameAs(data);
        assertThat(second.users()).isEqualTo(1);
        assertThat(second.len()).isZero();
    }

    @Test
    void queueAfterInsertsInTheMiddleAndAtTheTailAndPrevWalksBack() {
        SkBuffHead q = new SkBuffHead();
        SkBuff a = pool.allocSkb(10);
        SkBuff b = pool.allocSkb(10);
        SkBuff c = pool.allocSkb(10);
        q.queueTail(a);
        q.queueAfter(a, c);                                    // a c: c is the new tail
        q.queueAfter(a, b);                                    // a b c
        assertThat(q.qlen()).isEqualTo(3);
        assertThat(q.peek()).isSameAs(a);
        assertThat(q.next(a)).isSameAs(b);
        assertThat(q.next(b)).isSameAs(c);
        assertThat(q.peekTail()).isSameAs(c);
        assertThat(q.prev(c)).isSameAs(b);
        assertThat(q.prev(a)).isNull();
        assertThatThrownBy(() -> q.queueAfter(a, b)).hasMessageContaining("already on a list");
        for (SkBuff s : new SkBuff[] {q.dequeue(), q.dequeue(), q.dequeue()}) {
            free(s);
        }
        assertThat(q.isEmpty()).isTrue();
        assertThat(pool.live()).isZero();
    }
}
