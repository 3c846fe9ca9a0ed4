package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import net.linuxnet.drivers.veth.VethPriv;
import org.junit.jupiter.api.Test;

/**
 * A veth whose receiving end has GRO on takes frames through a NAPI ring of 256; when the ring
 * is full, {@code veth_xmit} stops the sender's queue and returns {@code NETDEV_TX_BUSY}, so the
 * sender's qdisc holds the backlog (or, without a qdisc, the frame is dropped), and the
 * receiver's poll wakes the queue.
 */
final class VethNapiRingTest {

    private static String scenario(String qdisc) {
        return """
                linuxnet {
                  run { duration = 200ms, seed = 3 }
                  hosts {
                    a { devices { eth0 { driver = veth, peer = "b.eth0", mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                        sysctl { "net.core.wmem_default" = 4194304 }
                        %s
                        apps { tx { kind = udp-sender, dst = "10.0.0.2:9000", rate = 40kpps, size = 1400 } } }
                    b { cpus = 2
                        costs { netif_receive_skb { packet = 250ns, byte = 25ns } }
                        devices { eth0 { driver = veth, gro = true, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                        apps { rx { kind = udp-sink, port = 9000, rcvbuf = 512mb, cpu = 1 } } }
                  }
                }
                """.formatted(qdisc);
    }

    @Test
    void aFullRingStopsTheSendersQueueAndItsQdiscHoldsTheBacklog() {
        World w = TestWorlds.run(scenario("qdiscs { eth0.root { kind = pfifo, limit = 1000 } }"));
        Host a = w.host("a");
        Host b = w.host("b");
        NetDevice av = a.devGetByName("eth0");
        NetDevice bv = b.devGetByName("eth0");
        Qdisc<?> q = av.qdisc();
        VethPriv rq = bv.priv();

        assertThat(rq.napiEnabled()).isTrue();
        assertThat(rq.ringFull()).isPositive();
        assertThat(q.requeues).isEqualTo(rq.ringFull()); // each BUSY is one requeue
        assertThat(q.drops).isPositive();                 // the pfifo overflowed, not the veth
        RtnlLinkStats64 as = av.getStats(new RtnlLinkStats64());
        assertThat(as.txDropped).isZero();
        // every frame a handed to b reached b's IPv4, but for the ARP frames and what the ring
        // still held at the end (purged)
        long ipIn = b.mibCounters().get("IpInReceives").get();
        assertThat(as.txPackets - ipIn).isBetween(0L, 2L + VethPriv.class.cast(rq).ringCount() + b.drops(SkbDropReason.QUEUE_PURGE));
        assertThat(a.pool().live()).isZero();
        assertThat(b.pool().live()).isZero();
    }

    @Test
    void withoutAQdiscABusyRingDropsTheFrame() {
        World w = TestWorlds.run(scenario(""));
        Host a = w.host("a");
        NetDevice av = a.devGetByName("eth0");
        VethPriv rq = w.host("b").devGetByName("eth0").priv();
        assertThat(av.qdisc()).isNull();
        assertThat(rq.ringFull()).isPositive();
        RtnlLinkStats64 as = av.getStats(new RtnlLinkStats64());
        assertThat(as.txDropped).isEqualTo(rq.ringFull());
        assertThat(a.pool().live()).isZero();
        assertThat(w.host("b").pool().live()).isZero();
    }
}
