package net.linuxnet.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import net.linuxnet.apps.tcp.TcpClient;
import net.linuxnet.apps.tcp.TcpServer;
import net.linuxnet.core.config.ScenarioLoader;
import net.linuxnet.core.config.WorldBuilder;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.plugin.PluginManager;

/**
 * The heap one established, idle TCP connection retains, both ends counted: the client's socket,
 * file descriptor and {@code tcp_sock}, the server's child socket, and what {@code tcp-server}
 * keeps per accepted connection. Not a JMH benchmark (JMH measures time and allocation, not
 * retained size): a program that builds two hosts joined by a veth pair, lets each open
 * {@code N / 2} connections to the other's {@code tcp-server} (both directions, because the
 * model gives each host's connect an ephemeral port of its own, at most 64 512 of them), runs
 * until all {@code N} are established and accepted, and compares the heap after a full GC with
 * the heap after the first {@value #BASE} connections per host.
 *
 * <pre>
 *   java -Xmx4g -cp benchmarks/target/benchmarks.jar net.linuxnet.benchmarks.TcpConnectionMemory 100000
 * </pre>
 *
 * Prints the connections, the heap before and after, and the bytes per connection; exits 1 if
 * not every connection was established.
 */
public final class TcpConnectionMemory {
    /** Connections per host before the first measurement: the baseline's. */
    static final int BASE = 1000;
    /** Connects per second per client. */
    static final int RATE = 50_000;

    private static final String SCENARIO = """
            linuxnet {
              hosts {
                a { sysctl { "net.ipv4.ip_local_port_range" = "1024 65535" }
                    devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                    apps { srv { kind = tcp-server, listen = "10.0.0.1:80", backlog = 4096, accept-rate = "1000000/s", sample-interval = 0 }
                           cli { kind = tcp-client, dst = "10.0.0.2:80", connections = %1$d, concurrency = %1$d, rate = "%2$d/s", connect-timeout = 60s } } }
                b { sysctl { "net.ipv4.ip_local_port_range" = "1024 65535" }
                    devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                    apps { srv { kind = tcp-server, listen = "10.0.0.2:80", backlog = 4096, accept-rate = "1000000/s", sample-interval = 0 }
                           cli { kind = tcp-client, dst = "10.0.0.1:80", connections = %1$d, concurrency = %1$d, rate = "%2$d/s", connect-timeout = 60s } } }
              }
            }
            """;

    private TcpConnectionMemory() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perHost = n / 2;
        if (perHost <= BASE || perHost > 64_512) {
            throw new IllegalArgumentException("N: " + n + " (expected: " + (2 * BASE + 2) + ".." + 2 * 64_512 + ")");
        }
        PluginManager plugins = PluginManager.load(TcpConnectionMemory.class.getClassLoader(), null);
        World world = WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(SCENARIO.formatted(perHost, RATE),
                "tcp-memory.conf"), Map.of(), plugins.referenceConfig()), plugins, false);
        TcpClient[] clients = world.apps().stream().filter(a -> a.name().equals("cli")).map(a -> (TcpClient) a.app())
                .toArray(TcpClient[]::new);
        TcpServer[] servers = world.apps().stream().filter(a -> a.name().equals("srv")).map(a -> (TcpServer) a.app())
                .toArray(TcpServer[]::new);

        long wall0 = System.nanoTime();
        long t = 0;
        while (established(clients, servers) < 2L * BASE) {
            t += 1_000_000;
            world.runUntil(t);
        }
        long c0 = established(clients, servers);
        long h0 = heapAfterGc();
        long deadline = t + 10_000_000_000L + 2L * perHost * 1_000_000_000L / RATE;
        while (established(clients, servers) < n && t < deadline) {
            t += 10_000_000;
            world.runUntil(t);
        }
        long c1 = established(clients, servers);
        long h1 = heapAfterGc();
        long wallMs = (System.nanoTime() - wall0) / 1_000_000;
        long per = (h1 - h0) / Math.max(1, c1 - c0);
        long max = Runtime.getRuntime().maxMemory();
        System.out.printf("connections established: %d of %d (simulated %.3f s, wall %d ms)%n", c1, n, t / 1e9, wallMs);
        System.out.printf("heap after full GC: %,d bytes at %d connections, %,d bytes at %d%n", h0, c0, h1, c1);
        System.out.printf("retained per established idle connection (both ends): %,d bytes%n", per);
        System.out.printf("100 000 connections by this figure: %,d MB (max heap %,d MB)%n",
                per * 100_000 / (1 << 20), max / (1 << 20));
        for (Host h : world.hosts().values()) {
            System.out.printf("host %s: %d skbs live%n", h.hostname(), h.pool().live());
        }
        if (c1 < n) {
            System.exit(1);
        }
    }

    /** Connections both ends see: connected at the client and accepted by the server. */
    private static long established(TcpClient[] clients, TcpServer[] servers) {
        long c = 0;
        for (TcpClient x : clients) {
            c += x.connected();
        }
        long s = 0;
        for (TcpServer x : servers) {
            s += x.accepted();
        }
        return Math.min(c, s);
    }

    private static long heapAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
