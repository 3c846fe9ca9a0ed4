package net.linuxnet.scenario;

import static net.linuxnet.scenario.SlowAcceptScenarioTest.nstat;
import static net.linuxnet.scenario.SlowAcceptScenarioTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/examples/syn-flood.conf} through the {@code linuxnet} command: 50 000 spoofed SYNs
 * a second against a listener with backlog 128, and a legitimate client. With
 * {@code tcp_syncookies = 1} the client connects through SYN cookies; with 0 every SYN past the
 * full SYN queue is dropped, the client's too, and the counters say so.
 */
final class SynFloodScenarioTest {
    @TempDir
    Path tmp;

    private Config run(String... overrides) throws Exception {
        String[] all = new String[overrides.length + 1];
        System.arraycopy(overrides, 0, all, 0, overrides.length);
        all[overrides.length] = "linuxnet.output.pcap-dir=\"" + tmp.toString().replace("\\", "/") + "\"";
        return LinuxnetRuns.runExample(tmp, "syn-flood", LinuxnetRuns.defines(all));
    }

    /** The SYNs that reached the server: the flood's and the client's (first and retransmitted). */
    private static long synsIn(Config h) {
        return h.getLong("attacker.apps.flood.sent") + nstat(h, "client", "TcpActiveOpens")
                + nstat(h, "client", "TcpRetransSegs");
    }

    @Test
    void withSyncookiesTheClientConnectsThroughTheFlood() throws Exception {
        Config h = run();
        assertThat(h.getLong("attacker.apps.flood.sent")).isEqualTo(300_000);    // 50 kpps for 6 s
        assertThat(h.getLong("attacker.apps.flood.errors")).isZero();
        // the flood's requests fill the SYN queue to backlog + 1 and keep it full
        assertThat(h.getLong("server.apps.web.synq_max")).isEqualTo(129);
        List<long[]> q = rows(h, "server.series.web.acceptq");
        assertThat(q.subList(1, q.size())).allSatisfy(r -> assertThat(r[2]).isEqualTo(129));
        // from then on every SYN is answered with a cookie, the client's too
        long cookies = nstat(h, "server", "TcpExtTCPReqQFullDoCookies");
        assertThat(cookies).isEqualTo(synsIn(h) - 129);
        assertThat(nstat(h, "server", "TcpExtSyncookiesSent")).isEqualTo(cookies);
        assertThat(nstat(h, "server", "TcpExtSyncookiesRecv")).isEqualTo(20);
        assertThat(nstat(h, "server", "TcpExtSyncookiesFailed")).isZero();
        assertThat(nstat(h, "server", "TcpExtListenDrops")).isZero();
        assertThat(nstat(h, "server", "TcpExtTCPReqQFullDrop")).isZero();
        // the client connects at once, every time
        assertThat(h.getLong("client.apps.clients.connected")).isEqualTo(20);
        assertThat(h.getLong("client.apps.clients.timed_out")).isZero();
        assertThat(nstat(h, "client", "TcpRetransSegs")).isZero();
        assertThat(h.getLong("client.apps.clients.connect_p99_ns")).isLessThan(1_000_000L);
        assertThat(h.getLong("server.apps.web.accepted")).isEqualTo(20);
        assertThat(nstat(h, "server", "TcpPassiveOpens")).isEqualTo(20);
        // the SYN-ACKs to spoofed sources die at the attacker's host, which does not forward
        assertThat(nstat(h, "attacker", "IpInAddrErrors")).isEqualTo(nstat(h, "server", "IpOutRequests")
                - nstat(h, "client", "IpInReceives"));
    }

    @Test
    void withSyncookiesTheClientsBytesMoveIntact() throws Exception {
        Config h = run();
        assertThat(h.getLong("client.apps.clients.completed")).isEqualTo(20);
        assertThat(h.getLong("client.apps.clients.reset") + h.getLong("client.apps.clients.errors")).isZero();
        assertThat(h.getLong("client.apps.clients.bytes_sent")).isEqualTo(20 * 100);
        assertThat(h.getLong("client.apps.clients.bytes_received")).isEqualTo(20 * 1000);
        assertThat(h.getBoolean("client.apps.clients.integrity_ok")).isTrue();
        assertThat(h.getLong("server.apps.web.bytes_received")).isEqualTo(20 * 100);
        assertThat(h.getLong("server.apps.web.bytes_sent")).isEqualTo(20 * 1000);
        assertThat(h.getBoolean("server.apps.web.integrity_ok")).isTrue();
        assertThat(h.getString("server.apps.web.received_crc32")).isEqualTo(h.getString("client.apps.clients.sent_crc32"));
        assertThat(h.getString("client.apps.clients.received_crc32")).isEqualTo(h.getString("server.apps.web.sent_crc32"));
    }

    @Test
    void withoutSyncookiesTheFloodLocksTheClientOut() throws Exception {
        Config h = run("linuxnet.hosts.server.sysctl.\"net.ipv4.tcp_syncookies\"=0");
        assertThat(h.getLong("client.apps.clients.connected")).isZero();
        assertThat(h.getLong("client.apps.clients.timed_out")).isEqualTo(20);
        assertThat(h.getLong("server.apps.web.accepted")).isZero();
        // each of the client's SYNs went out three times (at 0, +1 s, +2 s; the timeout is 3 s)
        assertThat(nstat(h, "client", "TcpRetransSegs")).isEqualTo(40);
        // the counters say why: every SYN past the full SYN queue was dropped
        long reqQFullDrop = nstat(h, "server", "TcpExtTCPReqQFullDrop");
        assertThat(reqQFullDrop).isEqualTo(synsIn(h) - 129);
        assertThat(nstat(h, "server", "TcpExtListenDrops"))
                .isEqualTo(nstat(h, "server", "TcpExtListenOverflows") + reqQFullDrop);
        assertThat(nstat(h, "server", "TcpExtListenOverflows")).isZero();
        assertThat(nstat(h, "server", "TcpExtSyncookiesSent")).isZero();
        assertThat(nstat(h, "server", "TcpExtTCPReqQFullDoCookies")).isZero();
        assertThat(h.getLong("server.apps.web.synq_max")).isEqualTo(129);
        // the only SYN-ACKs are those of the 129 requests in the queue and their retransmissions
        assertThat(nstat(h, "server", "TcpOutSegs")).isEqualTo(129 + nstat(h, "server", "TcpRetransSegs"));
        assertThat(nstat(h, "client", "IpInReceives")).isZero();
    }

    @Test
    void tsharkReadsTheFloodAndTheCookieHandshakesWithNoMalformedPacket() throws Exception {
        boolean tshark = TsharkCaptureTest.hasTshark();
        if (!tshark) {
            System.out.println("SynFloodScenarioTest: tshark part skipped: tshark is not installed");
        }
        assumeTrue(tshark, "tshark is not installed");
        // a shorter run with the attacker's link captured too: 5000 SYNs, 5000 SYN-ACKs
        Config h = run("linuxnet.run.duration=1s", "linuxnet.hosts.attacker.apps.flood.count=5000",
                "linuxnet.output.pcap=[attacker.eth0, client.eth0]",
                "linuxnet.hosts.client.apps.clients.connections=5");
        assertThat(h.getLong("client.apps.clients.connected")).isEqualTo(5);
        String bad = "_ws.malformed || _ws.expert.severity >= \"error\" || ip.checksum.status == \"Bad\""
                + " || tcp.checksum.status == \"Bad\"";
        for (String dev : new String[] {"attacker.eth0", "client.eth0"}) {
            String pcap = tmp.resolve(dev + ".pcap").toString();
            assertThat(TsharkCaptureTest.tshark("-o", "tcp.check_checksum:TRUE", "-r", pcap, "-Y", bad, "-T", "fields",
                    "-e", "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message")).as(dev).isEmpty();
        }
        String attacker = tmp.resolve("attacker.eth0.pcap").toString();
        List<String> syns = TsharkCaptureTest.tshark("-o", "tcp.check_checksum:TRUE", "-r", attacker, "-Y",
                "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.checksum.status == \"Good\" && ip.flags.df == 1"
                        + " && tcp.options.mss_val == 1460 && tcp.options.sack_perm && tcp.options.wscale.shift == 7"
                        + " && tcp.options.timestamp.tsecr == 0 && ip.src == 198.18.0.0/15 && tcp.dstport == 80",
                "-T", "fields", "-e", "ip.src");
        assertThat(syns).hasSize(5000);
        assertThat(syns.stream().distinct().count()).isGreaterThan(4900);
        // the cookie SYN-ACKs the server sent back towards the spoofed sources
        assertThat(TsharkCaptureTest.tshark("-r", attacker, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 1",
                "-T", "fields", "-e", "ip.dst")).hasSize(5000);
    }
}
