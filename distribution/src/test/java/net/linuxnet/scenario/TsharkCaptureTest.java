package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.linuxnet.core.host.World;
import net.linuxnet.core.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's own dissectors read our captures: every frame is Ethernet/IPv4/UDP with good IP
 * and UDP checksums, none is malformed, and the time stamps are the simulated nanoseconds.
 * {@code .ci/run} installs Debian's tshark; without it the test is skipped with a reason.
 */
final class TsharkCaptureTest {

    @TempDir
    Path tmp;

    private static final String SCENARIO = """
            linuxnet {
              run { duration = 2ms, seed = 7 }
              hosts {
                a { devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a" } }
                    apps { gen { kind = pktgen, dev = veth0, dst-mac = "02:00:00:00:00:0b", src = "10.0.0.1",
                                 dst = "10.0.0.2", rate = 100kpps, size = 300, flows = 8, xmit-mode = %s } } }
                b { devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b" } }
                    apps { tap { kind = af-packet, dev = veth0 } } }
              }
              output { pcap = [ a.veth0, b.veth0 ], pcap-dir = "%s" }
            }
            """;

    static boolean hasTshark() {
        try {
            return new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs tshark with {@code args} and returns its standard output lines. */
    static List<String> tshark(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark %s", cmd).isZero();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static void assumeTshark() {
        boolean tshark = hasTshark();
        if (!tshark) {
            System.out.println("TsharkCaptureTest skipped: tshark is not installed (.ci/run installs it with apt-get)");
        }
        assumeTrue(tshark, "tshark is not installed");
    }

    private World run(String xmitMode) {
        return VethScenarioTest.run(SCENARIO.formatted(xmitMode, tmp.toString().replace("\\", "/")));
    }

    /** Frames sent through {@code dev_queue_xmit} pass the taps on the sender too ({@code dev_queue_xmit_nit}). */
    @Test
    void tsharkFindsNoMalformedFrameAndGoodChecksums() throws Exception {
        assumeTshark();
        World w = run("queue_xmit");
        @SuppressWarnings("unchecked")
        long received = (long) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                Report.build(w).get("hosts")).get("b")).get("apps")).get("tap")).get("received");

        for (String dev : new String[] {"a.veth0", "b.veth0"}) {
            String file = tmp.resolve(dev + ".pcap").toString();
            List<String> frames = tshark("-r", file, "-T", "fields", "-e", "frame.protocols", "-e", "ip.checksum.status",
                    "-e", "udp.checksum.status", "-e", "frame.time_epoch");
            assertThat(frames).hasSize((int) received);
            // ip and udp checksums good (1); the UDP payload is dissected by the port's protocol
            // (daytime on 13), and Wireshark's pktgen dissector recognizes pktgen's header
            assertThat(frames).allSatisfy(f -> assertThat(f).startsWith("eth:ethertype:ip:udp:").contains("\t1\t1\t0.00"));
            assertThat(frames).anySatisfy(f -> assertThat(f).startsWith("eth:ethertype:ip:udp:pktgen:data\t"));
            assertThat(tshark("-r", file, "-Y", "_ws.malformed || _ws.expert.severity >= \"Warning\""
                    + " || ip.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\"")).isEmpty();
        }
        // 100 kpps: frames 10 us apart, with nanosecond resolution
        List<String> times = tshark("-r", tmp.resolve("b.veth0.pcap").toString(), "-T", "fields", "-e", "frame.time_delta",
                "-c", "3");
        assertThat(times.get(1)).startsWith("0.0000").hasSize(11);
    }

    /** pktgen's default mode calls {@code ndo_start_xmit} itself, so a capture on the sender sees nothing, as on Linux. */
    @Test
    void pktgenStartXmitBypassesTheSendersTaps() throws Exception {
        assumeTshark();
        run("start_xmit");
        assertThat(tshark("-r", tmp.resolve("a.veth0.pcap").toString())).isEmpty();
        assertThat(tshark("-r", tmp.resolve("b.veth0.pcap").toString())).isNotEmpty();
    }
}
