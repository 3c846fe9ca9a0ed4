package net.linuxnet.qdisc.fqcodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.sim.Event;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/**
 * fq_codel on an embedded bottleneck: the test drives the qdisc of a veth directly, feeding
 * hand-built IPv4/UDP frames (on the test dummy device) at chosen times and taking one packet off every serialization
 * time of a slow "wire", on the world's simulated clock.
 */
final class FqCodelTest {

    private static String scenario(String qdisc) {
        return """
                linuxnet {
                  run { duration = 10s, seed = 1 }
                  hosts {
                    a {
                      devices {
                        eth0 { driver = testnic }
                      }
                      qdiscs { eth0.root { %s } }
                    }
                  }
                }
                """.formatted(qdisc);
    }

    /** An Ethernet + IPv4 + UDP frame of {@code len} bytes from port {@code sport}, with the given TOS. */
    static SkBuff frame(Host host, NetDevice dev, int len, int sport, int tos) {
        SkBuff skb = host.allocSkb(len + 64);
        skb.reserve(64);
        int mac = skb.put(len);
        skb.setMacHeader(mac);
        skb.putU16(mac + 12, IfEther.ETH_P_IP);
        int nh = mac + IfEther.ETH_HLEN;
        skb.setNetworkHeader(nh);
        skb.putU8(nh, 0x45);
        skb.putU8(nh + 1, tos);
        skb.putU16(nh + 2, len - IfEther.ETH_HLEN);
        skb.putU8(nh + 8, 64);
        skb.putU8(nh + 9, 17);
        skb.putU32(nh + 12, 0x0a000001);
        skb.putU32(nh + 16, 0x0a000002);
        skb.putU16(nh + 10, ipChecksum(skb, nh));
        skb.putU16(nh + 20, sport);
        skb.putU16(nh + 22, 9000);
        skb.setProtocol(IfEther.ETH_P_IP);
        skb.setDev(dev);
        skb.setTruesize(len + 64 + 256);
        return skb;
    }

    static int ipChecksum(SkBuff skb, int nh) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            if (i != 10) {
                sum += skb.getU16(nh + i);
            }
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    /** The outcome of one bottleneck run. */
    record Run(long sparseSent, long sparseMaxDelayNs, long sparseMeanDelayNs, long bulkSent, Qdisc<?> qdisc) {
    }

    /**
     * A 10 Mbit/s wire (one 1514-byte frame per 1211.2 us), a bulk flow offering 1514-byte
     * frames at twice that rate, and a sparse flow of 100-byte frames every 10 ms, for 3 s.
     * The sojourn time of each sparse packet is measured at the wire.
     */
    static Run bottleneck(String qdisc, int bulkTos) {
        World w = TestWorlds.build(scenario(qdisc));
        Host host = w.host("a");
        NetDevice dev = host.devGetByName("eth0");
        Qdisc<?> q = dev.txQueue(0).qdisc();
        long wireNs = 1514L * 8 * 100; // 10 Mbit/s
        long[] sparse = new long[3]; // sent, max delay, total delay
        long[] bulk = new long[1];
        long endNs = 3_000_000_000L;
        Event wire = new Event() {
            @Override
            protected void fire() {
                SkBuff skb = q.dequeue();
                long next = skb == null ? wireNs : skb.len() * 800L;
                if (skb != null) {
                    if (skb.getU16(skb.networkHeader() + 20) == 5000) {
                        long d = host.ktimeGetNs() - skb.tstamp();
                        sparse[0]++;
                        sparse[1] = Math.max(sparse[1], d);
                        sparse[2] += d;
                    } else {
                        bulk[0]++;
                    }
                    host.consumeSkb(skb);
                }
                w.scheduler().schedule(this, host.ktimeGetNs() + next);
            }
        };
        Event bulkGen = new Event() {
            @Override
            protected void fire() {
                SkBuff skb = frame(host, dev, 1514, 6000, bulkTos);
                q.enqueue(skb);
                if (host.ktimeGetNs() + wireNs / 2 < endNs) {
                    w.scheduler().schedule(this, host.ktimeGetNs() + wireNs / 2);
                }
            }
        };
        Event sparseGen = new Event() {
            @Override
            protected void fire() {
                SkBuff skb = frame(host, dev, 100, 5000, 0);
                skb.setTstamp(host.ktimeGetNs());
                q.enqueue(skb);
                if (host.ktimeGetNs() + 10_000_000L < endNs) {
                    w.scheduler().schedule(this, host.ktimeGetNs() + 10_000_000L);
                }
            }
        };
        w.scheduler().schedule(wire, 1);
        w.scheduler().schedule(bulkGen, 2);
        w.scheduler().schedule(sparseGen, 1_000_003L);
        w.runUntil(endNs);
        w.scheduler().cancel(wire);
        q.reset(SkbDropReason.QUEUE_PURGE);
        w.finish();
        return new Run(sparse[0], sparse[1], sparse[0] == 0 ? 0 : sparse[2] / sparse[0], bulk[0], q);
    }

    @Test
    void aSparseFlowWaitsBehindTheBulkFlowInPfifoButNotInFqCodel() {
        Run pfifo = bottleneck("kind = pfifo, limit = 1000", 0);
        Run fq = bottleneck("kind = fq_codel", 0);

        // pfifo: the bulk flow keeps the queue full (1000 x 1.2 ms); the sparse packet waits behind it
        assertThat(pfifo.sparseMeanDelayNs()).isGreaterThan(500_000_000L);
        // fq_codel: the sparse flow is a new flow each time and leaves after at most one bulk frame
        assertThat(fq.sparseSent()).isGreaterThan(250);
        assertThat(fq.sparseMaxDelayNs()).isLessThan(2 * 1_211_200L);
        assertThat(fq.sparseMeanDelayNs()).isLessThan(5_000_000L); // below target

        @SuppressWarnings("unchecked")
        Qdisc<FqCodelSchedData> sch = (Qdisc<FqCodelSchedData>) fq.qdisc();
        FqCodelSchedData d = sch.priv();
        // CoDel dropped from the bulk flow (not ECN-capable), QDISC_CONGESTED
        assertThat(sch.drops).isPositive();
        assertThat(d.ecnMark()).isZero();
        assertThat(d.maxpacket()).isEqualTo(1514);
        assertThat(d.newFlowCount()).isGreaterThan(250);
        // an unresponsive flow at twice the link rate outruns CoDel's control law (as in the
        // kernel): its own packets still queue for long, only the other flows are protected
        assertThat(d.sojournCount()).isEqualTo(fq.sparseSent() + fq.bulkSent());
        // the qdisc's own view: packets of sparse flows (served from new_flows) wait less than
        // CoDel's target, packets of the bulk flow wait far longer
        assertThat(d.sojournNewPercentileNs(99)).isLessThan(5_000_000L);
        assertThat(d.sojournOldPercentileNs(50)).isGreaterThan(10 * d.sojournNewPercentileNs(99));
    }

    @Test
    void ecnCapableBulkTrafficIsMarkedNotDropped() {
        Run fq = bottleneck("kind = fq_codel", 0x02); // ECT(0)
        @SuppressWarnings("unchecked")
        Qdisc<FqCodelSchedData> sch = (Qdisc<FqCodelSchedData>) fq.qdisc();
        FqCodelSchedData d = sch.priv();
        assertThat(d.ecnMark()).isPositive();
        // marking does not shrink the queue, so the limit drops from the fattest flow instead
        assertThat(d.dropOverlimit()).isEqualTo(sch.drops);
    }

    @Test
    void ecnMarkSetsCeAndKeepsTheHeaderChecksumValid() {
        World w = TestWorlds.build(scenario("kind = fq_codel"));
        Host host = w.host("a");
        SkBuff skb = frame(host, host.devGetByName("eth0"), 100, 1, 0x01); // ECT(1)
        assertThat(Codel.inetEcnSetCe(skb)).isTrue();
        int nh = skb.networkHeader();
        assertThat(skb.getU8(nh + 1) & 3).isEqualTo(3);
        assertThat(skb.getU16(nh + 10)).isEqualTo(ipChecksum(skb, nh));
        SkBuff notEct = frame(host, host.devGetByName("eth0"), 100, 1, 0);
        assertThat(Codel.inetEcnSetCe(notEct)).isFalse();
        assertThat(notEct.getU8(notEct.networkHeader() + 1)).isZero();
        host.consumeSkb(skb);
        host.consumeSkb(notEct);
        w.finish();
    }

    @Test
    void defaultsAndDumpFollowTheKernelAndTc() {
        World w = TestWorlds.build(scenario("kind = fq_codel"));
        Qdisc<?> q = w.host("a").devGetByName("eth0").txQueue(0).qdisc();
        assertThat(q.ops().id()).isEqualTo("fq_codel");
        assertThat(q.dump()).isEqualTo(
                "limit 10240p flows 1024 quantum 1514 target 4.999ms interval 99.999ms memory_limit 32Mb ecn drop_batch 64");
        assertThat(q.flags() & Qdisc.TCQ_F_CAN_BYPASS).isNotZero();
        @SuppressWarnings("unchecked")
        FqCodelSchedData d = ((Qdisc<FqCodelSchedData>) q).priv();
        assertThat(SchFqCodel.dumpStats(d)).isEqualTo(
                "  maxpacket 0 drop_overlimit 0 new_flow_count 0 ecn_mark 0\n  new_flows_len 0 old_flows_len 0");
        w.finish();

        World w2 = TestWorlds.build(scenario("kind = fq_codel, limit = 100, flows = 16, quantum = 100, target = 2ms,"
                + " interval = 20ms, ecn = false, ce_threshold = 1ms, drop_batch = 8, memory_limit = 1mb"));
        assertThat(w2.host("a").devGetByName("eth0").txQueue(0).qdisc().dump()).isEqualTo(
                "limit 100p flows 16 quantum 256 target 1.999ms ce_threshold 999us interval 19.999ms memory_limit 1Mb drop_batch 8");
        w2.finish();
    }

    @Test
    void defaultQdiscSysctlSelectsFqCodelWithItsDefaults() {
        World w = TestWorlds.build("""
                linuxnet {
                  hosts {
                    a {
                      sysctl { "net.core.default_qdisc" = fq_codel }
                      devices {
                        eth0 { driver = testnic }
                      }
                    }
                  }
                }
                """);
        Qdisc<?> q = w.host("a").devGetByName("eth0").txQueue(0).qdisc();
        assertThat(q.ops().id()).isEqualTo("fq_codel");
        assertThat(q.dump()).startsWith("limit 10240p flows 1024 quantum 1514");
        w.finish();
    }

    @Test
    void badOptionsFailWithTheLineAndTheAcceptedRange() {
        assertThatThrownBy(() -> TestWorlds.build(scenario("kind = fq_codel, flows = 0")))
                .hasMessageContaining("test.conf").hasMessageContaining("flows");
        assertThatThrownBy(() -> TestWorlds.build(scenario("kind = fq_codel, quantum = 2000000")))
                .hasMessageContaining("quantum");
        assertThatThrownBy(() -> TestWorlds.build(scenario("kind = fq_codel, target = fast")))
                .hasMessageContaining("target");
        assertThatThrownBy(() -> TestWorlds.build(scenario("kind = fq_codel, flow = 8")))
                .hasMessageContaining("flow");
    }

    @Test
    void overLimitDropsHalfTheFattestFlowInABatchAsOverlimit() {
        World w = TestWorlds.build(scenario("kind = fq_codel, limit = 100, drop_batch = 64"));
        Host host = w.host("a");
        NetDevice dev = host.devGetByName("eth0");
        @SuppressWarnings("unchecked")
        Qdisc<FqCodelSchedData> q = (Qdisc<FqCodelSchedData>) dev.txQueue(0).qdisc();
        for (int i = 0; i < 90; i++) {
            assertThat(q.enqueue(frame(host, dev, 1000, 1, 0))).isEqualTo(NetXmit.NET_XMIT_SUCCESS);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(q.enqueue(frame(host, dev, 1000, 2, 0))).isEqualTo(NetXmit.NET_XMIT_SUCCESS);
        }
        // the 101st packet goes to the fat flow: it loses half its 91 000 bytes (46 packets)
        assertThat(q.enqueue(frame(host, dev, 1000, 1, 0))).isEqualTo(NetXmit.NET_XMIT_CN);
        assertThat(q.drops).isEqualTo(46);
        assertThat(q.qlen).isEqualTo(101 - 46);
        assertThat(q.backlog).isEqualTo((101 - 46) * 1000L);
        assertThat(q.priv().dropOverlimit()).isEqualTo(46);
        assertThat(q.priv().newFlowCount()).isEqualTo(2);
        assertThat(host.drops(SkbDropReason.QDISC_OVERLIMIT)).isEqualTo(46);
        // a packet of the thin flow overflowing instead returns success
        assertThat(q.enqueue(frame(host, dev, 1000, 2, 0))).isEqualTo(NetXmit.NET_XMIT_SUCCESS);
        // DRR: the new flows go first, one quantum each
        SkBuff first = q.dequeue();
        assertThat(first.getU16(first.networkHeader() + 20)).isEqualTo(1);
        host.consumeSkb(first);
        q.reset(SkbDropReason.QUEUE_PURGE);
        assertThat(q.qlen).isZero();
        assertThat(q.backlog).isZero();
        assertThat(q.priv().memoryUsage()).isZero();
        w.finish();
    }

    @Test
    void newtonStepConvergesToTheInverseSquareRoot() {
        Codel.CodelVars v = new Codel.CodelVars();
        v.init();
        v.count = 1;
        v.recInvSqrt = 0xffff;
        for (int count = 2; count <= 100; count++) {
            v.count = count;
            Codel.codelNewtonStep(v);
        }
        v.count = 100;
        for (int i = 0; i < 4; i++) {
            Codel.codelNewtonStep(v);
        }
        assertThat(v.recInvSqrt / 65536.0).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.002));
        // control law: interval / sqrt(count)
        int interval = Codel.nsToCodelTime(100_000_000L);
        assertThat(Codel.codelControlLaw(1000, interval, v.recInvSqrt) - 1000).isCloseTo(interval / 10,
                org.assertj.core.data.Offset.offset(200));
    }
}
