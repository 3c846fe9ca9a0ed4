package net.linuxnet.apps.udp;

import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.SockConst;
import net.linuxnet.api.sock.SockaddrIn;

/** What the UDP applications share: address parsing, socket set-up, option checks. */
final class UdpApps {
    private UdpApps() {
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
