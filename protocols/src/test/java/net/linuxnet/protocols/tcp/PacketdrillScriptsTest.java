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
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every packetdrill script under {@code src/test/packetdrill} against the model, one
 * dynamic test per script. A script whose first line is {@code // linuxnet: pending REASON}
 * describes Linux behaviour the model does not have yet: it is skipped with the reason.
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
                System.out.println("SKIP " + f + ": pending: " + reason);
                Assumptions.abort("pending: " + reason);
            }
            PacketdrillRunner.Result r = runner.run(f);
            if (!r.passed()) {
                throw new AssertionError(r.message());
            }
        }));
    }
}
