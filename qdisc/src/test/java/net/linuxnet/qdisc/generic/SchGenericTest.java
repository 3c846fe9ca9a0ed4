package net.linuxnet.qdisc.generic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.qdisc.QdiscTesting;
import org.junit.jupiter.api.Test;

final class SchGenericTest {

    private static SkBuff skb(QdiscTesting t, int len, int priority) {
        SkBuff skb = t.host.allocSkb(len);
        skb.put(len);
        skb.setDev(t.dev);
        skb.setPriority(priority);
        return skb;
    }

    @Test
    void isTheDefaultQdiscBypassableAndDumpsItsPriomap() {
        QdiscTesting t = QdiscTesting.withDefault();
        Qdisc<?> q = t.dev.qdisc();
        assertThat(q.ops().id()).isEqualTo("pfifo_fast");
        assertThat(q.flags() & Qdisc.TCQ_F_CAN_BYPASS).isNotZero();
        assertThat(q.dump()).isEqualTo("bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1");
        t.runUntil(0);
        t.xmit(100);
        assertThat(t.txPackets()).isEqualTo(1);
        assertThat(q.packets).isEqualTo(1); // bypass counts it as sent
        t.finish();
    }

    @Test
    void bandZeroGoesFirstThenOneThenTwo() {
        QdiscTesting t = QdiscTesting.withDefault();
        @SuppressWarnings("unchecked")
        Qdisc<SchGeneric.PfifoFastPriv> q = (Qdisc<SchGeneric.PfifoFastPriv>) t.dev.qdisc();
        // priorities: 0 best effort (band 1), 2 bulk (band 2), 6 interactive (band 0), 4 interactive bulk (band 1)
        int[] prios = {0, 2, 6, 4, 2, 6};
        for (int p : prios) {
            assertThat(q.enqueue(skb(t, 100 + p, p))).isEqualTo(NetXmit.NET_XMIT_SUCCESS);
        }
        assertThat(q.qlen).isEqualTo(6);
        assertThat(q.priv().bandQlen(0)).isEqualTo(2);
        assertThat(q.peek().priority()).isEqualTo(6);
        List<Integer> order = new ArrayList<>();
        SkBuff skb;
        while ((skb = q.dequeue()) != null) {
            order.add(skb.priority());
            t.host.consumeSkb(skb);
        }
        assertThat(order).containsExactly(6, 6, 0, 4, 2, 2);
        assertThat(q.qlen).isZero();
        assertThat(q.backlog).isZero();
        assertThat(q.packets).isEqualTo(6);
        t.finish();
    }

    @Test
    void eachBandHoldsTxqueuelenPackets() {
        QdiscTesting t = QdiscTesting.withDefault();
        Qdisc<?> q = t.dev.qdisc();
        for (int i = 0; i < 1000; i++) {
            assertThat(q.enqueue(skb(t, 60, 0))).isEqualTo(NetXmit.NET_XMIT_SUCCESS);
        }
        assertThat(q.enqueue(skb(t, 60, 0))).isEqualTo(NetXmit.NET_XMIT_DROP);
        assertThat(q.enqueue(skb(t, 60, 6))).isEqualTo(NetXmit.NET_XMIT_SUCCESS); // band 0 has room
        assertThat(q.drops).isEqualTo(1);
        assertThat(q.qlen).isEqualTo(1001);
        assertThat(t.host.drops(SkbDropReason.QDISC_DROP)).isEqualTo(1);
        t.finish();
        assertThat(t.host.drops(SkbDropReason.QUEUE_PURGE)).isEqualTo(1001);
    }

    @Test
    void prio2bandFollowsTheKernelTable() {
        int[] expected = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
        for (int p = 0; p < 16; p++) {
            assertThat(SchGeneric.prio2band(p)).as("priority " + p).isEqualTo(expected[p]);
            assertThat(SchGeneric.prio2band(p + 16)).isEqualTo(expected[p]); // & TC_PRIO_MAX
        }
    }
}
