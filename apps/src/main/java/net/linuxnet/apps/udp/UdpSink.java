package net.linuxnet.apps.udp;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * {@code udp-sink}: a UDP receiver bound to {@code addr:port} that reads and discards, like
 * {@code iperf3 -s} or {@code nc -ul > /dev/null}. One thread on one CPU reads in blocking
 * mode: an empty socket puts it to sleep until {@code sk_data_ready}. Without {@code rate} it
 * reads as fast as its CPU allows ({@link #MAX_PER_RUN} per run before yielding); with
 * {@code rate} it is a slow reader that spends {@code 1/rate} on each datagram (it reads one,
 * then sleeps that long), so its socket's receive buffer fills when datagrams come faster.
 *
 * <p>Result: {@code received}, {@code bytes}, {@code queued} (datagrams still in the socket
 * at the end), {@code drops} (the socket's {@code sk_drops}: receive buffer full, filter).
 */
public final class UdpSink implements Application {
    static final int MAX_PER_RUN = 64;

    private final String name;
    private final Kernel kernel;
    private final SockaddrIn local;
    private final int rcvbuf;
    private final Rate rate;
    private final boolean reuseport;
    private final int cpu;
    private final byte[] buf = new byte[65536];
    private int fd = -1;
    private Task task;
    private boolean running;
    private long nextReadAt;
    private long received;
    private long bytes;

    UdpSink(String name, Kernel kernel, SockaddrIn local, int rcvbuf, Rate rate, boolean reuseport, int cpu) {
        this.name = name;
        this.kernel = kernel;
        this.local = local;
        this.rcvbuf = rcvbuf;
        this.rate = rate;
        this.reuseport = reuseport;
        this.cpu = cpu;
    }

    @Override
    public void start() {
        fd = UdpApps.udpSocket(kernel, name, false, rcvbuf, 0, reuseport, local);
        running = true;
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUp();
    }

    private void run(Task t) {
        int n = 0;
        while (running) {
            if (rate != null) {
                long now = kernel.ktimeGetNs();
                if (now < nextReadAt) {
                    t.wakeUpAt(nextReadAt);
                    return;
                }
            }
            if (n++ == MAX_PER_RUN) {
                t.wakeUp();
                return;
            }
            int r = kernel.recvfrom(t, fd, buf, 0, buf.length, 0, null);
            if (r == -Errno.ERESTARTSYS) {
                return; // asleep until sk_data_ready
            }
            if (r < 0) {
                continue; // a reported socket error (sk_err): read again
            }
            received++;
            bytes += r;
            if (rate != null) {
                nextReadAt = kernel.ktimeGetNs() + (long) rate.intervalNs(r);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (task != null) {
            task.stop();
        }
    }

    /** Datagrams read so far. */
    public long received() {
        return received;
    }

    @Override
    public void report(ResultWriter out) {
        long drops = 0;
        var sock = fd < 0 ? null : kernel.sockfdLookup(fd);
        if (sock != null) {
            Sock sk = sock.sk;
            drops = sk.skDrops;
        }
        out.put("received", received).put("bytes", bytes).put("queued", UdpApps.queued(kernel, fd)).put("drops", drops);
    }
}
