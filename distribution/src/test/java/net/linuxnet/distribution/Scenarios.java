package net.linuxnet.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small scenario files for the tests. */
final class Scenarios {

    /**
     * A valid scenario, one setting a line, so that a test can spoil one of them: host {@code a}
     * sends with pktgen through a veth pair to host {@code b}, which counts with an AF_PACKET tap.
     */
    static final String GOOD = """
            linuxnet {
              run {
                duration = 20ms
                seed = 7
              }
              hosts {
                a {
                  cpus = 1
                  sysctl {
                    "net.core.netdev_max_backlog" = 1000
                  }
                  devices {
                    v0 {
                      driver = veth
                      queues = 1
                      peer = "b.v0"
                      mac = "02:00:00:00:00:01"
                    }
                  }
                  qdiscs {
                    v0.root {
                      kind = pfifo
                    }
                  }
                  apps {
                    p {
                      kind = pktgen
                      dev = v0
                      dst-mac = "02:00:00:00:00:02"
                      dst = "10.0.0.2"
                      rate = 100kpps
                    }
                  }
                }
                b {
                  devices {
                    v0 {
                      driver = veth
                      mac = "02:00:00:00:00:02"
                    }
                  }
                  apps {
                    tap {
                      kind = af-packet
                    }
                  }
                }
              }
            }
            """;

    private Scenarios() {
    }

    /** {@link #GOOD} with the first {@code from} replaced by {@code to}. */
    static String spoil(String from, String to) {
        if (!GOOD.contains(from)) {
            throw new IllegalArgumentException(from);
        }
        return GOOD.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    /** The 1-based number of the first line of {@code text} that contains {@code needle}. */
    static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(needle + " not in the scenario");
    }

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
