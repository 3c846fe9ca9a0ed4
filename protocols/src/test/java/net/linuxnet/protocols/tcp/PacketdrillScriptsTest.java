package net.linuxnet.protocols.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.linuxnet.core.testing.TestWorlds;
import net.linuxnet.packetdrill.PacketdrillRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every packetdrill script under {@code src/test/packetdrill} against the model, one
 * dynamic test per script. A script whose first line is {@code // linuxnet: pending REASON}
 * describes Linux behaviour the model does not have yet: it is only parsed ({@code --dry_run}),
 * then skipped with the reason.
 * {@code -Dpacketdrill.only=TEXT} runs only the scripts whose path contains TEXT.
 */
final class PacketdrillScriptsTest {
    static final Path ROOT = Path.of("src/test/packetdrill");
    static final String PENDING = "// linuxnet: pending";

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            String only = System.getProperty("packetdrill.only", "");
            files = s.filter(p -> p.toString().endsWith(".pkt") && p.toString().contains(only)).sorted().toList();
        }
        assertThat(files).as("scripts under " + ROOT.toAbsolutePath()).isNotEmpty();
        PacketdrillRunner runner = new PacketdrillRunner(TestWorlds.plugins(), Map.of(), true);
        return files.stream().map(f -> DynamicTest.dynamicTest(ROOT.relativize(f).toString(), f.toUri(), () -> {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            String first = text.lines().findFirst().orElse("");
            if (first.startsWith(PENDING)) {
                String reason = first.substring(PENDING.length()).strip();
                PacketdrillRunner.Result parsed = new PacketdrillRunner(TestWorlds.plugins(), Map.of("dry_run", ""), true).run(f);
                if (!parsed.passed()) {
                    throw new AssertionError("a pending script must still parse: " + parsed.message());
                }
                System.out.println("SKIP " + f + ": pending: " + reason);
                Assumptions.abort("pending: " + reason);
            }
            PacketdrillRunner.Result r = runner.run(f);
            if (!r.passed()) {
                throw new AssertionError(r.message());
            }
        }));
    }

    static final String LISTEN = """
            0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0  bind(3, ..., ...) = 0
            +0  listen(3, 1) = 0
            +0  < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
            """;

    static String run(String text) {
        PacketdrillRunner.Result r = new PacketdrillRunner(TestWorlds.plugins(), Map.of(), true).run("t.pkt", text);
        return r.passed() ? "PASS" : r.message();
    }

    @Test
    void aMismatchNamesTheFieldAndShowsBothPackets() {
        assertThat(run(LISTEN + "+0 > S. 0:0(0) ack 2 <...>\n")).startsWith("""
                t.pkt:5: error handling packet: bad outbound TCP ack: expected 2 vs actual 1
                  expected: > S. 0:0(0) ack 2 <...>
                  actual:   > 8080>48000 S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val""");
        assertThat(run(LISTEN + "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 8>\n"))
                .startsWith("t.pkt:5: error handling packet: bad outbound TCP option wscale: expected 8 vs actual 7");
        assertThat(run(LISTEN + "+0 > S. 0:0(0) ack 1\n"))
                .startsWith("t.pkt:5: error handling packet: bad outbound TCP options: expected 0 options vs actual 5");
    }

    @Test
    void timingIsCheckedWithPacketdrillsTolerance() {
        assertThat(run(LISTEN + "+0.005 > S. 0:0(0) ack 1 <...>\n")).startsWith(
                "t.pkt:5: error handling packet: timing error: expected outbound packet at 0.005000 s but it was sent at 0.000002 s"
                        + " (tolerance 4000 us)");
        assertThat(run(LISTEN + "+0.003 > S. 0:0(0) ack 1 <...>\n")).isEqualTo("PASS");
        assertThat(run(LISTEN + "+0 > S. 0:0(0) ack 1 <...>\n+.5 > S. 0:0(0) ack 1 <...>\n")).startsWith(
                "t.pkt:6: error handling packet: timing error: expected outbound packet at 0.50000");
        assertThat(run(LISTEN + "+0 > S. 0:0(0) ack 1 <...>\n+.5 > S. 0:0(0) ack 1 <...>\n")).contains(
                " s but it was sent at 1.00000").contains(" s (tolerance 62500 us)");
        assertThat(run(LISTEN + "+0 > S. 0:0(0) ack 1 <...>\n+0 > . 1:1(0) ack 1\n"))
                .startsWith("t.pkt:6: error handling packet: bad outbound TCP flags: expected . vs actual S.");
    }

    @Test
    void syscallResultsAndErrnos() {
        assertThat(run(LISTEN + "+0 accept(3, ..., ...) = 4\n"))
                .isEqualTo("t.pkt:5: error: accept blocked and did not return (a call that may block needs a start...end time)");
        assertThat(run(LISTEN + "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 100,nop,wscale 7>\n+0...0.1 accept(3, ..., ...) = 4\n+.05 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 200 ecr 100>\n"))
                .startsWith("t.pkt:6: error: timing error: accept expected to return at 0.10000");
        assertThat(run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 listen(3, 1) = 0\n+0 listen(4, 1) = 0\n"))
                .isEqualTo("t.pkt:3: error: listen: expected result 0 but got -1 with errno EBADF (9)");
        assertThat(run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3) = -1 EBADF (Bad file descriptor)\n"))
                .isEqualTo("t.pkt:2: error: close: expected result -1 with errno EBADF but got 0");
        assertThat(run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 poll([{fd=3, events=POLLIN}], 1, 0) = 0\n"))
                .startsWith("t.pkt:2: error: unsupported system call 'poll'");
    }

    @Test
    void unsupportedCommandsAndCodeFailNamingThem() {
        assertThat(run("0 `ls /tmp`\n")).isEqualTo("t.pkt:1: error: unsupported command: `ls /tmp`");
        assertThat(run("0 `sysctl -q net.ipv4.tcp_frto=2`\n"))
                .isEqualTo("t.pkt:1: error: unsupported command: `sysctl -q net.ipv4.tcp_frto=2`: sysctl net.ipv4.tcp_frto is not modelled");
        assertThat(run("0 `tc qdisc add dev tun0 root fq`\n")).startsWith("t.pkt:1: error: unsupported command: `tc qdisc add dev tun0 root fq`");
        assertThat(run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{ import os }%\n"))
                .startsWith("t.pkt:2: error: ");
        assertThat(run("--ip_version=ipv6\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"))
                .isEqualTo("t.pkt: error: unsupported --ip_version=ipv6: this runner models IPv4 only");
    }

    @Test
    void shellOperationsActOnTheModel() {
        assertThat(run("""
                `../common/defaults.sh`
                0 `sysctl -q net.ipv4.tcp_syncookies=0 net.core.somaxconn=128`
                +0 `echo 2 > /proc/sys/net/ipv4/tcp_synack_retries`
                +0 `set_sysctls.py /proc/sys/net/ipv4/tcp_abort_on_overflow=1`
                +0 `ip link set dev tun0 mtu 1400`
                +0 `ethtool -K tun0 tso off gso off`
                +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 bind(3, ..., ...) = 0
                +0 listen(3, 1) = 0
                +0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
                +0 > S. 0:0(0) ack 1 <mss 1360,sackOK,TS val 100 ecr 100,nop,wscale 8>
                1 > S. 0:0(0) ack 1 <...>
                3 > S. 0:0(0) ack 1 <...>
                +0 `nstat -n`
                +0 `! nstat | grep -q TcpRetransSegs`
                +0 `nstat -as | grep TcpRetransSegs | grep -q " 2 "`
                """)).isEqualTo("PASS");
    }
}
