package net.linuxnet.apps.pktgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceOps;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.apps.net.NetUtils;
import net.linuxnet.apps.testing.TestingKernel;
import org.junit.jupiter.api.Test;

/** The kpktgend loop against a hand-written kernel and driver. */
final class PktgenDevTest {

    private final TestingKernel kernel = new TestingKernel();
    private final NetDevice dev = kernel.addDevice("eth0", IfEther.parseMac("02:00:00:00:00:01"));
    private final TestingDriver driver = new TestingDriver();

    /** Takes every frame it can and frees it, records its sequence number; can refuse or stop the queue. */
    private final class TestingDriver implements NetDeviceOps {
        final List<Integer> seqs = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        int busyAnswers;
        int stopQueueAfter = -1;

        @Override
        public NetdevTx ndoStartXmit(SkBuff skb, NetDevice d) {
            if (busyAnswers > 0) {
                busyAnswers--;
                return NetdevTx.NETDEV_TX_BUSY;
            }
            seqs.add(skb.getU32(skb.data() + 46));
            times.add(kernel.now);
            kernel.consumeSkb(skb);
            if (stopQueueAfter >= 0 && seqs.size() >= stopQueueAfter) {
                d.txQueue(0).stopQueue();
            }
            return NetdevTx.NETDEV_TX_OK;
        }
    }

    PktgenDevTest() {
        dev.setOps(driver);
    }

    private PktgenDev pktgen(Rate rate, long count, int burst, XmitMode mode) {
        PktgenOptions o = new PktgenOptions("eth0", new byte[6], null, (int) NetUtils.in4Pton("10.0.0.1"),
                (int) NetUtils.in4Pton("10.0.0.2"), rate, 60, 9, 1, 9, count, burst, 1, mode, 32, 0, true);
        return new PktgenDev("gen", kernel, dev, o, kernel.costStage(PktgenDev.COST_STAGE));
    }

    @Test
    void pacesPacketsFromStartWithoutDrift() {
        PktgenDev gen = pktgen(Rate.packetsPerSecond(1_000_000), 0, 1, XmitMode.M_START_XMIT);
        gen.start();
        assertThat(kernel.task.comm()).isEqualTo("kpktgend_1");
        kernel.runUntil(100_000);
        gen.stop();

        assertThat(gen.sofar()).isEqualTo(100);
        assertThat(gen.txBytes()).isEqualTo(100 * 60);
        assertThat(driver.times.get(0)).isEqualTo(150);    // due at 0, charged 150 ns
        assertThat(driver.times.get(99)).isEqualTo(99_150);
        assertThat(driver.seqs.get(0)).isEqualTo(1);
        assertThat(driver.seqs.get(99)).isEqualTo(100);
        assertThat(kernel.task.stopped).isTrue();
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void catchesUpWhenLate() {
        PktgenDev gen = pktgen(Rate.packetsPerSecond(1_000_000), 0, 1, XmitMode.M_START_XMIT);
        gen.start();
        kernel.now = 10_000;           // the thread did not get the CPU for 10 us
        kernel.task.runnable = true;
        kernel.runUntil(20_000);
        gen.stop();
        assertThat(gen.sofar()).isEqualTo(20);
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void unlimitedRateYieldsEvery64Packets() {
        PktgenDev gen = pktgen(null, 0, 1, XmitMode.M_START_XMIT);
        gen.start();
        kernel.runUntil(150 * 640);
        gen.stop();
        assertThat(gen.sofar()).isEqualTo(640);
        assertThat(kernel.task.runs).isEqualTo(10);
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void countStopsTheThread() {
        PktgenDev gen = pktgen(null, 10, 1, XmitMode.M_START_XMIT);
        gen.start();
        kernel.runUntil(1_000_000);
        assertThat(gen.sofar()).isEqualTo(10);
        assertThat(gen.running()).isFalse();
        assertThat(kernel.task.stopped).isTrue();
        Map<String, Object> result = report(gen);
        assertThat(result.keySet()).containsExactly("sent", "bytes", "errors", "rate_pps", "flows");
        assertThat((double) result.get("rate_pps")).isEqualTo(10 * 1e9 / 1500);
        gen.stop();
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void busyRetriesTheSameSkb() {
        PktgenDev gen = pktgen(null, 5, 1, XmitMode.M_START_XMIT);
        driver.busyAnswers = 3;
        gen.start();
        kernel.runUntil(1_000_000);
        assertThat(driver.seqs).containsExactly(1, 2, 3, 4, 5);
        assertThat(gen.errors()).isZero();
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void stoppedQueueIsNotCalledAndIsPolledAgain() {
        PktgenDev gen = pktgen(null, 0, 1, XmitMode.M_START_XMIT);
        driver.stopQueueAfter = 5;
        gen.start();
        kernel.runUntil(50_000);
        assertThat(gen.sofar()).isEqualTo(5);
        assertThat(kernel.pool.live()).isEqualTo(1);   // the next packet, held
        dev.txQueue(0).startQueue();
        driver.stopQueueAfter = 7;
        kernel.runUntil(100_000);
        assertThat(driver.seqs).containsExactly(1, 2, 3, 4, 5, 6, 7);
        gen.stop();
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void burstSendsIdenticalCopiesPerSlot() {
        PktgenDev gen = pktgen(Rate.packetsPerSecond(100_000), 0, 3, XmitMode.M_START_XMIT);
        gen.start();
        kernel.runUntil(20_000);
        gen.stop();
        // two slots (0 and 10 us), three copies each; the copies share seq_num, as one skb would
        assertThat(driver.seqs).containsExactly(1, 1, 1, 4, 4, 4);
        assertThat(gen.sofar()).isEqualTo(6);
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void queueXmitCountsDropsAsErrors() {
        PktgenDev gen = pktgen(null, 0, 1, XmitMode.M_QUEUE_XMIT);
        kernel.queueXmitResult = NetXmit.NET_XMIT_DROP;
        gen.start();
        kernel.runUntil(1);                            // one run: 64 packets, 150 ns each
        kernel.queueXmitResult = NetXmit.NET_XMIT_SUCCESS;
        kernel.runUntil(64 * 150 + 1);                 // the next run
        gen.stop();
        assertThat(gen.errors()).isEqualTo(64);
        assertThat(gen.sofar()).isEqualTo(64);
        assertThat(kernel.queueXmitted).hasSize(128);
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void deviceDownStopsPktgen() {
        PktgenDev gen = pktgen(null, 0, 1, XmitMode.M_START_XMIT);
        dev.setFlags(0);
        gen.start();
        kernel.runUntil(10_000);
        assertThat(gen.sofar()).isZero();
        assertThat(gen.running()).isFalse();
        assertThat(kernel.pool.live()).isZero();
    }

    private static Map<String, Object> report(PktgenDev gen) {
        Map<String, Object> out = new LinkedHashMap<>();
        gen.report(new ResultWriter() {
            @Override
            public ResultWriter put(String key, long value) {
                out.put(key, value);
                return this;
            }

            @Override
            public ResultWriter put(String key, double value) {
                out.put(key, value);
                return this;
            }

            @Override
            public ResultWriter put(String key, String value) {
                out.put(key, value);
                return this;
            }

            @Override
            public ResultWriter put(String key, boolean value) {
                out.put(key, value);
                return this;
            }
        });
        return out;
    }
}
