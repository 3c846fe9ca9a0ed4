package net.linuxnet.scenario;

import static net.linuxnet.scenario.LinuxnetRuns.qdisc;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import net.linuxnet.distribution.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example scenarios of a qdisc grafted under tbf ({@code conf/examples/pfifo-limit.conf},
 * {@code pfifo-fast-tos.conf}) run through the {@code linuxnet} command.
 */
final class QdiscScenarioTest {
    /** Host a's own frames through the qdisc besides the datagrams: a gratuitous ARP and one request. */
    private static final long ARP_FRAMES = 2;

    @TempDir
    Path tmp;

    /** Runs an example with {@code -D} overrides. */
    private Config run(String example, String... overrides) throws IOException {
        return LinuxnetRuns.runExample(tmp, example, LinuxnetRuns.defines(overrides));
    }

    @Test
    void aTenPacketFifoDropsTheExcessAndEveryDatagramIsAccounted() throws IOException {
        Config h = run("pfifo-limit");
        Config q = qdisc(h, "a", "eth0");
        long offered = h.getLong("a.apps.blast.sent") + ARP_FRAMES;
        long sent = q.getLong("sent_packets");
        long dropped = q.getLong("dropped");
        long backlog = h.getLong("a.drop_reasons.QUEUE_PURGE"); // what the pfifo held when the run stopped
        assertThat(backlog).isEqualTo(10);
        assertThat(dropped).isPositive();
        assertThat(offered).isEqualTo(sent + dropped + backlog);
        assertThat(h.getLong("a.drop_reasons.QDISC_DROP")).isEqualTo(dropped);
        assertThat(h.getLong("a.nstat.UdpSndbufErrors")).isEqualTo(dropped);
        assertThat(h.getLong("a.apps.blast.blocked")).isZero();
        // what left the qdisc is what arrived: datagrams to the sink, ARP to b
        assertThat(h.getLong("b.apps.sink.received") + h.getLong("b.apps.sink.queued")).isEqualTo(sent - ARP_FRAMES);
    }

    @Test
    void lowDelayTrafficGoesAheadOfBulkTrafficInPfifoFast() throws IOException {
        Config fast = run("pfifo-fast-tos");
        assertThat(fast.getLong("a.apps.rr.responses")).isEqualTo(500);
        assertThat(fast.getLong("a.apps.rr.p99_ns")).isLessThan(1_000_000);   // band 0: under a millisecond
        assertThat(qdisc(fast, "a", "eth0").getLong("dropped")).isZero();
        assertThat(fast.getLong("a.apps.bulk.blocked")).isPositive();          // the bulk band stays full

        Config same = run("pfifo-fast-tos", "linuxnet.hosts.a.apps.rr.tos=8");
        assertThat(same.getLong("a.apps.rr.p50_ns")).isGreaterThan(20_000_000); // behind the bulk queue
        assertThat(same.getLong("a.apps.rr.p50_ns")).isGreaterThan(1000 * fast.getLong("a.apps.rr.p50_ns"));
    }

    @Test
    void onlyAClassfulRootTakesAChild() {
        Cli.Result r = Cli.run("check", LinuxnetRuns.EXAMPLES.resolve("pfifo-limit.conf").toString(),
                "-D", "linuxnet.hosts.a.qdiscs.eth0.root={ kind = pfifo }");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("pfifo-limit.conf:", "qdiscs.eth0.1:1", "qdisc pfifo is classless");

        Cli.Result c = Cli.run("check", LinuxnetRuns.EXAMPLES.resolve("pfifo-limit.conf").toString(),
                "-D", "linuxnet.hosts.a.qdiscs.eth0.\"1:2\"={ kind = pfifo }");
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("tbf has one class, 1:1");
    }
}
