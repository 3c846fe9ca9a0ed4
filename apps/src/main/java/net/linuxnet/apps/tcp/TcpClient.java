package net.linuxnet.apps.tcp;

import static net.linuxnet.api.sock.SockConst.*;

import java.util.Arrays;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.Socket;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * {@code tcp-client}: opens {@code connections} connections to {@code dst}, at most
 * {@code concurrency} in flight, started at {@code rate}. Each is a non-blocking
 * {@code connect(2)} ({@code -EINPROGRESS}) that the task polls as a program polls with
 * {@code poll(2)}: it sleeps on the sockets' wait queues and until the next start or deadline,
 * and calls {@code connect} again to learn the outcome (0, {@code ECONNREFUSED},
 * {@code ETIMEDOUT}, {@code ECONNRESET}). A connect still in flight after
 * {@code connect-timeout} is closed and counted {@code timed_out}. Established connections
 * stay open.
 *
 * <p>Result: {@code connected}, {@code refused}, {@code timed_out}, {@code reset},
 * {@code connect_p50_ns}, {@code connect_p99_ns} (of the connected ones), {@code bytes_sent},
 * {@code bytes_received} (0 until TCP data transfer lands).
 */
public final class TcpClient implements Application {
    private final String name;
    private final Kernel kernel;
    private final SockaddrIn dst;
    private final int connections;
    private final int concurrency;
    private final long interval;
    private final long timeout;
    private final int cpu;
    private final int[] fds;
    private final long[] startNs;
    private final long[] latency;
    private int started;
    private int inflight;
    private int connected;
    private long refused;
    private long timedOut;
    private long reset;
    private long nextStart;
    private Task task;
    private boolean running;

    TcpClient(String name, Kernel kernel, SockaddrIn dst, int connections, int concurrency, long interval, long timeout,
            int cpu) {
        this.name = name;
        this.kernel = kernel;
        this.dst = dst;
        this.connections = connections;
        this.concurrency = concurrency;
        this.interval = interval;
        this.timeout = timeout;
        this.cpu = cpu;
        this.fds = new int[connections];
        this.startNs = new long[connections];
        this.latency = new long[connections];
        Arrays.fill(fds, -1);
    }

    @Override
    public void start() {
        running = true;
        nextStart = kernel.ktimeGetNs();
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUp();
    }

    private void run(Task t) {
        if (!running) {
            return;
        }
        long now = kernel.ktimeGetNs();
        while (started < connections && inflight < concurrency && now >= nextStart) {
            int fd = kernel.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            if (fd < 0) {
                throw new IllegalStateException(name + ": socket failed: " + Errno.name(-fd));
            }
            int i = started++;
            fds[i] = fd;
            startNs[i] = now;
            inflight++;
            int r = kernel.connect(t, fd, dst);
            if (r != -Errno.EINPROGRESS) {
                finish(i, r, now);
            }
            nextStart = interval > 0 ? nextStart + interval : now;
        }
        long wake = started < connections ? nextStart : Long.MAX_VALUE;
        for (int i = 0; i < started; i++) {
            if (startNs[i] < 0) {
                continue;
            }
            int r = kernel.connect(t, fds[i], dst);
            if (r == -Errno.EALREADY) {
                if (now - startNs[i] >= timeout) {
                    finish(i, -Errno.ETIMEDOUT, now);
                    continue;
                }
                Socket sock = kernel.sockfdLookup(fds[i]);
                sock.sk.skWq.add(t);
                wake = Math.min(wake, startNs[i] + timeout);
                continue;
            }
            finish(i, r, now);
        }
        if (started < connections && inflight < concurrency) {
            wake = Math.min(wake, Math.max(nextStart, now));
        }
        if (wake != Long.MAX_VALUE) {
            t.wakeUpAt(wake);
        }
    }

    private void finish(int i, int r, long now) {
        inflight--;
        if (r == 0) {
            latency[connected++] = now - startNs[i];
        } else {
            if (r == -Errno.ECONNREFUSED) {
                refused++;
            } else if (r == -Errno.ECONNRESET) {
                reset++;
            } else {
                timedOut++;
            }
            kernel.close(fds[i]);
            fds[i] = -1;
        }
        startNs[i] = -1;
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
        long[] l = Arrays.copyOf(latency, connected);
        Arrays.sort(l);
        out.put("connected", (long) connected).put("refused", refused).put("timed_out", timedOut).put("reset", reset)
                .put("in_flight", (long) inflight)
                .put("connect_p50_ns", pct(l, 0.50)).put("connect_p99_ns", pct(l, 0.99))
                .put("bytes_sent", 0L).put("bytes_received", 0L);
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(idx, sorted.length - 1))];
    }
}
