package net.linuxnet.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code linuxnet check}: a good file passes, each kind of mistake fails with file:line and the choices. */
final class LinuxnetCheckTest {

    @TempDir
    Path tmp;

    /** Every example the distribution ships in {@code conf/examples}. */
    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("src/main/conf/examples")).filter(f -> f.toString().endsWith(".conf")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyShippedExampleIsValid(Path example) {
        Cli.Result r = Cli.run("check", example.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains(": ok (");
    }

    @Test
    void goodFileIsOk() {
        Path file = Scenarios.write(tmp, "good.conf", Scenarios.GOOD);

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        // a and b each have lo and v0; pktgen p and af-packet tap
        assertThat(r.out()).isEqualTo(file + ": ok (2 hosts, 4 devices, 2 apps)" + System.lineSeparator());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void embeddedDefaultScenarioIsOk() {
        Path file = Scenarios.write(tmp, "default.conf", Linuxnet.defaultScenario());

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ok (2 hosts, 4 devices, 4 apps)");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // what is spoiled, into what, the text on the line the error names, what the message says
                Arguments.of("devices {", "devces {", "devces",
                        new String[] {"linuxnet.hosts.a.devces", "unknown key", "devices"}),
                Arguments.of("driver = veth", "driver = vethh", "vethh",
                        new String[] {"unknown driver 'vethh'", "veth", "loopback"}),
                Arguments.of("queues = 1", "queues = 0", "queues = 0",
                        new String[] {"linuxnet.hosts.a.devices.v0.queues", "out of range", "1..64"}),
                Arguments.of("rate = 100kpps", "rate = fast", "rate = fast",
                        new String[] {"'fast' is not a rate", "kpps", "mbit"}),
                Arguments.of("\"net.core.netdev_max_backlog\" = 1000", "\"net.core.netdev_max_backlg\" = 1000", "netdev_max_backlg",
                        new String[] {"unknown sysctl", "net.core.netdev_max_backlog", "net.core.somaxconn"}),
                Arguments.of("kind = pfifo", "kind = sfq", "kind = sfq",
                        new String[] {"unknown qdisc 'sfq'", "pfifo", "bfifo"}));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void mistakeIsReportedWithFileLineAndChoices(String from, String to, String onLine, String[] says) {
        String text = Scenarios.spoil(from, to);
        Path file = Scenarios.write(tmp, "bad.conf", text);

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).as(r.toString())
                .contains("bad.conf:" + Scenarios.lineOf(text, onLine) + ": ")
                .contains(says)
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnknownCongestionControlIsReportedWhereTheSysctlIsSetAndNothingElse() {
        Path file = Scenarios.write(tmp, "cc.conf", """
                linuxnet {
                  hosts {
                    a {
                      sysctl { "net.ipv4.tcp_congestion_control" = vegas }
                      devices { v0 { driver = veth, peer = "b.v0", addresses = ["10.0.0.1/24"] } }
                    }
                    b { devices { v0 { driver = veth, addresses = ["10.0.0.2/24"] } } }
                  }
                }
                """);

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("cc.conf:4: linuxnet.hosts.a.sysctl.\"net.ipv4.tcp_congestion_control\": "
                + "net.ipv4.tcp_congestion_control = vegas: no such congestion control (available: cubic, reno)");
    }

    @Test
    void aMalformedTcpRmemIsReportedWhereItIsSet() {
        Path file = Scenarios.write(tmp, "rmem.conf", """
                linuxnet {
                  hosts {
                    a {
                      sysctl { "net.ipv4.tcp_rmem" = "4096 lots" }
                      devices { v0 { driver = veth, peer = "b.v0", addresses = ["10.0.0.1/24"] } }
                    }
                    b { devices { v0 { driver = veth, addresses = ["10.0.0.2/24"] } } }
                  }
                }
                """);

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("rmem.conf:4: linuxnet.hosts.a.sysctl.\"net.ipv4.tcp_rmem\": "
                + "net.ipv4.tcp_rmem = 4096 lots: expected 3 numbers separated by spaces (min default max)");
    }

    @Test
    void everyMistakeIsReportedAtOnce() {
        String text = Scenarios.GOOD.replace("driver = veth\n          queues = 1", "driver = vethh\n          queues = 1")
                .replace("rate = 100kpps", "rate = fast");
        Path file = Scenarios.write(tmp, "bad.conf", text);

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("bad.conf:"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(r.err()).contains("vethh", "'fast'");
    }

    @Test
    void syntaxErrorIsAConfigError() {
        Path file = Scenarios.write(tmp, "broken.conf", "linuxnet {\n  run { duration = 1s\n");

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("broken.conf:").doesNotContain("\tat ");
    }
}
