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
 * Traffic control through the {@code linuxnet} command: the qdisc tree ({@code mq} and its
 * children), the ingress qdisc with its filters, and {@code ifb}; read back from the JSON
 * report's {@code qdiscs} and {@code filters} rows.
 */
final class TcScenarioTest {
    private static final Path EXAMPLES = Path.of("src/main/conf/examples");

    @TempDir
    Path tmp;

    private Config run(Path file, String... args) throws IOException {
        Path json = tmp.resolve(file.getFileName() + ".json");
        List<String> cmd = new ArrayList<>(List.of("run", file.toString(), "--json", json.toString()));
        cmd.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Linuxnet.execute(cmd.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Config report = ConfigFactory.parseString(Files.readString(json));
        for (String host : report.getConfig("hosts").root().keySet()) {
            assertThat(report.getLong("hosts." + host + ".skb.live")).as("skb.live of " + host).isZero();
        }
        return report.getConfig("hosts");
    }

    private Config runString(String scenario, String... args) throws IOException {
        Path f = tmp.resolve("scenario-" + System.nanoTime() + ".conf");
        Files.writeString(f, scenario);
        return run(f, args);
    }

    /** The errors of a scenario the command refuses. */
    private String refuse(String scenario) throws IOException {
        Path f = tmp.resolve("bad-" + System.nanoTime() + ".conf");
        Files.writeString(f, scenario);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Linuxnet.execute(new String[] {"run", f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isNotZero();
        return err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
    }

    private static Config row(Config hosts, String host, String dev, String handle) {
        for (Config q : hosts.getConfigList(host + ".qdiscs")) {
            if (q.getString("dev").equals(dev) && q.getString("handle").equals(handle)) {
                return q;
            }
        }
        throw new AssertionError("no qdisc " + handle + " on " + host + "." + dev + " in " + hosts.getList(host + ".qdiscs"));
    }

    @Test
    void ingressRedirectThroughIfbRunsTheDownloadThroughIfbsQdisc() throws IOException {
        Config h = run(EXAMPLES.resolve("ingress-ifb.conf"));
        long sent = h.getLong("a.apps.sender.sent");
        long received = h.getLong("b.apps.sink.received");
        Config ifbRoot = row(h, "b", "ifb0", "1:");
        Config ingress = row(h, "b", "eth0", "ffff:");
        assertThat(ingress.getString("kind")).isEqualTo("ingress");
        assertThat(ingress.getString("parent")).isEqualTo("ffff:fff1");
        assertThat(ifbRoot.getString("kind")).isEqualTo("pfifo");
        assertThat(ifbRoot.getLong("dropped")).isPositive();
        assertThat(h.getLong("b.drop_reasons.QDISC_DROP")).isEqualTo(ifbRoot.getLong("dropped"));
        assertThat(received).isPositive().isLessThan(sent);
        // every datagram was redirected; those the pfifo dropped never reached the socket
        Config f = h.getConfigList("b.filters").get(0);
        assertThat(f.getString("kind")).isEqualTo("u32");
        assertThat(f.getString("action")).contains("Redirect to device ifb0");
        assertThat(f.getLong("sent_packets")).isEqualTo(sent);
        assertThat(received + ifbRoot.getLong("dropped")).isEqualTo(sent);
        assertThat(h.getLong("b.links.ifb0.tx_packets")).isEqualTo(received);
    }
}
