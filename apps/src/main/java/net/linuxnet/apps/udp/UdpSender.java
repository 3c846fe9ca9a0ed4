package net.linuxnet.apps.udp;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.SockConst;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * {@code udp-sender}: a UDP traffic source in the manner of {@code iperf3 -u}, one thread on
 * one CPU sending datagrams of {@code size} bytes to {@code dst} from {@code flows} sockets
 * (source ports {@code src-port}, {@code src-port + 1}, ... or ephemeral ones), round robin.
 *
 * <p>The thread is a state machine over its task's runs. Each run sends the datagrams whose
 * slots have come ({@code rate}: slot {@code k} at {@code start + k * interval}, in bursts of
 * {@code burst}; without a rate, as fast as the CPU allows), at most {@link #MAX_PER_RUN} per
 * run before yielding, then sleeps until the next slot. A blocking socket whose send buffer is
 * full puts the thread to sleep ({@code -ERESTARTSYS}) until {@code sk_write_space} wakes it,
 * and the same datagram is sent then, as {@code iperf3} blocks in {@code sendto}; a
 * non-blocking one ({@code nonblocking = true}) gets {@code -EAGAIN}, counted in
 * {@code errors}, and the datagram is skipped. A bit rate counts UDP payload bits, as
 * {@code iperf3 -b} does. {@code tos} sets {@code IP_TOS} on every socket ({@code iperf3 -S}),
 * which also gives its datagrams the priority {@code rt_tos2priority} maps it to.
 *
 * <p>Result: {@code sent} (datagrams sendto accepted), {@code bytes}, {@code errors} (failed
 * calls: {@code EAGAIN} and others), {@code blocked} (times the thread slept on a full send
 * buffer), {@code rate_pps}.
 */
final class UdpSender implements Application {
    static final int MAX_PER_RUN = 64;

    private final String name;
    private final Kernel kernel;
    private final SockaddrIn dst;
    private final Rate rate;
    private final int size;
    private final int flows;
    private final int srcPort;
    private final int burst;
    private final int sndbuf;
    private final boolean nonblocking;
    private final long count;
    private final int cpu;
    /** {@code IP_TOS} to set on each socket, or -1 for none. */
    private final int tos;
    private final byte[] buf;
    private int[] fds;
    private Task task;
    private boolean running;
    private double interval;
    private long startedAt;
    private long stoppedAt;
    private long slot;
    private int inBurst;
    private int flow;
    private long sent;
    private long bytes;
    private long errors;
    private long blocked;

    UdpSender(String name, Kernel kernel, SockaddrIn dst, Rate rate, int size, int flows, int srcPort, int burst,
              int sndbuf, boolean nonblocking, long count, int cpu, int tos) {
        this.name = name;
        this.kernel = kernel;
        this.dst = dst;
        this.rate = rate;
        this.size = size;
        this.flows = flows;
        this.srcPort = srcPort;
        this.burst = burst;
        this.sndbuf = sndbuf;
        this.nonblocking = nonblocking;
        this.count = count;
        this.cpu = cpu;
        this.tos = tos;
        this.buf = new byte[size];
    }

    @Override
    public void start() {
        fds = new int[flows];
        for (int i = 0; i < flows; i++) {
            SockaddrIn local = srcPort == 0 ? null : new SockaddrIn(0, srcPort + i);
            fds[i] = UdpApps.udpSocket(kernel, name, nonblocking, 0, sndbuf, false, local);
            if (tos >= 0) {
                UdpApps.check(name, "setsockopt(IP_TOS)", kernel.setsockopt(fds[i], SockConst.SOL_IP, SockConst.IP_TOS, tos));
            }
        }
        interval = rate == null ? 0 : rate.intervalNs(size) * burst;
        startedAt = kernel.ktimeGetNs();
        running = true;
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUp();
    }

    private void run(Task t) {
        int n = 0;
        while (running && (count == 0 || sent + errors < count)) {
            long now = kernel.ktimeGetNs();
            if (rate != null && inBurst == 0) {
                long due = startedAt + (long) (slot * interval);
                if (due > now) {
                    t.wakeUpAt(due);
                    return;
                }
            }
            if (n++ == MAX_PER_RUN) {
                t.wakeUp(); // need_resched: yield and come back
                return;
            }
            int r = kernel.sendto(t, fds[flow], buf, 0, size, 0, dst);
            if (r == -Errno.ERESTARTSYS) {
                blocked++;
                return; // asleep on the socket until sk_write_space
            }
            if (r < 0) {
                errors++;
            } else {
                sent++;
                bytes += r;
            }
            flow = flow + 1 == flows ? 0 : flow + 1;
            if (++inBurst == burst) {
                inBurst = 0;
                slot++;
            }
        }
        if (stoppedAt == 0) {
            stoppedAt = kernel.ktimeGetNs();
        }
    }

    @Override
    public void stop() {
        running = false;
        stoppedAt = kernel.ktimeGetNs();
        if (task != null) {
            task.stop();
        }
    }

    @Override
    public void report(ResultWriter out) {
        long dur = Math.max(1, stoppedAt - startedAt);
        out.put("sent", sent).put("bytes", bytes).put("errors", errors).put("blocked", blocked)
                .put("rate_pps", (long) (sent * 1e9 / dur));
    }
}
