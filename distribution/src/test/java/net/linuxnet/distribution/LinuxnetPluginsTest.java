package net.linuxnet.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linuxnet plugins}, and a third-party plugin installed into a plugins folder. */
final class LinuxnetPluginsTest {

    /** Copied here by the build (maven-dependency-plugin, process-test-resources). */
    private static final Path EXAMPLE_JAR = Path.of(System.getProperty("basedir", "."))
            .resolve("target/test-plugins/example/linuxnet-plugin-example.jar");

    /** A dummy device behind a count qdisc, fed by pktgen through the qdisc. */
    private static final String DUMMY_SCENARIO = """
            linuxnet {
              run { duration = 10ms, seed = 3 }
              hosts {
                h {
                  devices {
                    dummy0 { driver = dummy }
                  }
                  qdiscs {
                    dummy0.root { kind = count, limit = 100 }
                  }
                  apps {
                    p { kind = pktgen, dev = dummy0, dst = "10.0.0.2", rate = 100kpps, xmit-mode = queue_xmit }
                  }
                }
              }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void listsTheBuiltInPlugins() {
        Cli.Result r = Cli.run("plugins");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().lines().toList())
                .anySatisfy(l -> assertThat(l).startsWith("KIND").contains("NAME", "CLASS", "SOURCE"))
                .anySatisfy(l -> assertThat(l).matches("driver\\s+veth\\s+builtin\\s+\\S+Veth\\s+\\S+"))
                .anySatisfy(l -> assertThat(l).matches("driver\\s+loopback\\s+builtin\\s+.*"))
                .anySatisfy(l -> assertThat(l).matches("qdisc\\s+pfifo\\s+builtin\\s+.*"))
                .anySatisfy(l -> assertThat(l).matches("application\\s+pktgen\\s+builtin\\s+.*"));
        assertThat(r.out().lines().toList()).noneMatch(l -> l.matches("driver\\s+dummy\\s.*"));
    }

    @Test
    void tableColumnsAreAligned() {
        Cli.Result r = Cli.run("plugins");

        var rows = r.out().lines().filter(l -> !l.startsWith("plugins directory")).toList();
        int nameColumn = rows.getFirst().indexOf("NAME");
        int classColumn = rows.getFirst().indexOf("CLASS");
        assertThat(rows).allSatisfy(l -> {
            assertThat(l.charAt(nameColumn - 1)).isEqualTo(' ');
            assertThat(l.charAt(nameColumn)).isNotEqualTo(' ');
            assertThat(l.charAt(classColumn - 1)).isEqualTo(' ');
            assertThat(l.charAt(classColumn)).isNotEqualTo(' ');
        });
    }

    @Test
    void pluginFolderAddsTheExampleDriverAndQdisc() throws IOException {
        assertThat(EXAMPLE_JAR).as("built by the reactor and copied by maven-dependency-plugin").exists();
        Path plugins = tmp.resolve("plugins");
        Files.createDirectories(plugins.resolve("example"));
        Files.copy(EXAMPLE_JAR, plugins.resolve("example/linuxnet-plugin-example.jar"));
        Path file = Scenarios.write(tmp, "dummy.conf", DUMMY_SCENARIO);

        Cli.Result list = Cli.run("plugins", "--plugins", plugins.toString());
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out().lines().toList())
                .anySatisfy(l -> assertThat(l).matches("driver\\s+dummy\\s+example\\s+\\S+\\s+linuxnet-plugin-example\\.jar"))
                .anySatisfy(l -> assertThat(l).matches("qdisc\\s+count\\s+example\\s+\\S+\\s+linuxnet-plugin-example\\.jar"))
                .anySatisfy(l -> assertThat(l).matches("driver\\s+veth\\s+builtin\\s+.*"));

        Cli.Result check = Cli.run("check", file.toString(), "--plugins", plugins.toString());
        assertThat(check.code()).as(check.toString()).isZero();

        Path json = tmp.resolve("dummy.json");
        Cli.Result run = Cli.run("run", file.toString(), "--plugins", plugins.toString(), "--json", json.toString());
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("dummy0", "qdisc count");
        assertThat(Files.readString(json)).contains("\"dummy0\"", "\"count\"");
    }

    @Test
    void withoutThePluginFolderTheDummyDriverIsUnknown() {
        Path file = Scenarios.write(tmp, "dummy.conf", DUMMY_SCENARIO);

        Cli.Result r = Cli.run("check", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("dummy.conf:6: ", "unknown driver 'dummy'", "veth");

        Path onLo = Scenarios.write(tmp, "count.conf", DUMMY_SCENARIO.replace("dummy0.root", "lo.root"));
        Cli.Result q = Cli.run("check", onLo.toString());
        assertThat(q.code()).isEqualTo(2);
        assertThat(q.err()).contains("count.conf:9: ", "unknown qdisc 'count'", "pfifo");
    }
}
