package net.linuxnet.apps.tcp;

import java.util.List;
import net.linuxnet.api.app.Application;

import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.apps.AppOptions;

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

    private static Application server(String name, Kernel kernel, Options o) {
        SockaddrIn listen = AppOptions.hostPort(o, "listen", 0);
        int backlog = o.getInt("backlog", 128, 0, 65535);
        String accept = o.getChoice("accept", "rate", "never", "rate", "delay");
        long acceptInterval = perSecondIntervalNs(o, "accept-rate", 10_000_000L);
        long acceptDelay = o.getDurationNs("accept-delay", 10_000_000L, 0, Long.MAX_VALUE);
        o.getChoice("mode", "discard", "discard");
        int cpu = AppOptions.cpu(o, kernel);
        return new TcpServer(name, kernel, listen, backlog, accept, acceptInterval, acceptDelay, cpu);
    }

    private static Application client(String name, Kernel kernel, Options o) {
        SockaddrIn dst = AppOptions.hostPort(o, "dst", 1);
        int connections = o.getInt("connections", 1, 1, 1 << 20);
        int concurrency = o.getInt("concurrency", 1, 1, 1 << 20);
        long interval = perSecondIntervalNs(o, "rate", 0);
        long timeout = o.getDurationNs("connect-timeout", 3_000_000_000L, 1, Long.MAX_VALUE);
        int cpu = AppOptions.cpu(o, kernel);
        return new TcpClient(name, kernel, dst, connections, concurrency, interval, timeout, cpu);
    }
}
