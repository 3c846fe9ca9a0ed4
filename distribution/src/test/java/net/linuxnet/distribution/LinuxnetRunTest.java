package net.linuxnet.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linuxnet run}: the default scenario, the JSON report, overrides, determinism. */
final class LinuxnetRunTest {

    @TempDir
    Path tmp;

    @Test
    void defaultScenarioOverflowsTheSinkBacklog() throws IOException {
        Path json = tmp.resolve("default.json");

        Cli.Result r = Cli.run("run", "--json", json.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("=== host gen ===", "=== host sink ===", "CPU_BACKLOG");
        Matcher m = Pattern.compile("CPU_BACKLOG\\s+(\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long drops = Long.parseLong(m.group(1));
        assertThat(drops).isGreaterThan(10_000);

        // one drop, four places: softnet dropped = CPU_BACKLOG = sink rx_dropped = gen tx_dropped
        Config report = ConfigFactory.parseString(Files.readString(json));
        Config sink = report.getConfig("hosts.sink");
        Config gen = report.getConfig("hosts.gen");
        assertThat(sink.getLong("drop_reasons.CPU_BACKLOG")).isEqualTo(drops);
        assertThat(sink.getConfigList("softnet").getFirst().getLong("dropped")).isEqualTo(drops);
        assertThat(sink.getLong("links.veth0.rx_dropped")).isEqualTo(drops);
        assertThat(gen.getLong("links.veth0.tx_dropped")).isEqualTo(drops);
        // and what got in is what the tap counted
        long in = gen.getLong("links.veth0.tx_packets");
        assertThat(sink.getLong("links.veth0.rx_packets")).isEqualTo(in);
        assertThat(sink.getConfigList("softnet").getFirst().getLong("processed")).isEqualTo(in);
        assertThat(sink.getLong("apps.tap.received")).isEqualTo(in);
        // through IPv4 into the socket, where the slow reader's buffer overflows
        long rcvbufErrors = sink.getLong("nstat.UdpRcvbufErrors");
        assertThat(rcvbufErrors).isGreaterThan(10_000);
        assertThat(sink.getLong("nstat.IpInReceives")).isEqualTo(in);
        assertThat(sink.getLong("nstat.UdpInDatagrams") + rcvbufErrors + sink.getLong("apps.sink.queued")).isEqualTo(in);
        assertThat(sink.getLong("drop_reasons.SOCKET_RCVBUFF")).isEqualTo(rcvbufErrors);
        assertThat(sink.getLong("apps.sink.received")).isEqualTo(sink.getLong("nstat.UdpInDatagrams"));
        assertThat(gen.getLong("skb.live")).isZero();
        assertThat(sink.getLong("skb.live")).isZero();
    }

    @Test
    void jsonOptionWritesTheReport() throws IOException {
        Path file = Scenarios.write(tmp, "good.conf", Scenarios.GOOD);
        Path json = tmp.resolve("out/sub/report.json");

        Cli.Result r = Cli.run("run", file.toString(), "--json", json.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(json).exists();
        assertThat(Files.readString(json)).contains("\"hosts\"", "\"skb\"", "\"run\"");
    }

    @Test
    void scenarioOutputJsonIsWrittenUnlessJsonOptionIsGiven() {
        Path fromScenario = tmp.resolve("scenario.json");
        Path fromOption = tmp.resolve("option.json");
        String text = Scenarios.GOOD.stripTrailing();
        text = text.substring(0, text.length() - 1)
                + "  output { json = \"" + fromScenario.toString().replace("\\", "/") + "\" }\n}\n";
        Path file = Scenarios.write(tmp, "with-output.conf", text);

        Cli.Result withOption = Cli.run("run", file.toString(), "--json", fromOption.toString());
        assertThat(withOption.code()).as(withOption.toString()).isZero();
        assertThat(fromOption).exists();
        assertThat(fromScenario).doesNotExist();

        Cli.Result plain = Cli.run("run", file.toString());
        assertThat(plain.code()).as(plain.toString()).isZero();
        assertThat(fromScenario).exists();
    }

    @Test
    void sameScenarioAndSeedGiveTheSameReport() throws IOException {
        Path file = Scenarios.write(tmp, "good.conf", Scenarios.GOOD);
        Path first = tmp.resolve("1.json");
        Path second = tmp.resolve("2.json");

        assertThat(Cli.run("run", file.toString(), "--seed", "11", "--json", first.toString()).code()).isZero();
        assertThat(Cli.run("run", file.toString(), "--seed", "11", "--json", second.toString()).code()).isZero();

        String a = withoutWallMs(Files.readString(first));
        String b = withoutWallMs(Files.readString(second));
        assertThat(a).contains("\"seed\": 11").isEqualTo(b);
    }

    @Test
    void seedDurationAndDefinesOverrideTheScenario() throws IOException {
        Path file = Scenarios.write(tmp, "good.conf", Scenarios.GOOD);
        Path json = tmp.resolve("o.json");

        Cli.Result r = Cli.run("run", file.toString(), "--seed", "5", "--duration", "10ms",
                "-D", "linuxnet.hosts.a.apps.p.rate=50kpps",
                "-D", "linuxnet.hosts.b.sysctl.\"net.core.netdev_max_backlog\"=100",
                "--json", json.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        Config report = ConfigFactory.parseString(Files.readString(json));
        assertThat(report.getLong("run.seed")).isEqualTo(5);
        assertThat(report.getLong("run.duration_ns")).isEqualTo(10_000_000L);
        // 50 kpps for 10 ms
        assertThat(report.getLong("hosts.a.apps.p.sent")).isBetween(499L, 501L);
    }

    @Test
    void aBadDefineIsAConfigError() {
        Path file = Scenarios.write(tmp, "good.conf", Scenarios.GOOD);

        Cli.Result r = Cli.run("run", file.toString(), "-D", "linuxnet.hosts.a.devices.v0.queues=0");

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("linuxnet.hosts.a.devices.v0.queues", "out of range").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingFileIsAUserError() {
        Cli.Result r = Cli.run("run", tmp.resolve("nope.conf").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope.conf: no such file").doesNotContain("Exception");
    }

    @Test
    void badCommandLinesExitWithTwo() {
        assertThat(Cli.run("run", "--no-such-option").code()).isEqualTo(2);
        assertThat(Cli.run("run", "--seed", "many").code()).isEqualTo(2);
        assertThat(Cli.run("frobnicate").code()).isEqualTo(2);
        assertThat(Cli.run("check").code()).isEqualTo(2);
        assertThat(Cli.run("run", "-D", "novalue").code()).isEqualTo(2);
        assertThat(Cli.run("run", "--plugins", tmp.resolve("none").toString()).err()).contains("no such directory");
    }

    @Test
    void helpExitsWithZero() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("run", "check", "plugins");
    }

    private static String withoutWallMs(String json) {
        return json.replaceAll("\"wall_ms\"\\s*:\\s*\\d+", "\"wall_ms\": 0");
    }
}
