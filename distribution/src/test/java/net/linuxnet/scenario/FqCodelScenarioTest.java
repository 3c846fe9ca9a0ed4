package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import net.linuxnet.distribution.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fq-codel} example of {@code conf/examples}, run through the {@code linuxnet run}
 * command as a user runs it, its JSON report read back.
 */
final class FqCodelScenarioTest {
    private static final Path EXAMPLE = LinuxnetRuns.EXAMPLES.resolve("fq-codel.conf");

    @TempDir
    Path tmp;

    /** The JSON report's hosts after running the example with {@code args}. */
    private Config run(String... args) throws IOException {
        return LinuxnetRuns.run(tmp, EXAMPLE, args);
    }

    private static Config qdisc(Config h) {
        return LinuxnetRuns.qdisc(h, "a", "eth0");
    }

    @Test
    void theSparseFlowSkipsTheBulkQueueWithFqCodelButWaitsBehindItWithPfifo() throws IOException {
        Config fq = run();
        Config pfifo = run("-D", "linuxnet.hosts.a.qdiscs.eth0.root.kind=pfifo");

        Config fqRoot = qdisc(fq);
        Config pfifoRoot = qdisc(pfifo);
        assertThat(fqRoot.getString("kind")).isEqualTo("fq_codel");
        assertThat(fqRoot.getString("options")).isEqualTo(
                "limit 10240p flows 1024 quantum 1514 target 4.999ms interval 99.999ms memory_limit 32Mb ecn drop_batch 64");
        assertThat(pfifoRoot.getString("kind")).isEqualTo("pfifo");
        // the bottleneck is real: b's ring fills, veth returns NETDEV_TX_BUSY, a's qdisc requeues
        assertThat(fqRoot.getLong("requeues")).isPositive();
        assertThat(pfifoRoot.getLong("requeues")).isPositive();
        // pfifo overflows (tail drop); fq_codel drops from the bulk flow only (CoDel, batches)
        assertThat(pfifoRoot.getLong("dropped")).isPositive();
        assertThat(fqRoot.getLong("dropped")).isPositive();

        long fqP50 = fq.getLong("a.apps.sparse.p50_ns");
        long pfifoP50 = pfifo.getLong("a.apps.sparse.p50_ns");
        // pfifo: each request waits behind the ~1000 bulk frames of a full queue (about 36 ms),
        // plus b's ring; fq_codel: only behind the 256 frames of the ring (about 9 ms)
        assertThat(pfifoP50).isGreaterThan(30_000_000L);
        assertThat(fqP50).isLessThan(pfifoP50 / 3);
        assertThat(fq.getLong("a.apps.sparse.responses")).isGreaterThan(3 * pfifo.getLong("a.apps.sparse.responses"));
        // the qdisc's own sojourn distribution (xstats): the sparse flow's packets, served
        // from new_flows, wait less than CoDel's 5 ms target; the bulk flow's wait far longer
        Config x = fqRoot.getConfig("xstats");
        assertThat(x.getLong("sparse_packets")).isGreaterThan(200);
        assertThat(x.getLong("sparse_sojourn_p99_ns")).isLessThan(5_000_000L);
        assertThat(x.getLong("bulk_sojourn_p50_ns")).isGreaterThan(10 * x.getLong("sparse_sojourn_p99_ns"));
    }

    @Test
    void aBadFqCodelOptionFailsWithItsOriginAndTheAcceptedKeys() {
        Cli.Result bad = Cli.run("run", EXAMPLE.toString(), "-D", "linuxnet.hosts.a.qdiscs.eth0.root.flows=0");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("flows");

        Cli.Result unknown = Cli.run("run", EXAMPLE.toString(), "-D", "linuxnet.hosts.a.qdiscs.eth0.root.target_us=5");
        assertThat(unknown.code()).isNotZero();
        // the origin of a -D value is the option itself; the accepted keys are listed
        assertThat(unknown.err()).contains("target_us: unknown key")
                .contains("accepted: ce_threshold, drop_batch, ecn, flows, handle, interval, kind, limit, memory_limit, quantum, target");
    }
}
