package net.linuxnet.apps.udp;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * {@code udp-echo}: the echo service of RFC 862 over UDP (what {@code udp_rr}'s netserver and
 * {@code socat UDP-RECVFROM:7,fork EXEC:cat} do): every datagram received on
 * {@code addr:port} is sent back to its source from the same socket. Blocking: the thread
 * sleeps on an empty socket and on a full send buffer (the datagram waits in the thread).
 *
 * <p>Result: {@code requests} (datagrams read), {@code responses} (sent back),
 * {@code errors}.
 */
final class UdpEcho implements Application {
    static final int MAX_PER_RUN = 64;

    private final String name;
    private final Kernel kernel;
    private final SockaddrIn local;
    private final int cpu;
    private final byte[] buf = new byte[65536];
    private final SockaddrIn peer = new SockaddrIn();
    private int fd = -1;
    private Task task;
    private boolean running;
    /** Length of a datagram read and not yet sent back, or -1. */
    private int pending = -1;
    private long requests;
    private long responses;
    private long errors;

    UdpEcho(String name, Kernel kernel, SockaddrIn local, int cpu) {
        this.name = name;
        this.kernel = kernel;
        this.local = local;
        this.cpu = cpu;
    }

    @Override
    public void start() {
        fd = UdpApps.udpSocket(kernel, name, false, 0, 0, false, local);
        running = true;
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUp();
    }

    private void run(Task t) {
        for (int n = 0; running; n++) {
            if (n == MAX_PER_RUN) {
                t.wakeUp();
                return;
            }
            if (pending < 0) {
                int r = kernel.recvfrom(t, fd, buf, 0, buf.length, 0, peer);
                if (r == -Errno.ERESTARTSYS) {
                    return;
                }
                if (r < 0) {
                    errors++;
                    continue;
                }
                requests++;
                pending = r;
            }
            int r = kernel.sendto(t, fd, buf, 0, pending, 0, peer);
            if (r == -Errno.ERESTARTSYS) {
                return;
            }
            if (r < 0) {
                errors++;
            } else {
                responses++;
            }
            pending = -1;
        }
    }

    @Override
    public void stop() {
        running = false;
        if (task != null) {
            task.stop();
        }
    }

    @Override
    public void report(ResultWriter out) {
        out.put("requests", requests).put("responses", responses).put("errors", errors);
    }
}
