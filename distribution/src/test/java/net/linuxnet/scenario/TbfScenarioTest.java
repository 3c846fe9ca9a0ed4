package net.linuxnet.scenario;

import static net.linuxnet.scenario.LinuxnetRuns.qdisc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tbf example scenarios ({@code conf/examples/tbf.conf}, {@code tbf-rate.conf}) run through
 * the {@code linuxnet run} command, checked against what Linux 6.18 measured.
 */
final class TbfScenarioTest {
    private static final double SECONDS = 10.0;
    /** Host a's own frames through the qdisc besides the datagrams: a gratuitous ARP and one request. */
    private static final long ARP_FRAMES = 2;

    @TempDir
    Path tmp;

    /** Runs an example with {@code -D} overrides. */
    private Config run(String example, String... overrides) throws IOException {
        return LinuxnetRuns.runExample(tmp, example, LinuxnetRuns.defines(overrides));
    }

    /** UDP payload bits per second the sink read during the run. */
    private static double deliveredBps(Config h) {
        return h.getLong("b.apps.sink.bytes") * 8 / SECONDS;
    }

    @Test
    void aFullSendBufferBlocksTheSenderBeforeTbfDropsAnything() throws IOException {
        Config h = run("tbf");
        Config q = qdisc(h, "a", "eth0");
        assertThat(q.getString("kind")).isEqualTo("tbf");
        assertThat(q.getString("options")).isEqualTo("rate 100Mbit burst 4Kb lat 50ms");
        // Linux 6.18: ~96 Mbit/s of UDP payload (the model: 100 * 1472/1514 = 97.2)
        assertThat(deliveredBps(h)).isCloseTo(96e6, within(96e6 * 0.02));
        assertThat(q.getLong("dropped")).isZero();
        assertThat(h.getLong("a.nstat.UdpSndbufErrors")).isZero();
        assertThat(h.getLong("a.apps.sender.blocked")).isPositive();
        assertThat(q.getLong("overlimits")).isPositive();
        // what left the qdisc is every datagram sent, plus the two ARP frames of host a
        // (its gratuitous announcement and the request for 10.0.0.2)
        assertThat(q.getLong("sent_packets")).isEqualTo(h.getLong("a.apps.sender.sent") + ARP_FRAMES);
    }

    @Test
    void withAFourMegabyteSendBufferTbfDropsAndTheSenderCountsEachDrop() throws IOException {
        Config h = run("tbf", "linuxnet.hosts.a.apps.sender.sndbuf=4mb");
        Config q = qdisc(h, "a", "eth0");
        long drops = q.getLong("dropped");
        assertThat(drops).isPositive();
        assertThat(h.getLong("a.nstat.UdpSndbufErrors")).isEqualTo(drops);
        assertThat(h.getLong("a.drop_reasons.QDISC_DROP")).isEqualTo(drops);
        assertThat(h.getLong("a.apps.sender.blocked")).isZero();
        assertThat(deliveredBps(h)).isCloseTo(96e6, within(96e6 * 0.02));
        // offered = sent by the qdisc + dropped by it (nothing is left at the end)
        assertThat(h.getLong("a.apps.sender.sent") + ARP_FRAMES).isEqualTo(q.getLong("sent_packets") + drops);
    }

    @Test
    void atTenMegabitTheLimitIsBelowTheSendBufferAndDropsEqualUdpSndbufErrors() throws IOException {
        Config h = run("tbf", "linuxnet.hosts.a.qdiscs.eth0.root.rate=10mbit");
        Config q = qdisc(h, "a", "eth0");
        assertThat(q.getString("options")).isEqualTo("rate 10Mbit burst 4Kb lat 50ms");
        // Linux 6.18: 9.71 Mbit/s delivered, drops = UdpSndbufErrors
        assertThat(deliveredBps(h)).isCloseTo(9.71e6, within(9.71e6 * 0.02));
        long drops = q.getLong("dropped");
        assertThat(drops).isPositive();
        assertThat(h.getLong("a.nstat.UdpSndbufErrors")).isEqualTo(drops);
        assertThat(h.getLong("a.apps.sender.sent") + ARP_FRAMES).isEqualTo(q.getLong("sent_packets") + drops);
    }

    /** The qdisc's Sent bytes over 10 s are the configured rate within 1 %, from 1 Mbit/s to 10 Gbit/s. */
    @ParameterizedTest(name = "tbf rate {0}")
    @CsvSource({
        "1mbit,    1000000,     2mbit,  1514,  1500,  3kb",
        "10mbit,   10000000,    20mbit, 1514,  1500,  3kb",
        "100mbit,  100000000,   200mbit, 1514, 1500,  3kb",
        "1gbit,    1000000000,  2gbit,  9014,  9000,  18kb",
        "10gbit,   10000000000, 11gbit, 64014, 64000, 128kb",
    })
    void shapesToTheConfiguredRate(String rate, long bps, String offered, int size, int mtu, String burst) throws IOException {
        Config h = run("tbf-rate",
                "linuxnet.hosts.a.qdiscs.v0.root.rate=" + rate,
                "linuxnet.hosts.a.qdiscs.v0.root.burst=" + burst,
                "linuxnet.hosts.a.apps.gen.rate=" + offered,
                "linuxnet.hosts.a.apps.gen.size=" + size,
                "linuxnet.hosts.a.devices.v0.mtu=" + mtu,
                "linuxnet.hosts.b.devices.v0.mtu=" + mtu);
        Config q = qdisc(h, "a", "v0");
        double shaped = q.getLong("sent_bytes") * 8 / SECONDS;
        assertThat(shaped).isCloseTo(bps, within(bps * 0.01));
        assertThat(q.getLong("dropped")).isPositive();
        assertThat(h.getLong("a.apps.gen.errors")).isEqualTo(q.getLong("dropped"));
    }
}
