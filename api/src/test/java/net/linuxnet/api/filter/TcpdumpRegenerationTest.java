package net.linuxnet.api.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the command in the header of each stored program (see {@link TcpdumpPrograms}) with the
 * {@code tcpdump} on PATH and checks that it prints the stored program. Skipped, with the
 * reason printed, when there is no {@code tcpdump}; skipped too when the output differs and
 * the installed tcpdump or libpcap is not the version that made the file (another libpcap may
 * compile an expression differently).
 */
final class TcpdumpRegenerationTest {

    private static Path tcpdump;
    private static String tcpdumpVersion;
    private static String libpcapVersion;

    @BeforeAll
    static void findTcpdump() throws IOException, InterruptedException {
        tcpdump = onPath("tcpdump").orElse(null);
        if (tcpdump == null) {
            return;
        }
        String out = execute(List.of(tcpdump.toString(), "--version"), true);
        tcpdumpVersion = versionAfter(out, "tcpdump version ");
        libpcapVersion = versionAfter(out, "libpcap version ");
    }

    static Stream<String> names() {
        return TcpdumpPrograms.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void tcpdumpStillPrintsTheStoredProgram(String name) throws IOException, InterruptedException {
        TcpdumpPrograms.Header header = TcpdumpPrograms.header(name);
        if (tcpdump == null) {
            skip("tcpdump is not on PATH (" + System.getenv("PATH") + "); not regenerating " + name);
        }
        List<String> command = header.command();
        String out = execute(Stream.concat(Stream.of(tcpdump.toString()), command.stream().skip(1)).toList(), false);
        SockFprog regenerated = SockFprog.parseTcpdumpDd(out);
        SockFprog stored = TcpdumpPrograms.load(name);

        if (!regenerated.equals(stored)
                && !(header.tcpdumpVersion().equals(tcpdumpVersion) && header.libpcapVersion().equals(libpcapVersion))) {
            skip(name + " was made by tcpdump " + header.tcpdumpVersion() + ", libpcap " + header.libpcapVersion()
                    + "; tcpdump " + tcpdumpVersion + ", libpcap " + libpcapVersion + " on PATH prints another program:\n"
                    + out);
        }
        assertThat(regenerated.toTcpdumpDd())
                .as("%s printed by %s (tcpdump %s, libpcap %s)", String.join(" ", command), tcpdump,
                        tcpdumpVersion, libpcapVersion)
                .isEqualTo(stored.toTcpdumpDd());
    }

    private static void skip(String reason) {
        System.out.println("TcpdumpRegenerationTest skipped: " + reason);
        abort(reason);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a command with no input; returns its output (with the error stream when {@code withStderr}). */
    private static String execute(List<String> command, boolean withStderr) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (withStderr) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static String versionAfter(String text, String prefix) {
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).split("\\s+")[0])
                .findFirst()
                .orElse("unknown");
    }
}
