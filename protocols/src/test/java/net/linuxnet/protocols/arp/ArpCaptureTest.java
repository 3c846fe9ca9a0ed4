package net.linuxnet.protocols.arp;

import static net.linuxnet.protocols.arp.ArpWorld.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ARP frames on the wire, read back by tshark: well formed, the opcodes and addresses expected. */
final class ArpCaptureTest {
    private static final long MS = 1_000_000L;

    private static boolean hasTshark() {
        try {
            return new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static List<String> tshark(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(p.exitValue()).as("tshark %s", cmd).isZero();
        return out.lines().toList();
    }

    @Test
    void gratuitousRequestAndReplyAreWellFormedOnTheWire(@TempDir Path tmp) throws Exception {
        assumeTrue(hasTshark(), "tshark is not installed");
        ArpWorld w = new ArpWorld("", "", "output { pcap = [ a.eth0, b.eth0 ], pcap-dir = \"" + tmp + "\" }");
        w.sendAt(w.a, 1 * MS, B, 1);
        w.world.runUntil(10 * MS);
        w.world.finish();

        String b = tmp.resolve("b.eth0.pcap").toString();
        assertThat(Files.exists(Path.of(b))).isTrue();
        List<String> arp = tshark("-r", b, "-Y", "arp", "-T", "fields", "-e", "arp.opcode", "-e", "arp.src.proto_ipv4",
                "-e", "arp.dst.proto_ipv4", "-e", "eth.dst", "-e", "arp.isgratuitous");
        // b's and a's announcements, a's request, b's reply: b's capture sees both directions
        assertThat(arp).contains("1\t10.0.0.2\t10.0.0.2\tff:ff:ff:ff:ff:ff\t1",
                "1\t10.0.0.1\t10.0.0.1\tff:ff:ff:ff:ff:ff\t1",
                "1\t10.0.0.1\t10.0.0.2\tff:ff:ff:ff:ff:ff\t",
                "2\t10.0.0.2\t10.0.0.1\t02:00:00:00:00:01\t");
        assertThat(tshark("-r", b, "-Y", "_ws.malformed || _ws.expert.severity >= \"Warning\"")).isEmpty();
        assertThat(tshark("-r", b, "-Y", "ip", "-T", "fields", "-e", "eth.dst")).containsExactly("02:00:00:00:00:02");
    }
}
