package net.linuxnet.apps.udp;

import java.util.Arrays;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.SockConst;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * {@code udp-rr}: request/response over UDP as {@code netperf -t UDP_RR} runs it: one request
 * of {@code size} bytes in flight at a time, to an echo server at {@code dst}; the next goes
 * when the response arrives (after {@code interval}, if given). Each request carries its
 * sequence number in its first 8 bytes, so a late response to an abandoned request is
 * ignored; a request unanswered for {@code timeout} is abandoned (netperf would stall).
 *
 * <p>Result: {@code requests}, {@code responses}, {@code timeouts}, and the round-trip
 * times {@code p50_ns}, {@code p99_ns}, {@code min_ns}, {@code max_ns} (nearest rank).
 */
final class UdpRr implements Application {
    private final String name;
    private final Kernel kernel;
    private final SockaddrIn dst;
    private final int size;
    private final long intervalNs;
    private final long timeoutNs;
    private final long count;
    private final int cpu;
    /** {@code IP_TOS} of the socket, or -1 for none. */
    private final int tos;
    private final byte[] tx;
    private final byte[] rx = new byte[65536];
    private int fd = -1;
    private Task task;
    private boolean running;
    private boolean waiting;
    private long seq;
    private long sentAt;
    private long nextAt;
    private long requests;
    private long responses;
    private long timeouts;
    private long[] rtts = new long[1024];

    UdpRr(String name, Kernel kernel, SockaddrIn dst, int size, long intervalNs, long timeoutNs, long count, int cpu, int tos) {
        this.name = name;
        this.kernel = kernel;
        this.dst = dst;
        this.size = size;
        this.intervalNs = intervalNs;
        this.timeoutNs = timeoutNs;
        this.count = count;
        this.cpu = cpu;
        this.tos = tos;
        this.tx = new byte[size];
    }

    @Override
    public void start() {
        fd = UdpApps.udpSocket(kernel, name, false, 0, 0, false, null);
        if (tos >= 0) {
            UdpApps.check(name, "setsockopt(IP_TOS)", kernel.setsockopt(fd, SockConst.SOL_IP, SockConst.IP_TOS, tos));
        }
        UdpApps.check(name, "connect(" + dst + ")", kernel.connect(fd, dst));
        running = true;
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUp();
    }

    private void run(Task t) {
        while (running) {
            long now = kernel.ktimeGetNs();
            if (!waiting) {
                if (count != 0 && requests >= count) {
                    return;
                }
                if (now < nextAt) {
                    t.wakeUpAt(nextAt);
                    return;
                }
                seq++;
                putLong(tx, seq);
                int r = kernel.sendto(t, fd, tx, 0, size, 0, null);
                if (r == -Errno.ERESTARTSYS) {
                    seq--;
                    return;
                }
                requests++;
                sentAt = kernel.ktimeGetNs();
                waiting = true;
                if (r < 0) {
                    continue; // lost at once: the timeout handles it
                }
            }
            if (kernel.ktimeGetNs() - sentAt >= timeoutNs) {
                timeouts++;
                waiting = false;
                nextAt = sentAt + intervalNs;
                continue;
            }
            int r = kernel.recvfrom(t, fd, rx, 0, rx.length, 0, null);
            if (r == -Errno.ERESTARTSYS) {
                t.wakeUpAt(sentAt + timeoutNs);
                return;
            }
            if (r < 8 || getLong(rx) != seq) {
                continue; // an error, or a stale response
            }
            long rtt = kernel.ktimeGetNs() - sentAt;
            if (responses == rtts.length) {
                rtts = Arrays.copyOf(rtts, rtts.length * 2);
            }
            rtts[(int) responses++] = rtt;
            waiting = false;
            nextAt = sentAt + intervalNs;
        }
    }

    private static void putLong(byte[] b, long v) {
        for (int i = 0; i < 8 && i < b.length; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static long getLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
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
        long[] s = Arrays.copyOf(rtts, (int) responses);
        Arrays.sort(s);
        out.put("requests", requests).put("responses", responses).put("timeouts", timeouts)
                .put("p50_ns", rank(s, 50)).put("p99_ns", rank(s, 99))
                .put("min_ns", s.length == 0 ? 0 : s[0]).put("max_ns", s.length == 0 ? 0 : s[s.length - 1]);
    }

    /** The nearest-rank percentile. */
    static long rank(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
