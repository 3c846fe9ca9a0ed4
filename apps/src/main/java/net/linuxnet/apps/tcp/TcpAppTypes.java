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
 *               each accept waits that long after a child is queued),
 *               mode discard | echo | reply (default discard), request 100 and
 *               reply-bytes 1000 (mode = reply: reply-bytes for every request bytes read),
 *               sample-interval 100ms (the accept queue series; 0: none), cpu 0
 *   tcp-client  dst "ip:port" (required), connections 1, concurrency 1 (connections in
 *               progress), rate (connects started per second, "N/s"; none: as fast as allowed),
 *               connect-timeout 3s, bytes 0 (bulk: write this many, then SHUT_WR and read to
 *               the end), request 0 and response 0 (one exchange: write request, read
 *               response), echo false (the response is the request sent back), start 0s
 *               (the first connect, after the run begins), arrivals fixed | poisson (gaps
 *               of 1/rate, or a Poisson process of that rate with all connections arriving
 *               within connections/rate), cpu 0
 *   syn-flood   see net.linuxnet.apps.synflood.SynFloodOptions
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
        TcpServer.Mode mode = switch (o.getChoice("mode", "discard", "discard", "echo", "reply")) {
            case "echo" -> TcpServer.Mode.ECHO;
            case "reply" -> TcpServer.Mode.REPLY;
            default -> TcpServer.Mode.DISCARD;
        };
        int request = (int) o.getBytes("request", 100, 1, Integer.MAX_VALUE);
        int replyBytes = (int) o.getBytes("reply-bytes", 1000, 0, Integer.MAX_VALUE);
        long sampleInterval = o.getDurationNs("sample-interval", 100_000_000L, 0, Long.MAX_VALUE);
        int cpu = AppOptions.cpu(o, kernel);
        return new TcpServer(name, kernel, listen, backlog, accept, acceptInterval, acceptDelay, mode, request,
                replyBytes, sampleInterval, cpu);
    }

    private static Application client(String name, Kernel kernel, Options o) {
        SockaddrIn dst = AppOptions.hostPort(o, "dst", 1);
        int connections = o.getInt("connections", 1, 1, 1 << 20);
        int concurrency = o.getInt("concurrency", 1, 1, 1 << 20);
        long interval = perSecondIntervalNs(o, "rate", 0);
        long timeout = o.getDurationNs("connect-timeout", 3_000_000_000L, 1, Long.MAX_VALUE);
        long bytes = o.getBytes("bytes", 0, 0, Long.MAX_VALUE);
        int request = (int) o.getBytes("request", 0, 0, Integer.MAX_VALUE);
        int response = (int) o.getBytes("response", 0, 0, Integer.MAX_VALUE);
        boolean echo = o.getBoolean("echo", false);
        long start = o.getDurationNs("start", 0, 0, Long.MAX_VALUE);
        boolean poisson = o.getChoice("arrivals", "fixed", "fixed", "poisson").equals("poisson");
        if (bytes > 0 && (request > 0 || response > 0)) {
            throw o.error("bytes", "bytes = " + bytes + " (bulk) and request/response (one exchange) exclude each other"
                    + " (expected: bytes, or request and response)");
        }
        if (response > 0 && request == 0) {
            throw o.error("response", "response = " + response + " needs a request to answer"
                    + " (expected: request > 0 with response)");
        }
        int cpu = AppOptions.cpu(o, kernel);
        return new TcpClient(name, kernel, dst, connections, concurrency, interval, timeout, bytes, request, response,
                echo, start, poisson, cpu);
    }
}
