package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.core.config.OptionsView;
import net.linuxnet.core.dev.QdiscGraft;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.report.Report;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** The qdisc tree on real devices, poked directly: grafting, the report rows, ifb's door. */
final class TcTreeTest {

    private static final String WORLD = """
            linuxnet {
              run { duration = 1ms }
              hosts { a {
                sysctl { "net.core.default_qdisc" = pfifo }
                devices { eth0 { driver = veth, peer = "a.eth1", queues = 4 }, eth1 { driver = veth }, ifb0 { driver = ifb } }
                qdiscs { eth0 { root { kind = mq, handle = "1:" }, "1:3" { kind = pfifo, limit = 2 } }, eth1.ingress { } }
              } }
            }
            """;

    private static Options empty(String path) {
        return new OptionsView(com.typesafe.config.ConfigFactory.empty().root(), path);
    }

    @SuppressWarnings("unchecked")
    private static <P> Qdisc<P> pfifo(NetDevice dev, int handle) {
        QdiscOps<P> ops = (QdiscOps<P>) TestWorlds.plugins().qdisc("pfifo");
        Qdisc<P> q = new Qdisc<>(ops, dev, dev.txQueue(0), handle, Qdisc.TC_H_ROOT);
        q.init(empty("test"));
        return q;
    }

    private static SkBuff frame(Host h, NetDevice dev) {
        SkBuff skb = h.allocSkb(128);
        skb.reserve(64);
        skb.put(60);
        skb.setDev(dev);
        skb.setProtocol(IfEther.ETH_P_IP);
        return skb;
    }

    @Test
    void mqTreeShowsAsTcDoesAndTheClassGetsItsOwnKind() {
        World w = TestWorlds.build(WORLD);
        Host a = w.host("a");
        NetDevice eth0 = a.devGetByName("eth0");
        Qdisc<?> root = eth0.qdisc();
        assertThat(root.ops().id()).isEqualTo("mq");
        assertThat(root.children()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            Qdisc<?> c = root.children()[i];
            assertThat(eth0.txQueue(i).qdisc()).isSameAs(c);
            assertThat(c.devQueue()).isSameAs(eth0.txQueue(i));
            assertThat(Qdisc.classid(c.parent())).isEqualTo("1:" + (i + 1));
            assertThat(c.flags() & (Qdisc.TCQ_F_ONETXQUEUE | Qdisc.TCQ_F_NOPARENT)).isEqualTo(Qdisc.TCQ_F_ONETXQUEUE | Qdisc.TCQ_F_NOPARENT);
        }
        assertThat(root.children()[2].limit()).isEqualTo(2);
        // an ifb is not IFF_NO_QUEUE: it gets the default qdisc; a veth keeps noqueue
        assertThat(a.devGetByName("ifb0").qdisc().ops().id()).isEqualTo("pfifo");
        assertThat(a.devGetByName("eth1").qdisc()).isNull();
        assertThat(a.devGetByName("eth1").ingressQdisc().handle()).isEqualTo(0xFFFF0000);

        String text = Report.text(w);
        assertThat(text).contains("qdisc mq 1: dev eth0 root")
                .contains("qdisc pfifo 0: dev eth0 parent 1:3 limit 2p")
                .contains("qdisc noqueue 0: dev eth1 root")
                .contains("qdisc ingress ffff: dev eth1 parent ffff:fff1 ----------------")
                .contains("qdisc pfifo 0: dev ifb0 root limit 32p");
    }

    @Test
    void graftingFreesWhatTheOldTreeHeldOnce() {
        World w = TestWorlds.build(WORLD);
        Host a = w.host("a");
        NetDevice eth0 = a.devGetByName("eth0");
        Qdisc<?> child = eth0.qdisc().children()[2];
        assertThat(child.enqueue(frame(a, eth0))).isZero();
        assertThat(child.enqueue(frame(a, eth0))).isZero();
        assertThat(child.enqueue(frame(a, eth0))).isEqualTo(1);   // limit 2: NET_XMIT_DROP
        Qdisc<?> other = eth0.qdisc().children()[0];
        other.enqueue(frame(a, eth0));

        Qdisc<Object> neu = pfifo(eth0, 0x20000);
        long freed = QdiscGraft.graftRoot(eth0, neu);

        assertThat(freed).isEqualTo(3);
        assertThat(a.drops(SkbDropReason.QUEUE_PURGE)).isEqualTo(3);
        assertThat(a.drops(SkbDropReason.QDISC_DROP)).isEqualTo(1);
        assertThat(eth0.qdisc()).isSameAs(neu);
        for (int i = 0; i < 4; i++) {
            assertThat(eth0.txQueue(i).qdisc()).isSameAs(neu);
        }
        assertThat(a.pool().live()).isZero();
    }

    @Test
    void ifbRefusesWhatWasNotRedirected() {
        World w = TestWorlds.build(WORLD);
        Host a = w.host("a");
        NetDevice ifb = a.devGetByName("ifb0");
        SkBuff skb = frame(a, ifb);
        assertThat(ifb.ops().ndoStartXmit(skb, ifb)).isEqualTo(NetdevTx.NETDEV_TX_OK);
        RtnlLinkStats64 s = ifb.getStats(new RtnlLinkStats64());
        assertThat(s.rxDropped).isEqualTo(1);
        assertThat(s.txPackets).isZero();
        assertThat(a.pool().live()).isZero();
    }

    @Test
    void aStoppedTxQueueHoldsItsOwnChildWhileTheOthersSend() {
        World w = TestWorlds.build(WORLD);
        Host a = w.host("a");
        NetDevice eth0 = a.devGetByName("eth0");
        Qdisc<?>[] children = eth0.qdisc().children();
        eth0.txQueue(1).stopQueue();

        SkBuff toQueue1 = frame(a, eth0);
        toQueue1.setHash(0x50000000, true);   // reciprocal_scale(0x50000000, 4) = 1
        SkBuff toQueue0 = frame(a, eth0);
        toQueue0.setHash(0x10000000, true);   // queue 0
        a.devQueueXmit(toQueue1);
        a.devQueueXmit(toQueue0);

        assertThat(children[1].qlen).isEqualTo(1);
        assertThat(children[1].requeues).isEqualTo(1);   // bypass tried the stopped queue: dev_requeue_skb
        assertThat(children[0].packets).isEqualTo(1);
        assertThat(eth0.getStats(new RtnlLinkStats64()).txPackets).isEqualTo(1);

        eth0.txQueue(1).wakeQueue();                      // netif_tx_wake_queue reschedules child 1
        w.run(null);
        assertThat(children[1].qlen).isZero();
        assertThat(children[1].packets).isEqualTo(1);
        assertThat(eth0.getStats(new RtnlLinkStats64()).txPackets).isEqualTo(2);
        assertThat(a.pool().live()).isZero();
    }
}
