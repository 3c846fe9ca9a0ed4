package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.linuxnet.distribution.Linuxnet;

/**
 * Runs scenarios as a user does, {@code linuxnet run FILE --json REPORT ARGS...}, and reads
 * the JSON report back; every run must exit 0 and leave no skb live on any host.
 */
final class LinuxnetRuns {
    /** The example scenarios the distribution ships in {@code conf/examples}. */
    static final Path EXAMPLES = Path.of("src/main/conf/examples");

    private LinuxnetRuns() {
    }

    /** Runs {@code file} with {@code args} (such as {@code -D key=value}); returns the report's {@code hosts}. */
    static Config run(Path tmp, Path file, String... args) throws IOException {
        Path json = tmp.resolve(file.getFileName() + "-" + System.nanoTime() + ".json");
        List<String> cmd = new ArrayList<>(List.of("run", file.toString(), "--json", json.toString()));
        cmd.addAll(List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Linuxnet.execute(cmd.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Config hosts = ConfigFactory.parseString(Files.readString(json)).getConfig("hosts");
        for (String host : hosts.root().keySet()) {
            assertThat(hosts.getLong(host + ".skb.live")).as("skb.live of " + host).isZero();
        }
        return hosts;
    }

    /** Runs {@code conf/examples/<example>.conf} with {@code args}. */
    static Config runExample(Path tmp, String example, String... args) throws IOException {
        return run(tmp, EXAMPLES.resolve(example + ".conf"), args);
    }

    /** {@code -D} before each override. */
    static String[] defines(String... overrides) {
        List<String> args = new ArrayList<>();
        for (String o : overrides) {
            args.add("-D");
            args.add(o);
        }
        return args.toArray(String[]::new);
    }

    /** The first {@code tc -s qdisc} row of {@code dev} on {@code host}. */
    static Config qdisc(Config hosts, String host, String dev) {
        return hosts.getConfigList(host + ".qdiscs").stream().filter(q -> q.getString("dev").equals(dev)).findFirst()
                .orElseThrow();
    }
}
