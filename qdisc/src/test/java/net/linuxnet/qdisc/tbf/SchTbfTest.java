package net.linuxnet.qdisc.tbf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.qdisc.PschedRatecfg;
import net.linuxnet.qdisc.QdiscTesting;
import net.linuxnet.qdisc.tbf.SchTbf.TbfSchedData;
import org.junit.jupiter.api.Test;

final class SchTbfTest {

    @SuppressWarnings("unchecked")
    private static Qdisc<TbfSchedData> tbf(QdiscTesting t) {
        return (Qdisc<TbfSchedData>) t.dev.qdisc();
    }

    @Test
    void ratecfgKeepsThirtyOneBitsOfNanosecondsPerByte() {
        PschedRatecfg r = PschedRatecfg.precompute(12_500_000); // 100mbit
        assertThat(r.mult() & (1L << 31)).isNotZero();
        assertThat(r.l2tNs(1514)).isBetween(121_119L, 121_120L); // 1514 B at 12.5 MB/s = 121.12 us
        assertThat(r.l2tNs(4096)).isBetween(327_679L, 327_680L);
        PschedRatecfg g = PschedRatecfg.precompute(1_250_000_000L); // 10gbit
        assertThat(g.l2tNs(1514)).isBetween(1211L, 1212L);
        PschedRatecfg slow = PschedRatecfg.precompute(125); // 1kbit
        assertThat(slow.l2tNs(1514)).isBetween(12_111_999_000L, 12_112_000_000L);
    }

    @Test
    void latencyBecomesALimitAndTheDumpReadsAsTcPrintsIt() {
        QdiscTesting t = QdiscTesting.withRoot("kind = tbf, rate = 100mbit, burst = 32kbit, latency = 50ms");
        TbfSchedData q = tbf(t).priv();
        assertThat(q.limit()).isEqualTo(12_500_000L * 50 / 1000 + 4096); // rate * latency + burst, as tc
        assertThat(q.maxSize()).isEqualTo(4096);
        assertThat(q.child().ops().id()).isEqualTo("bfifo");
        assertThat(q.child().limit()).isEqualTo(629_096);
        assertThat(tbf(t).dump()).isEqualTo("rate 100Mbit burst 4Kb lat 50ms");
        t.finish();

        QdiscTesting l = QdiscTesting.withRoot("kind = tbf, rate = 1gbit, burst = 64kb, limit = 1000000");
        assertThat(tbf(l).priv().limit()).isEqualTo(1_000_000);
        assertThat(tbf(l).dump()).isEqualTo("rate 1Gbit burst 64Kb lat 7.47ms");
        l.finish();

        QdiscTesting p = QdiscTesting.withRoot("kind = tbf, rate = 10mbit, burst = 10kb, latency = 70ms, peakrate = 20mbit, mtu = 1514");
        TbfSchedData pq = tbf(p).priv();
        assertThat(pq.maxSize()).isEqualTo(1514);
        // the smaller of 1.25 MB/s * 70 ms + 10 KiB and the peak bucket's 2.5 MB/s * 70 ms + 1514
        assertThat(pq.limit()).isEqualTo(1_250_000L * 70 / 1000 + 10_240);
        // tc recomputes sizes from 64 ns ticks and truncates: 1514 bytes come back as 1513
        assertThat(tbf(p).dump()).isEqualTo("rate 10Mbit burst 10Kb peakrate 20Mbit minburst 1513b lat 70ms");
        p.finish();
    }

    @Test
    void sendsTheBurstAtOnceThenOnePacketPerPacketTimeAndCountsOverlimits() {
        QdiscTesting t = QdiscTesting.withRoot("kind = tbf, rate = 100mbit, burst = 32kbit, latency = 50ms");
        t.runUntil(0);
        for (int i = 0; i < 100; i++) {
            assertThat(t.xmit(1514)).isEqualTo(NetXmit.NET_XMIT_SUCCESS);
        }
        Qdisc<TbfSchedData> q = tbf(t);
        assertThat(t.txPackets()).isEqualTo(2);                 // 4096 bytes of tokens: two frames
        assertThat(q.qlen).isEqualTo(98);
        assertThat(q.backlog).isEqualTo(98 * 1514);
        assertThat(q.overlimits).isPositive();
        t.runUntil(10_000_000);
        // the third frame 35.68 us in, then one every 121.12 us
        assertThat(t.txPackets()).isBetween(84L, 86L);
        t.runUntil(20_000_000);
        assertThat(t.txPackets()).isEqualTo(100);
        assertThat(q.packets).isEqualTo(100);
        assertThat(q.bytes).isEqualTo(100 * 1514);
        assertThat(q.qlen).isZero();
        assertThat(q.backlog).isZero();
        assertThat(q.drops).isZero();
        t.finish();
    }

    @Test
    void aPacketLargerThanTheBucketIsDroppedAndAFullLimitDropsTheRest() {
        QdiscTesting t = QdiscTesting.withRoot("kind = tbf, rate = 1mbit, burst = 1000b, limit = 3000");
        t.runUntil(0);
        assertThat(t.xmit(1514)).isEqualTo(NetXmit.NET_XMIT_DROP);
        assertThat(tbf(t).drops).isEqualTo(1);
        assertThat(t.host.drops(SkbDropReason.QDISC_DROP)).isEqualTo(1);
        // 900-byte frames: one leaves at once, three fit the 3000-byte bfifo, the fifth is dropped
        for (int i = 0; i < 5; i++) {
            t.xmit(900);
        }
        Qdisc<TbfSchedData> q = tbf(t);
        assertThat(t.txPackets()).isEqualTo(1);
        assertThat(q.qlen).isEqualTo(3);
        assertThat(q.drops).isEqualTo(2);
        assertThat(q.priv().child().drops).isEqualTo(1);
        t.finish();
        assertThat(q.qlen).isZero();
        assertThat(t.host.drops(SkbDropReason.QUEUE_PURGE)).isEqualTo(3);
    }

    @Test
    void thePeakRateSpacesBackToBackPackets() {
        QdiscTesting t = QdiscTesting.withRoot("kind = tbf, rate = 10mbit, burst = 100kb, limit = 100kb, peakrate = 20mbit, mtu = 1514");
        t.runUntil(0);
        for (int i = 0; i < 10; i++) {
            t.xmit(1514);
        }
        // the rate bucket could send all ten; the peak bucket lets one out per 605.6 us
        assertThat(t.txPackets()).isEqualTo(1);
        t.runUntil(605_600 * 5 + 1000);
        assertThat(t.txPackets()).isEqualTo(6);
        t.finish();
    }

    @Test
    void optionsAreCheckedAsTcChecksThem() {
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 1mbit, burst = 10kb, limit = 10kb, latency = 50ms"))
                .hasMessageContaining("test.conf:1: ")
                .hasMessageContaining("specifying both \"latency\" and \"limit\" is not allowed");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 1mbit, burst = 10kb"))
                .hasMessageContaining("either \"limit\" or \"latency\" are required");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 1mbit, latency = 50ms"))
                .hasMessageContaining("the \"burst\" parameter is mandatory");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, burst = 10kb, latency = 50ms"))
                .hasMessageContaining("the \"rate\" parameter is mandatory");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 1mbit, burst = 10kb, latency = 50ms, peakrate = 2mbit"))
                .hasMessageContaining("when \"peakrate\" is specified, \"mtu\" must also be specified");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 1mbit, burst = 10kb, latency = 50ms, peakrate = 1mbit, mtu = 1514"))
                .hasMessageContaining("peakrate 125000 is lower than or equals to rate 125000");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 1mbit, burst = 10kb, buffer = 10kb, latency = 50ms"))
                .hasMessageContaining("duplicate \"burst/buffer/maxburst\" specification");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 10kpps, burst = 10kb, latency = 50ms"))
                .hasMessageContaining("is a packet rate");
        assertThatThrownBy(() -> QdiscTesting.withRoot("kind = tbf, rate = 1mbit, burst = 10kb, latency = 50ms, mpu = 64"))
                .hasMessageContaining("mpu");
    }
}
