package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example scenarios shipped in {@code conf/examples}, run as a user runs them: the
 * {@code linuxnet run} command on the file, the JSON report read back.
 */
final class ExampleScenariosTest {
    @TempDir
    Path tmp;

    private Config run(String example, String... args) throws IOException {
        return LinuxnetRuns.runExample(tmp, example, args);
    }

    @Test
    void pingCrossesTheRouterOnlyWithForwarding() throws IOException {
        Config on = run("router-ping");
        assertThat(on.getLong("client.apps.ping.transmitted")).isEqualTo(5);
        assertThat(on.getLong("client.apps.ping.received")).isEqualTo(5);
        assertThat(on.getLong("router.nstat.IpForwDatagrams")).isEqualTo(10);   // requests and replies
        assertThat(on.getLong("client.apps.ping.rtt_min_ns")).isPositive();

        Config off = run("router-ping", "-D", "linuxnet.hosts.router.sysctl.\"net.ipv4.ip_forward\"=0");
        assertThat(off.getLong("client.apps.ping.transmitted")).isEqualTo(5);
        assertThat(off.getLong("client.apps.ping.received")).isZero();
        assertThat(off.getLong("router.nstat.IpForwDatagrams")).isZero();
        assertThat(off.getLong("router.nstat.IpInAddrErrors")).isEqualTo(5);
        assertThat(off.getLong("router.drop_reasons.IP_INADDRERRORS")).isEqualTo(5);
        assertThat(off.getLong("server.nstat.IpInReceives")).isZero();
    }

    @Test
    void aBulkTcpTransferFillsATbfBottleneckAndRecoversEveryLoss() throws IOException {
        Config h = run("tcp-bulk");
        long received = h.getLong("b.apps.server.bytes_received");
        assertThat(h.getBoolean("a.apps.client.integrity_ok")).isTrue();
        assertThat(h.getBoolean("b.apps.server.integrity_ok")).isTrue();
        assertThat(h.getLong("b.apps.server.bad_bytes")).isZero();
        // goodput: 50 Mbit/s less the headers of 1448-byte segments, over 5 s
        double mbit = received * 8 / 5.0 / 1e6;
        assertThat(mbit).isBetween(45.0, 50.0);
        // cubic: HyStart ended slow start; tbf overflowed; each loss was repaired by fast retransmit
        assertThat(h.getLong("a.nstat.TcpExtTCPHystartTrainDetect")).isEqualTo(1);
        long retrans = h.getLong("a.nstat.TcpRetransSegs");
        assertThat(retrans).isPositive();
        assertThat(h.getLong("a.nstat.TcpExtTCPTimeouts")).isZero();
        // every tbf drop is retransmitted once, but for a loss in the last RTT before the run stops
        long drops = h.getLong("a.drop_reasons.QDISC_DROP");
        assertThat(retrans).isBetween(drops - 2, drops);
        assertThat(h.getLong("a.nstat.TcpExtTCPFastRetrans")).isEqualTo(retrans);
    }

    @Test
    void aSlowSinkOverflowsItsReceiveBufferAndEveryDatagramIsAccounted() throws IOException {
        Config h = run("udp-rcvbuf");
        long sent = h.getLong("a.apps.sender.sent");
        long received = h.getLong("b.apps.sink.received");
        long queued = h.getLong("b.apps.sink.queued");
        long rcvbufErrors = h.getLong("b.nstat.UdpRcvbufErrors");

        assertThat(sent).isEqualTo(20_000);
        assertThat(rcvbufErrors).isPositive().isEqualTo(sent - received - queued);
        assertThat(h.getLong("b.drop_reasons.SOCKET_RCVBUFF")).isEqualTo(rcvbufErrors);
        assertThat(h.getLong("b.nstat.UdpInErrors")).isEqualTo(rcvbufErrors);
        assertThat(h.getLong("b.nstat.UdpInDatagrams")).isEqualTo(received);
    }

    @Test
    void datagramsLargerThanTheMtuCrossFragmentedAndArriveWhole() throws Exception {
        Config h = run("fragments", "-D", "linuxnet.output.pcap-dir=\"" + tmp.toString().replace("\\", "/") + "\"");
        long sent = h.getLong("a.apps.sender.sent");
        assertThat(sent).isEqualTo(10);
        assertThat(h.getLong("a.nstat.IpFragOKs")).isEqualTo(sent);
        assertThat(h.getLong("a.nstat.IpFragCreates")).isEqualTo(3 * sent);
        assertThat(h.getLong("b.nstat.IpReasmReqds")).isEqualTo(3 * sent);
        assertThat(h.getLong("b.nstat.IpReasmOKs")).isEqualTo(sent);
        assertThat(h.getLong("b.apps.sink.received") + h.getLong("b.apps.sink.queued")).isEqualTo(sent);
        assertThat(h.getLong("b.apps.sink.bytes")).isEqualTo(4000 * h.getLong("b.apps.sink.received"));

        boolean tshark = TsharkCaptureTest.hasTshark();
        if (!tshark) {
            System.out.println("ExampleScenariosTest: tshark part skipped: tshark is not installed");
        }
        assumeTrue(tshark, "tshark is not installed");
        String pcap = tmp.resolve("b.eth0.pcap").toString();
        // Wireshark reassembles the fragments into one UDP datagram of 4008 bytes each
        List<String> udp = TsharkCaptureTest.tshark("-o", "ip.defragment:TRUE", "-r", pcap, "-Y", "udp", "-T", "fields",
                "-e", "udp.length", "-e", "ip.fragment.count");
        assertThat(udp).hasSize((int) sent).allSatisfy(l -> assertThat(l).isEqualTo("4008\t3"));
        assertThat(TsharkCaptureTest.tshark("-r", pcap, "-Y", "_ws.malformed || ip.checksum.status == \"Bad\""
                + " || udp.checksum.status == \"Bad\"")).isEmpty();
    }
}
