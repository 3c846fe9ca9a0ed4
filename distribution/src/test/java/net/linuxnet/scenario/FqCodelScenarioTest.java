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
 * The {@code fq-codel} example of {@code conf/examples}, run through the {@code linuxnet run}
 * command as a user runs it, its JSON report read back.
 */
final class FqCodelScenarioTest {
    private static final Path EXAMPLE = Path.of("src/main/conf/examples/fq-codel.conf");

    @TempDir
    Path tmp;

    private int execute(ByteArrayOutputStream err, String... args) {
        List<String> cmd = new ArrayList<>(List.of("run", EXAMPLE.toString(), "--json", tmp.resolve("r.json").toString()));
        cmd.addAll(List.of(args));
        return Linuxnet.execute(cmd.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void fqCodelCarriesBulkAndSparseTrafficAndReportsLikeTc() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(execute(err)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Config h = ConfigFactory.parseString(Files.readString(tmp.resolve("r.json"))).getConfig("hosts");
        assertThat(h.getLong("a.skb.live")).isZero();
        assertThat(h.getLong("b.skb.live")).isZero();

        Config eth0 = h.getConfigList("a.qdiscs").stream().filter(q -> q.getString("dev").equals("eth0")).findFirst().orElseThrow();
        assertThat(eth0.getString("kind")).isEqualTo("fq_codel");
        assertThat(eth0.getString("options")).isEqualTo(
                "limit 10240p flows 1024 quantum 1514 target 4.999ms interval 99.999ms memory_limit 32Mb ecn drop_batch 64");
        long sent = h.getLong("a.apps.bulk.sent");
        long requests = h.getLong("a.apps.sparse.requests");
        assertThat(sent).isPositive();
        assertThat(requests).isPositive();
        assertThat(h.getLong("a.apps.sparse.responses")).isPositive();
        // every datagram went through fq_codel (plus the ARP request); nothing was dropped
        assertThat(eth0.getLong("sent_packets")).isGreaterThanOrEqualTo(sent + requests);
        assertThat(eth0.getLong("dropped")).isZero();
        assertThat(eth0.getLong("qlen")).isZero();
    }

    @Test
    void aBadFqCodelOptionFailsWithItsOriginAndTheAcceptedKeys() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = execute(err, "-D", "linuxnet.hosts.a.qdiscs.eth0.root.flows=0");
        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("flows");

        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertThat(execute(err2, "-D", "linuxnet.hosts.a.qdiscs.eth0.root.target_us=5")).isNotZero();
        // the origin of a -D value is the option itself; the accepted keys are listed
        assertThat(err2.toString(StandardCharsets.UTF_8)).contains("target_us: unknown key")
                .contains("accepted: ce_threshold, drop_batch, ecn, flows, handle, interval, kind, limit, memory_limit, quantum, target");
    }
}
