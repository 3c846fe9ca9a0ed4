package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/examples/slow-accept.conf} through the {@code linuxnet} command: a server that
 * accepts 100 connections a second, a client that opens 200 a second for 10 s. The accept queue
 * fills to backlog + 1, the SYNs that meet it full are dropped and counted, the clients
 * retransmit them, and their connect latencies are whole numbers of SYN retransmission timeouts;
 * the report's series, counters and the capture tell the same story.
 */
final class SlowAcceptScenarioTest {
    /** Linux's SYN retransmission times, s after the first SYN, with tcp_syn_linear_timeouts = 4. */
    private static final long[] SYN_SCHEDULE_S = {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67};

    @TempDir
    Path tmp;

    /** Rows of {@code series.<app>.<name>} of {@code host}. */
    static List<long[]> rows(Config h, String path) {
        List<long[]> out = new ArrayList<>();
        for (Object row : h.getList(path + ".rows").unwrapped()) {
            List<?> r = (List<?>) row;
            long[] a = new long[r.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ((Number) r.get(i)).longValue();
            }
            out.add(a);
        }
        return out;
    }

    static long nstat(Config h, String host, String counter) {
        String p = host + ".nstat." + counter;
        return h.hasPath(p) ? h.getLong(p) : 0;
    }

    private Config run() throws Exception {
        return LinuxnetRuns.runExample(tmp, "slow-accept",
                LinuxnetRuns.defines("linuxnet.output.pcap-dir=\"" + tmp.toString().replace("\\", "/") + "\""));
    }

    @Test
    void theAcceptQueueFillsTheOverflowsAreCountedAndLatenciesGrowWithSynRetransmissions() throws Exception {
        Config h = run();
        long started = h.getLong("client.apps.clients.started");
        long connected = h.getLong("client.apps.clients.connected");
        long inFlight = h.getLong("client.apps.clients.in_flight");
        long accepted = h.getLong("server.apps.web.accepted");
        Config listener = h.getConfigList("server.sockets").stream().filter(s -> s.getString("state").equals("LISTEN"))
                .findFirst().orElseThrow();
        long acceptqEnd = listener.getLong("recv_q");

        // 2000 connections attempted; none refused, reset or timed out (connect-timeout 30 s)
        assertThat(started).isEqualTo(2000);
        assertThat(nstat(h, "client", "TcpActiveOpens")).isEqualTo(2000);
        assertThat(connected + inFlight).isEqualTo(2000);
        assertThat(h.getLong("client.apps.clients.refused") + h.getLong("client.apps.clients.timed_out")
                + h.getLong("client.apps.clients.reset")).isZero();
        // the server takes 100 a second: about 1000 in 10 s
        assertThat(accepted).isBetween(990L, 1000L);
        // the server's children are accepted or wait in the full accept queue; the client also
        // counts the few whose final ACK met a full queue and was dropped: their request waits
        // in the SYN queue for its SYN-ACK timer (the client believes it is connected)
        long synqEnd = h.getLong("server.apps.web.synq_len");
        assertThat(acceptqEnd).isBetween(128L, 129L).isEqualTo(h.getLong("server.apps.web.acceptq_len"));
        assertThat(h.getLong("server.apps.web.acceptq_max")).isEqualTo(129);
        assertThat(accepted + acceptqEnd).isEqualTo(nstat(h, "server", "TcpPassiveOpens"));
        assertThat(connected).isEqualTo(nstat(h, "server", "TcpPassiveOpens") + synqEnd);

        // every SYN (first or retransmitted) either overflowed or made a request; each dropped
        // final ACK overflowed too and left its request to the SYN-ACK timer, which resent the
        // SYN-ACK (server TcpRetransSegs) or had not yet fired at the end (the SYN queue)
        long overflows = nstat(h, "server", "TcpExtListenOverflows");
        long syns = nstat(h, "client", "TcpActiveOpens") + nstat(h, "client", "TcpRetransSegs");
        long synOverflows = syns - (nstat(h, "server", "TcpPassiveOpens") + synqEnd);
        long ackOverflows = nstat(h, "server", "TcpRetransSegs") + synqEnd;
        assertThat(synOverflows).isPositive();
        assertThat(overflows).isEqualTo(synOverflows + ackOverflows);
        assertThat(nstat(h, "server", "TcpExtListenDrops"))
                .isEqualTo(overflows + nstat(h, "server", "TcpExtTCPReqQFullDrop"));
        assertThat(nstat(h, "server", "TcpExtTCPReqQFullDrop")).isZero();

        // the accept queue over time: it grows, holds at backlog + 1, and overflows only when full
        List<long[]> q = rows(h, "server.series.web.acceptq");
        assertThat(q).hasSize(100);
        boolean full = false;
        for (int i = 0; i < q.size(); i++) {
            long[] r = q.get(i);
            assertThat(r[0]).isEqualTo(100L * i);
            assertThat(r[1]).isBetween(0L, 129L);
            assertThat(r[5]).isLessThanOrEqualTo(accepted);
            if (i > 0 && r[3] > q.get(i - 1)[3]) {
                // an overflow in the last 100 ms: the queue was full then
                assertThat(Math.max(r[1], q.get(i - 1)[1])).as("t=%d ms", r[0]).isGreaterThanOrEqualTo(128);
                full = true;
            }
            if (!full) {
                assertThat(r[3]).isZero();
            }
            assertThat(r[4]).isEqualTo(r[3]);     // ListenDrops = ListenOverflows
        }
        assertThat(q.get(q.size() - 1)[3]).isLessThanOrEqualTo(overflows);
        assertThat(q.get(q.size() - 1)[1]).isBetween(128L, 129L);

        // connect latencies: whole numbers of SYN retransmission timeouts, plus microseconds
        List<long[]> lat = rows(h, "client.series.clients.connect");
        long n = 0;
        long retransOfConnected = 0;
        for (long[] r : lat) {
            int k = java.util.Arrays.binarySearch(SYN_SCHEDULE_S, r[0]);
            assertThat(k).as("latency %d s is a SYN retransmission time", r[0]).isNotNegative();
            assertThat(r[2]).isGreaterThanOrEqualTo(r[0] * 1_000_000_000L);
            assertThat(r[3]).isLessThan(r[0] * 1_000_000_000L + 1_000_000L);
            n += r[1];
            retransOfConnected += k * r[1];
        }
        assertThat(n).isEqualTo(connected);
        assertThat(lat.size()).isGreaterThanOrEqualTo(4);
        assertThat(retransOfConnected).isPositive().isLessThanOrEqualTo(nstat(h, "client", "TcpRetransSegs"));
        assertThat(h.getLong("client.apps.clients.connect_p50_ns")).isLessThan(1_000_000L);
        assertThat(h.getLong("client.apps.clients.connect_p99_ns")).isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void tsharkSeesEachConnectedClientSendAsManySynsAsItsLatencySays() throws Exception {
        boolean tshark = TsharkCaptureTest.hasTshark();
        if (!tshark) {
            System.out.println("SlowAcceptScenarioTest: tshark part skipped: tshark is not installed");
        }
        assumeTrue(tshark, "tshark is not installed");
        Config h = run();
        String pcap = tmp.resolve("server.eth0.pcap").toString();
        assertThat(TsharkCaptureTest.tshark("-o", "tcp.check_checksum:TRUE", "-r", pcap, "-Y",
                "_ws.malformed || ip.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\"", "-T", "fields", "-e",
                "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message")).isEmpty();
        Map<String, Integer> syns = new HashMap<>();
        List<String> synacks = new ArrayList<>();
        for (String line : TsharkCaptureTest.tshark("-r", pcap, "-Y", "tcp.flags.syn == 1", "-T", "fields", "-e",
                "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.flags.ack")) {
            String[] f = line.split("\t");
            if (f[2].equals("True") || f[2].equals("1")) {
                synacks.add(f[1]);
            } else {
                syns.merge(f[0], 1, Integer::sum);
            }
        }
        assertThat(syns).hasSize(2000);
        assertThat(syns.values().stream().mapToLong(Integer::longValue).sum())
                .isEqualTo(nstat(h, "client", "TcpActiveOpens") + nstat(h, "client", "TcpRetransSegs"));
        // a SYN-ACK for each connection the client has, some twice (the final ACK was dropped)
        assertThat(synacks).hasSize((int) nstat(h, "server", "TcpOutSegs"));
        List<String> synacked = synacks.stream().distinct().toList();
        assertThat(synacked).hasSize((int) h.getLong("client.apps.clients.connected"));
        // connections by SYNs sent, from the capture and from the client's latencies
        TreeMap<Integer, Long> captured = new TreeMap<>();
        for (String port : synacked) {
            captured.merge(syns.get(port), 1L, Long::sum);
        }
        TreeMap<Integer, Long> reported = new TreeMap<>();
        for (long[] r : rows(h, "client.series.clients.connect")) {
            reported.put(java.util.Arrays.binarySearch(SYN_SCHEDULE_S, r[0]) + 1, r[1]);
        }
        assertThat(captured).isEqualTo(reported);
    }
}
