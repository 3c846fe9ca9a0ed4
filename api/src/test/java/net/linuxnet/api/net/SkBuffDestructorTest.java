package net.linuxnet.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code skb->destructor}: runs once, when the last reference goes, or at {@code skb_orphan}. */
final class SkBuffDestructorTest {

    @Test
    void runsOnceWhenTheLastReferenceGoes() {
        SkBuffPool pool = new SkBuffPool(true);
        int[] calls = {0};
        SkBuff skb = pool.allocSkb(100);
        Object owner = new Object();
        skb.setSk(owner);
        skb.setDestructor(s -> {
            assertThat(s.sk()).isSameAs(owner);
            calls[0]++;
        });
        SkBuff clone = skb.clone();
        assertThat(clone.destructor()).isNull();
        assertThat(clone.sk()).isNull();
        skb.get();
        assertThat(skb.unref()).isFalse();
        assertThat(calls[0]).isZero();
        assertThat(skb.unref()).isTrue();
        pool.release(skb);
        assertThat(calls[0]).isEqualTo(1);
        assertThat(clone.unref()).isTrue();
        pool.release(clone);
        assertThat(calls[0]).isEqualTo(1);
        assertThat(pool.live()).isZero();
    }

    @Test
    void orphanRunsItNowAndForgetsTheOwner() {
        SkBuffPool pool = new SkBuffPool(false);
        int[] calls = {0};
        SkBuff skb = pool.allocSkb(100);
        skb.setSk("sk");
        skb.setDestructor(s -> calls[0]++);
        skb.orphan();
        assertThat(calls[0]).isEqualTo(1);
        assertThat(skb.sk()).isNull();
        assertThat(skb.destructor()).isNull();
        assertThat(skb.unref()).isTrue();
        pool.release(skb);
        assertThat(calls[0]).isEqualTo(1);
        SkBuff again = pool.allocSkb(100);
        assertThat(again.destructor()).isNull();
        again.unref();
        pool.release(again);
    }
}
