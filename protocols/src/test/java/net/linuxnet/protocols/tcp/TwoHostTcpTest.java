package net.linuxnet.protocols.tcp;

import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two hosts, {@code a} (10.0.0.1) and {@code b} (10.0.0.2), joined by a veth pair over the
 * IPv4 and ARP modules, stepped by the test; the world is finished (drained, skbs balanced)
 * after each test.
 */
abstract class TwoHostTcpTest {
    static final int A = SockaddrIn.aton("10.0.0.1");
    static final int B = SockaddrIn.aton("10.0.0.2");
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    private static final String TWO_HOSTS = """
            linuxnet {
              run { duration = 1s, seed = %d }
              hosts {
                a { cpus = 1
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } } }
                b { cpus = 1
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } } }
              }
            }
            """;

    private final int seed;
    World w;
    Host a;
    Host b;

    TwoHostTcpTest(int seed) {
        this.seed = seed;
    }

    @BeforeEach
    void setUpHosts() {
        w = TestWorlds.build(TWO_HOSTS.formatted(seed));
        a = w.host("a");
        b = w.host("b");
        w.runUntil(0);
    }

    @AfterEach
    void finishWorld() {
        w.finish();
    }

    void advance(long ns) {
        w.runUntil(w.scheduler().now() + ns);
    }

    static long mib(Host h, String name) {
        return h.mib(name).get();
    }

    static TcpSock tsk(Host h, int fd) {
        return (TcpSock) h.sockfdLookup(fd).sk;
    }
}
