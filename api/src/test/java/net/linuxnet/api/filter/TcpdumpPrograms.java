package net.linuxnet.api.filter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The programs real {@code tcpdump -dd} printed, kept as test resources under
 * {@code net/linuxnet/api/filter/tcpdump/<linktype>/<name>.dd}. Each file opens with one
 * comment line that gives the exact command and the versions that made it:
 *
 * <pre>
 *   # tcpdump -y EN10MB -dd 'udp dst port 53' -- tcpdump 4.99.3, libpcap 1.10.3
 * </pre>
 */
final class TcpdumpPrograms {

    static final String ROOT = "/net/linuxnet/api/filter/tcpdump/";

    private static final Pattern HEADER = Pattern.compile(
            "# tcpdump -y (\\S+) -dd '([^']*)' -- tcpdump (\\S+), libpcap (\\S+)");

    /** What the header line of a stored program says. */
    record Header(String linkType, String expression, String tcpdumpVersion, String libpcapVersion) {
        /** The command, as a shell would split it. */
        List<String> command() {
            return List.of("tcpdump", "-y", linkType, "-dd", expression);
        }
    }

    private TcpdumpPrograms() {
    }

    /** The stored programs, as paths below {@link #ROOT} such as {@code en10mb/tcp.dd}, sorted. */
    static Stream<String> names() {
        URL root = TcpdumpPrograms.class.getResource(ROOT);
        if (root == null) {
            throw new IllegalStateException(ROOT + " is not on the test class path");
        }
        try {
            Path dir = Path.of(root.toURI());
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(p -> p.toString().endsWith(".dd"))
                        .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                        .sorted()
                        .toList()
                        .stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file's text. */
    static String text(String name) {
        try (InputStream in = TcpdumpPrograms.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no stored program " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored program. */
    static SockFprog load(String name) {
        return SockFprog.parseTcpdumpDd(text(name));
    }

    /** The stored program, checked and ready to run. */
    static BpfProg prog(String name) {
        try {
            return BpfProg.create(load(name));
        } catch (BpfCheckException e) {
            throw new AssertionError(name + " was refused: " + e.getMessage(), e);
        }
    }

    /** The header line of the file. */
    static Header header(String name) {
        String first = text(name).lines().findFirst().orElse("");
        Matcher m = HEADER.matcher(first);
        if (!m.matches()) {
            throw new IllegalStateException(name + ": the first line '" + first
                    + "' is not a header like # tcpdump -y EN10MB -dd 'tcp' -- tcpdump 4.99.3, libpcap 1.10.3");
        }
        return new Header(m.group(1), m.group(2), m.group(3), m.group(4));
    }
}
