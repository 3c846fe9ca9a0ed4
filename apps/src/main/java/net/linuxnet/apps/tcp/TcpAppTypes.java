package net.linuxnet.apps.tcp;

import java.util.List;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * The TCP application kinds and their options.
 *
 * <pre>
 *   tcp-server  listen "ip:port" (required), backlog 128 (listen(2); clamped by
 *               net.core.somaxconn), accept never | rate | delay (default rate),
 *               accept-rate 100/s (accept = rate; "N/s"), accept-delay 10ms (accept = delay:
 *               each accept waits that long after the listener woke), mode discard, cpu 0
 *   tcp-client  dst "ip:port" (required), connections 1, concurrency 1 (connects in flight),
 *               rate (connects started per second, "N/s"; none: as fast as allowed),
 *               connect-timeout 3s, cpu 0
 * </pre>
 */
public final class TcpAppTypes {
    private TcpAppTypes() {
    }

    /** The kinds: {@code tcp-server}, {@code tcp-client}. */
    public static List<ApplicationType> all() {
        return List.of(type("tcp-server", TcpAppTypes::server), type("tcp-client", TcpAppTypes::client));
    }

    private interface Factory {
        Application create(String name, Kernel kernel, Options o);
    }

    private static ApplicationType type(String kind, Factory f) {
        return new ApplicationType() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public Application create(String name, Kernel kernel, Options options) {
                return f.create(name, kernel, options);
            }
        };
    }

    /** Parses {@code "ip:port"} of option {@code key}. */
    static SockaddrIn hostPort(Options o, String key) {
        if (!o.has(key)) {
            throw o.error(key, "missing (expected: \"ip:port\" like \"10.0.0.2:80\")");
        }
        String s = o.getString(key);
        int i = s.lastIndexOf(':');
        if (i < 0) {
            throw o.error(key, "'" + s + "' has no port (expected: \"ip:port\" like \"10.0.0.2:80\")");
        }
        try {
            int addr = SockaddrIn.aton(s.substring(0, i));
            int port = Integer.parseInt(s.substring(i + 1));
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException();
            }
            return new SockaddrIn(addr, port);
        } catch (IllegalArgumentException e) {
            throw o.error(key, "'" + s + "' is not an address and port (expected: \"ip:port\" like \"10.0.0.2:80\")");
        }
    }

    /** Parses a rate {@code "N/s"} into ns between events; {@code def} when absent. */
    static long perSecondIntervalNs(Options o, String key, long def) {
        if (!o.has(key)) {
            return def;
        }
        String s = o.getString(key).trim();
        try {
            String n = s.endsWith("/s") ? s.substring(0, s.length() - 2).trim() : s;
            double v = Double.parseDouble(n);
            if (!(v > 0)) {
                throw new IllegalArgumentException();
            }
            return Math.max(1L, (long) (1e9 / v));
        } catch (IllegalArgumentException e) {
            throw o.error(key, "'" + s + "' is not a rate (expected: events per second like 200/s)");
        }
    }

    static int cpu(Options o, Kernel kernel) {
        int cpu = o.getInt("cpu", 0, 0, Integer.MAX_VALUE);
        if (cpu >= kernel.numCpus()) {
            throw o.error("cpu", "cpu " + cpu + " does not exist on host " + kernel.hostname()
                    + " (expected: 0.." + (kernel.numCpus() - 1) + ")");
        }
        return cpu;
    }

    private static Application server(String name, Kernel kernel, Options o) {
        SockaddrIn listen = hostPort(o, "listen");
        int backlog = o.getInt("backlog", 128, 0, 65535);
        String accept = o.getChoice("accept", "rate", "never", "rate", "delay");
        long acceptInterval = perSecondIntervalNs(o, "accept-rate", 10_000_000L);
        long acceptDelay = o.getDurationNs("accept-delay", 10_000_000L, 0, Long.MAX_VALUE);
        o.getChoice("mode", "discard", "discard");
        int cpu = cpu(o, kernel);
        return new TcpServer(name, kernel, listen, backlog, accept, acceptInterval, acceptDelay, cpu);
    }

    private static Application client(String name, Kernel kernel, Options o) {
        SockaddrIn dst = hostPort(o, "dst");
        int connections = o.getInt("connections", 1, 1, 1 << 20);
        int concurrency = o.getInt("concurrency", 1, 1, 1 << 20);
        long interval = perSecondIntervalNs(o, "rate", 0);
        long timeout = o.getDurationNs("connect-timeout", 3_000_000_000L, 1, Long.MAX_VALUE);
        int cpu = cpu(o, kernel);
        return new TcpClient(name, kernel, dst, connections, concurrency, interval, timeout, cpu);
    }
}
