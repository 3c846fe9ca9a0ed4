package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tcp-client} and {@code tcp-server} moving bytes through the {@code linuxnet} command:
 * each server mode with each kind of client work, every byte checked at the receiver, the
 * CRC-32s of both ends equal, and every connection closed by both sides.
 */
final class TcpAppsDataScenarioTest {
    @TempDir
    Path tmp;

    private static final String SCENARIO = """
            linuxnet {
              run { duration = 2s, drain = 2s, seed = 3 }
              hosts {
                client {
                  devices { eth0 { driver = veth, peer = "server.eth0", mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                  apps { c { kind = tcp-client, dst = "10.0.0.2:80", connections = 10, concurrency = 4, rate = 100/s, %s } }
                }
                server {
                  devices { eth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                  apps { s { kind = tcp-server, listen = "10.0.0.2:80", accept-rate = 1000/s, %s } }
                }
              }
            }
            """;

    private Config run(String client, String server, String... args) throws Exception {
        Path file = tmp.resolve("data.conf");
        Files.writeString(file, SCENARIO.formatted(client, server));
        return LinuxnetRuns.run(tmp, file, args);
    }

    @Test
    void tsharkReadsAnEchoedBulkTransferWithNoMalformedSegment() throws Exception {
        boolean tshark = TsharkCaptureTest.hasTshark();
        if (!tshark) {
            System.out.println("TcpAppsDataScenarioTest: tshark part skipped: tshark is not installed");
        }
        assumeTrue(tshark, "tshark is not installed");
        Config h = run("bytes = 200kb", "mode = echo", LinuxnetRuns.defines("linuxnet.output.pcap=[server.eth0]",
                "linuxnet.output.pcap-dir=\"" + tmp.toString().replace("\\", "/") + "\""));
        assertThat(h.getLong("client.apps.c.bytes_received")).isEqualTo(10 * 204_800L);
        String pcap = tmp.resolve("server.eth0.pcap").toString();
        assertThat(TsharkCaptureTest.tshark("-o", "tcp.check_checksum:TRUE", "-r", pcap, "-Y",
                "_ws.malformed || _ws.expert.severity >= \"error\" || ip.checksum.status == \"Bad\""
                        + " || tcp.checksum.status == \"Bad\"",
                "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message")).isEmpty();
        // Wireshark's stream analysis: each direction of each connection carries 200 kB, ends with a FIN
        List<String> fins = TsharkCaptureTest.tshark("-r", pcap, "-Y", "tcp.flags.fin == 1", "-T", "fields", "-e",
                "tcp.srcport", "-e", "tcp.seq");
        assertThat(fins).hasSize(20).allSatisfy(l -> assertThat(l.split("\t")[1]).isEqualTo("204801"));
    }

    @ParameterizedTest(name = "client {0}, server {1}")
    @CsvSource(delimiter = '|', value = {
        // client work                          | server mode                                | sent by client | back to client
        "bytes = 200kb                          | mode = discard                              | 204800         | 0",
        "bytes = 200kb                          | mode = echo                                | 204800         | 204800",
        "request = 100, response = 1000         | mode = reply, request = 100, reply-bytes = 1000 | 100       | 1000",
        "request = 3000, response = 3000, echo = true | mode = echo                           | 3000           | 3000",
    })
    void everyByteArrivesAndIsChecked(String client, String server, long up, long down) throws Exception {
        Config h = run(client, server);
        assertThat(h.getLong("client.apps.c.connected")).isEqualTo(10);
        assertThat(h.getLong("client.apps.c.completed")).isEqualTo(10);
        assertThat(h.getLong("client.apps.c.reset") + h.getLong("client.apps.c.errors") + h.getLong("client.apps.c.short"))
                .isZero();
        assertThat(h.getLong("client.apps.c.bytes_sent")).isEqualTo(10 * up);
        assertThat(h.getLong("server.apps.s.bytes_received")).isEqualTo(10 * up);
        assertThat(h.getLong("server.apps.s.bytes_sent")).isEqualTo(10 * down);
        assertThat(h.getLong("client.apps.c.bytes_received")).isEqualTo(10 * down);
        assertThat(h.getBoolean("client.apps.c.integrity_ok")).isTrue();
        assertThat(h.getBoolean("server.apps.s.integrity_ok")).isTrue();
        assertThat(h.getString("server.apps.s.received_crc32")).isEqualTo(h.getString("client.apps.c.sent_crc32"));
        assertThat(h.getString("client.apps.c.received_crc32")).isEqualTo(h.getString("server.apps.s.sent_crc32"));
        // the server saw each FIN, closed its side, and nothing was reset
        assertThat(h.getLong("server.apps.s.accepted")).isEqualTo(10);
        assertThat(h.getLong("server.apps.s.closed")).isEqualTo(10);
        assertThat(h.getLong("server.apps.s.reset")).isZero();
        assertThat(SlowAcceptScenarioTest.nstat(h, "server", "TcpEstabResets")).isZero();
        assertThat(SlowAcceptScenarioTest.nstat(h, "client", "TcpEstabResets")).isZero();
    }
}
