package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/examples/listen-backlog.conf} through the {@code linuxnet} command with backlogs
 * 0, 1, 5 and 10: a server that never accepts, 50 clients. Exactly backlog + 1 connections sit
 * in the accept queue, the other SYNs are dropped and counted, and the clients retransmit.
 */
final class ListenBacklogScenarioTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 10})
    void exactlyBacklogPlusOneConnectionsWaitInTheAcceptQueue(int backlog) throws IOException {
        Config h = LinuxnetRuns.runExample(tmp, "listen-backlog",
                LinuxnetRuns.defines("linuxnet.hosts.server.apps.web.backlog=" + backlog,
                        "linuxnet.output.pcap-dir=\"" + tmp.toString().replace("\\", "/") + "\""));
        int queued = backlog + 1;
        int refused = 50 - queued;
        Config listener = h.getConfigList("server.sockets").stream().filter(s -> s.getString("state").equals("LISTEN"))
                .findFirst().orElseThrow();
        assertThat(listener.getLong("recv_q")).isEqualTo(queued);
        assertThat(listener.getLong("send_q")).isEqualTo(backlog);
        assertThat(listener.getString("local")).isEqualTo("10.0.0.2:80");
        // ss -tan lists the children waiting in the accept queue as ESTAB
        assertThat(h.getConfigList("server.sockets").stream().filter(s -> s.getString("state").equals("ESTAB"))
                .filter(s -> s.getLong("fd") == -1).count()).isEqualTo(queued);
        assertThat(h.getConfigList("client.sockets").stream().filter(s -> s.getString("state").equals("SYN-SENT"))
                .count()).isEqualTo(refused);

        assertThat(h.getLong("client.apps.clients.connected")).isEqualTo(queued);
        assertThat(h.getLong("client.apps.clients.in_flight")).isEqualTo(refused);
        assertThat(h.getLong("server.apps.web.accepted")).isZero();
        assertThat(h.getLong("server.nstat.TcpPassiveOpens")).isEqualTo(queued);
        assertThat(h.getLong("client.nstat.TcpActiveOpens")).isEqualTo(50);
        // every SYN of a refused connection (the first and 5 retransmissions at +1..+5 s) overflows
        assertThat(h.getLong("client.nstat.TcpRetransSegs")).isEqualTo(5L * refused);
        assertThat(h.getLong("server.nstat.TcpExtListenOverflows")).isEqualTo(6L * refused);
        assertThat(h.getLong("server.nstat.TcpExtListenDrops")).isEqualTo(6L * refused);
        assertThat(h.hasPath("server.nstat.TcpExtTCPReqQFullDrop") ? h.getLong("server.nstat.TcpExtTCPReqQFullDrop") : 0)
                .isZero();
        assertThat(h.hasPath("server.nstat.TcpOutRsts") ? h.getLong("server.nstat.TcpOutRsts") : 0).isZero();
        assertThat(h.getLong("server.nstat.TcpCurrEstab")).isEqualTo(queued);
    }

    @Test
    void tsharkFindsNoMalformedSegmentAndTheSynRetransmissionSchedule() throws Exception {
        boolean tshark = TsharkCaptureTest.hasTshark();
        if (!tshark) {
            System.out.println("ListenBacklogScenarioTest: tshark part skipped: tshark is not installed");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(tshark, "tshark is not installed");
        LinuxnetRuns.runExample(tmp, "listen-backlog",
                "-D", "linuxnet.output.pcap-dir=\"" + tmp.toString().replace("\\", "/") + "\"");
        String pcap = tmp.resolve("server.eth0.pcap").toString();
        assertThat(TsharkCaptureTest.tshark("-o", "tcp.check_checksum:TRUE", "-r", pcap, "-Y",
                "_ws.malformed || ip.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\"", "-T", "fields", "-e",
                "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message")).isEmpty();
        // the last client's SYNs: the first and its retransmissions 1, 2, 3, 4, 5 s later
        List<String> syns = TsharkCaptureTest.tshark("-r", pcap, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0",
                "-T", "fields", "-e", "tcp.srcport", "-e", "frame.time_relative");
        String last = syns.get(syns.size() - 1).split("\t")[0];
        List<Double> times = syns.stream().map(l -> l.split("\t")).filter(f -> f[0].equals(last))
                .map(f -> Double.parseDouble(f[1])).toList();
        assertThat(times).hasSize(6);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(0)).isCloseTo(i, org.assertj.core.data.Offset.offset(0.001));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate", "delay"})
    void aServerThatAcceptsFastEnoughTakesEveryConnection(String accept) throws IOException {
        Config h = LinuxnetRuns.runExample(tmp, "listen-backlog",
                LinuxnetRuns.defines("linuxnet.hosts.server.apps.web.accept=" + accept,
                        "linuxnet.hosts.server.apps.web.accept-rate=\"1000/s\"",
                        "linuxnet.hosts.server.apps.web.accept-delay=1ms",
                        "linuxnet.output.pcap-dir=\"" + tmp.toString().replace("\\", "/") + "\""));
        assertThat(h.getLong("client.apps.clients.connected")).isEqualTo(50);
        assertThat(h.getLong("server.apps.web.accepted")).isEqualTo(50);
        assertThat(h.hasPath("server.nstat.TcpExtListenDrops") ? h.getLong("server.nstat.TcpExtListenDrops") : 0).isZero();
        assertThat(h.getLong("client.apps.clients.connect_p99_ns")).isPositive().isLessThan(1_000_000L);
        Config listener = h.getConfigList("server.sockets").stream().filter(s -> s.getString("state").equals("LISTEN"))
                .findFirst().orElseThrow();
        assertThat(listener.getLong("recv_q")).isZero();
        assertThat(h.getConfigList("server.sockets").stream().filter(s -> s.getString("state").equals("ESTAB")).count())
                .isEqualTo(50);
    }
}
