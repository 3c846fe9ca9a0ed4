package net.linuxnet.apps.udp;

import java.util.List;
import net.linuxnet.api.app.Application;

import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.apps.AppOptions;

/**
 * The UDP application kinds and their options.
 *
 * <pre>
 *   udp-sender  dst "ip:port" (required), rate (pps or bit/s of payload; none: as fast as
 *               possible), size 1472, flows 1, src-port 0 (ephemeral), burst 1, sndbuf
 *               (SO_SNDBUF; none: net.core.wmem_default), nonblocking false, count 0, cpu 0,
 *               tos (IP_TOS, 0..255, which also sets the socket priority; none: not set)
 *   udp-sink    port (required), addr 0.0.0.0, rcvbuf (SO_RCVBUF; none: rmem_default),
 *               rate (read rate of a slow reader; none: as fast as possible), reuseport false, cpu 0
 *   udp-echo    port 7, addr 0.0.0.0, cpu 0
 *   udp-rr      dst "ip:port" (required), size 64, interval 0, timeout 100ms, count 0, cpu 0,
 *               tos (IP_TOS; none: not set)
 * </pre>
 */
public final class UdpAppTypes {
    private UdpAppTypes() {
    }

    /** The kinds: {@code udp-sender}, {@code udp-sink}, {@code udp-echo}, {@code udp-rr}. */
    public static List<ApplicationType> all() {
        return List.of(type("udp-sender", UdpAppTypes::sender), type("udp-sink", UdpAppTypes::sink),
                type("udp-echo", UdpAppTypes::echo), type("udp-rr", UdpAppTypes::rr));
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

    private static Application sender(String name, Kernel kernel, Options o) {
        SockaddrIn dst = AppOptions.hostPort(o, "dst", 1);
        Rate rate = o.getRate("rate", null);
        int size = (int) o.getBytes("size", 1472, 0, 65507);
        int flows = o.getInt("flows", 1, 1, 65535);
        int srcPort = o.getInt("src-port", 0, 0, 65535);
        if (srcPort != 0 && srcPort + flows - 1 > 65535) {
            throw o.error("flows", "src-port " + srcPort + " plus " + flows + " flows runs past port 65535");
        }
        int burst = o.getInt("burst", 1, 1, 1 << 20);
        int sndbuf = (int) o.getBytes("sndbuf", 0, 0, Integer.MAX_VALUE);
        boolean nonblocking = o.getBoolean("nonblocking", false);
        long count = o.getLong("count", 0, 0, Long.MAX_VALUE);
        int cpu = AppOptions.cpu(o, kernel);
        int tos = o.has("tos") ? o.getInt("tos", 0, 0, 255) : -1;
        return new UdpSender(name, kernel, dst, rate, size, flows, srcPort, burst, sndbuf, nonblocking, count, cpu, tos);
    }

    private static Application sink(String name, Kernel kernel, Options o) {
        int port = o.getInt("port", 0, 1, 65535);
        if (!o.has("port")) {
            throw o.error("port", "missing (expected: the UDP port to bind, 1..65535)");
        }
        int addr = AppOptions.ipv4(o, "addr", "0.0.0.0");
        int rcvbuf = (int) o.getBytes("rcvbuf", 0, 0, Integer.MAX_VALUE);
        Rate rate = o.getRate("rate", null);
        boolean reuseport = o.getBoolean("reuseport", false);
        int cpu = AppOptions.cpu(o, kernel);
        return new UdpSink(name, kernel, new SockaddrIn(addr, port), rcvbuf, rate, reuseport, cpu);
    }

    private static Application echo(String name, Kernel kernel, Options o) {
        int port = o.getInt("port", 7, 1, 65535);
        int addr = AppOptions.ipv4(o, "addr", "0.0.0.0");
        int cpu = AppOptions.cpu(o, kernel);
        return new UdpEcho(name, kernel, new SockaddrIn(addr, port), cpu);
    }

    private static Application rr(String name, Kernel kernel, Options o) {
        SockaddrIn dst = AppOptions.hostPort(o, "dst", 1);
        int size = (int) o.getBytes("size", 64, 8, 65507);
        long interval = o.getDurationNs("interval", 0, 0, Long.MAX_VALUE);
        long timeout = o.getDurationNs("timeout", 100_000_000L, 1, Long.MAX_VALUE);
        long count = o.getLong("count", 0, 0, Long.MAX_VALUE);
        int cpu = AppOptions.cpu(o, kernel);
        int tos = o.has("tos") ? o.getInt("tos", 0, 0, 255) : -1;
        return new UdpRr(name, kernel, dst, size, interval, timeout, count, cpu, tos);
    }
}
