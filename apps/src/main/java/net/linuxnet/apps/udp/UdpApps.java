package net.linuxnet.apps.udp;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.SockConst;
import net.linuxnet.api.sock.SockaddrIn;

/** What the UDP applications share: address parsing, socket set-up, option checks. */
final class UdpApps {
    private UdpApps() {
    }

    /** Parses {@code "ip:port"} of option {@code key}. */
    static SockaddrIn hostPort(Options o, String key) {
        String s = o.getString(key);
        int i = s.lastIndexOf(':');
        if (i < 0) {
            throw o.error(key, "'" + s + "' has no port (expected: \"ip:port\" like \"10.0.0.2:9000\")");
        }
        try {
            int addr = SockaddrIn.aton(s.substring(0, i));
            int port = Integer.parseInt(s.substring(i + 1));
            if (port < 1 || port > 0xffff) {
                throw new IllegalArgumentException();
            }
            return new SockaddrIn(addr, port);
        } catch (IllegalArgumentException e) {
            throw o.error(key, "'" + s + "' is not an address and port (expected: \"ip:port\" like \"10.0.0.2:9000\")");
        }
    }

    /** Parses an IPv4 address option. */
    static int addr(Options o, String key, String def) {
        String s = o.getString(key, def);
        try {
            return SockaddrIn.aton(s);
        } catch (IllegalArgumentException e) {
            throw o.error(key, "'" + s + "' is not an IPv4 address (expected: dotted quad like 10.0.0.2)");
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

    /**
     * {@code socket(AF_INET, SOCK_DGRAM)}, the buffer sizes when given (> 0), and {@code bind}.
     *
     * @throws IllegalStateException naming the call and its errno when one fails
     */
    static int udpSocket(Kernel kernel, String app, boolean nonblocking, int rcvbuf, int sndbuf, boolean reuseport,
                         SockaddrIn bindTo) {
        int fd = kernel.socket(SockConst.AF_INET, SockConst.SOCK_DGRAM | (nonblocking ? SockConst.SOCK_NONBLOCK : 0), 0);
        check(app, "socket", fd);
        if (rcvbuf > 0) {
            check(app, "setsockopt(SO_RCVBUF)", kernel.setsockopt(fd, SockConst.SOL_SOCKET, SockConst.SO_RCVBUF, rcvbuf));
        }
        if (sndbuf > 0) {
            check(app, "setsockopt(SO_SNDBUF)", kernel.setsockopt(fd, SockConst.SOL_SOCKET, SockConst.SO_SNDBUF, sndbuf));
        }
        if (reuseport) {
            check(app, "setsockopt(SO_REUSEPORT)", kernel.setsockopt(fd, SockConst.SOL_SOCKET, SockConst.SO_REUSEPORT, 1));
        }
        if (bindTo != null) {
            check(app, "bind(" + bindTo + ")", kernel.bind(fd, bindTo));
        }
        return fd;
    }

    static void check(String app, String call, int r) {
        if (r < 0) {
            throw new IllegalStateException(app + ": " + call + " failed: " + Errno.name(-r));
        }
    }

    /** Datagrams still in the socket: queued now, or when the run's end purged it. */
    static long queued(Kernel kernel, int fd) {
        var sock = kernel.sockfdLookup(fd);
        if (sock == null) {
            return 0;
        }
        return sock.sk.skReceiveQueue.qlen() + sock.sk.purgedQlen;
    }
}
