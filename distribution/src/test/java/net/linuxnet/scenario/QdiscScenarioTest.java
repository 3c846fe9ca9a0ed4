package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.linuxnet.distribution.Linuxnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example scenarios of a qdisc grafted under tbf ({@code conf/examples/pfifo-limit.conf},
 * {@code pfifo-fast-tos.conf}) run through the {@code linuxnet} command.
 */
final class QdiscScenarioTest {
    private static final Path EXAMPLES = Path.of("src/main/conf/examples");
    /** Host a's own frames through the qdisc besides the datagrams: a gratuitous ARP and one request. */
    private static final long ARP_FRAMES = 2;

    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result linuxnet(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Linuxnet.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code linuxnet run FILE --json ... -D override...} and returns the report's hosts. */
    private Config run(String example, String... overrides) throws IOException {
        Path json = tmp.resolve(example + ".json");
        List<String> cmd = new ArrayList<>(List.of("run", EXAMPLES.resolve(example + ".conf").toString(), "--json", json.toString()));
        for (String o : overrides) {
            cmd.add("-D");
            cmd.add(o);
        }
        Result r = linuxnet(cmd);
        assertThat(r.code()).as(r.err()).isZero();
        Config report = ConfigFactory.parseString(Files.readString(json));
        for (String host : report.getConfig("hosts").root().keySet()) {
            assertThat(report.getLong("hosts." + host + ".skb.live")).as("skb.live of " + host).isZero();
        }
        return report.getConfig("hosts");
    }

    private static Config qdisc(Config hosts, String host, String dev) {
        return hosts.getConfigList(host + ".qdiscs").stream().filter(q -> q.getString("dev").equals(dev)).findFirst()
                .orElseThrow();
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
        Result r = linuxnet(List.of("check", EXAMPLES.resolve("pfifo-limit.conf").toString(),
                "-D", "linuxnet.hosts.a.qdiscs.eth0.root={ kind = pfifo }"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("pfifo-limit.conf:", "qdiscs.eth0.1:1", "qdisc pfifo is classless");

        Result c = linuxnet(List.of("check", EXAMPLES.resolve("pfifo-limit.conf").toString(),
                "-D", "linuxnet.hosts.a.qdiscs.eth0.\"1:2\"={ kind = pfifo }"));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("tbf has one class, 1:1");
    }
}
