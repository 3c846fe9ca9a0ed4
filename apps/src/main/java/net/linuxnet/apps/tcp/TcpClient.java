package net.linuxnet.apps.tcp;

import static net.linuxnet.api.sock.SockConst.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * {@code tcp-client}: opens {@code connections} connections to {@code dst}, at most
 * {@code concurrency} of them in progress at once (connecting, or moving their bytes), started
 * at {@code rate} from {@code start} after the run begins ({@code arrivals = fixed}: one every
 * {@code 1/rate}; {@code poisson}: at moments drawn as independent users arrive, a Poisson
 * process of that rate conditioned on all {@code connections} arriving within
 * {@code connections / rate}: so many uniform random moments in that window, sorted, drawn
 * once at the start from a generator seeded by the run's random source, so that the schedule
 * does not shift when the stack draws more or fewer random numbers), and with each does one
 * of three things:
 *
 * <ul>
 *   <li>{@code bytes = 0, request = 0} (connect only): nothing; the connection stays open;</li>
 *   <li>{@code bytes = N} (bulk): write N bytes of its stream ({@link TcpPayload#TO_SERVER}),
 *       {@code shutdown(SHUT_WR)} (a FIN; where shutdown fails, {@code close}), then read until
 *       the end of the stream (an {@code echo} server sends the bytes back, a {@code discard}
 *       server nothing) and close;</li>
 *   <li>{@code request = Q, response = R} (request/response): write Q bytes, read R bytes of the
 *       server's reply stream ({@link TcpPayload#TO_CLIENT}; an {@code echo} server: set
 *       {@code echo = true} to expect the request back instead), then close. One exchange per
 *       connection.</li>
 * </ul>
 *
 * <p>All sockets are non-blocking and watched as epoll watches them: the task sleeps until a
 * socket it waits on wakes its {@link EpollItem}, the next start, or the oldest connect's
 * deadline. A connect ({@code -EINPROGRESS}) is retried on wake-up to learn its outcome (0,
 * {@code ECONNREFUSED}, {@code ETIMEDOUT}, {@code ECONNRESET}); one still in flight after
 * {@code connect-timeout} is closed and counted {@code timed_out}. A read or write that fails
 * closes the connection and counts {@code reset} ({@code ECONNRESET}, {@code EPIPE}) or
 * {@code errors} (any other errno). After {@code stop}
 * (the end of the run) no connection is started; those in progress go on through the drain.
 *
 * <p>Integrity: every byte read is compared with the stream it should belong to
 * ({@code bad_bytes}; {@code integrity_ok} when none differs and no connection ended short of
 * what it expected); {@code sent_crc32} and {@code received_crc32} are the exclusive or of one
 * CRC-32 per connection, to be compared with the server's {@code received_crc32} and
 * {@code sent_crc32}.
 *
 * <p>Result: {@code connected}, {@code refused}, {@code timed_out}, {@code reset},
 * {@code started}, {@code in_flight} (connects still in progress), {@code completed} (exchanges
 * done and closed), {@code short} (ended before the expected bytes), {@code errors}, {@code connect_p50_ns},
 * {@code connect_p99_ns}, {@code connect_max_ns} (of the connected ones), {@code bytes_sent},
 * {@code bytes_received}, {@code bad_bytes}, {@code integrity_ok}, {@code sent_crc32},
 * {@code received_crc32}. The report's {@code series.<app>.connect} section counts the
 * connections by whole seconds of connect latency (with Linux's 1 s SYN retransmission
 * timer, the number of SYN retransmissions a connection needed).
 */
public final class TcpClient implements Application {
    /** What a connection does once connected. */
    enum Work {
        CONNECT_ONLY, BULK, REQUEST_RESPONSE
    }

    private static final int CONNECTING = 0;
    private static final int SENDING = 1;
    private static final int RECEIVING = 2;
    private static final int DONE = 3;

    private final String name;
    private final Kernel kernel;
    private final SockaddrIn dst;
    private final int connections;
    private final int concurrency;
    private final long interval;
    private final long timeout;
    private final Work work;
    private final long bytes;
    private final int request;
    private final int response;
    private final boolean expectEcho;
    private final long startDelay;
    private final boolean poisson;
    private final int cpu;
    private final ArrayDeque<EpollItem> rdllist = new ArrayDeque<>();
    /** Connects in progress, oldest first: their deadlines come in this order. */
    private final ArrayDeque<Conn> connecting = new ArrayDeque<>();
    private final byte[] buf = new byte[TcpServer.IO_CHUNK];
    private final SockaddrIn local = new SockaddrIn();
    private final long[] latency;
    private int started;
    private int active;
    private int connected;
    private long refused;
    private long timedOut;
    private long reset;
    private long completed;
    private long shortConns;
    private long ioErrors;
    private long bytesSent;
    private long bytesReceived;
    private long badBytes;
    private int crcTx;
    private int crcRx;
    private long nextStart;
    /** {@code arrivals = poisson}: the start times, drawn at {@link #start()}. */
    private long[] arrivals;
    private Task task;
    private boolean running;

    /** One connection and its epoll item. */
    private final class Conn extends EpollItem {
        final int fd;
        final Sock sk;
        final long startNs;
        int state = CONNECTING;
        int txSeed;
        int rxSeed;
        long txOff;
        long rxOff;
        long toSend;
        long toReceive;
        CRC32 crcTx;
        CRC32 crcRx;

        Conn(Task owner, int fd, Sock sk, long startNs) {
            super(owner, rdllist);
            this.fd = fd;
            this.sk = sk;
            this.startNs = startNs;
        }
    }

    TcpClient(String name, Kernel kernel, SockaddrIn dst, int connections, int concurrency, long interval, long timeout,
            long bytes, int request, int response, boolean expectEcho, long startDelay, boolean poisson, int cpu) {
        this.name = name;
        this.kernel = kernel;
        this.dst = dst;
        this.connections = connections;
        this.concurrency = concurrency;
        this.interval = interval;
        this.timeout = timeout;
        this.bytes = bytes;
        this.request = request;
        this.response = response;
        this.expectEcho = expectEcho;
        this.startDelay = startDelay;
        this.poisson = poisson;
        this.work = bytes > 0 ? Work.BULK : request > 0 ? Work.REQUEST_RESPONSE : Work.CONNECT_ONLY;
        this.cpu = cpu;
        this.latency = new long[connections];
        TcpAppSeries.of(kernel).add(name, "connect", new TcpAppSeries.Source() {
            @Override
            public List<String> header() {
                return List.of("latency_s", "connections", "min_ns", "max_ns");
            }

            @Override
            public List<long[]> rows() {
                return histogram();
            }
        });
    }

    @Override
    public void start() {
        running = true;
        nextStart = kernel.ktimeGetNs() + startDelay;
        if (poisson && interval > 0) {
            SplittableRandom rnd = new SplittableRandom(kernel.random().nextLong());
            double window = (double) connections * interval;
            arrivals = new long[connections];
            for (int i = 0; i < connections; i++) {
                arrivals[i] = nextStart + (long) (rnd.nextDouble() * window);
            }
            Arrays.sort(arrivals);
            nextStart = arrivals[0];
        }
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUpAt(nextStart);
    }

    private void run(Task t) {
        long now = kernel.ktimeGetNs();
        while (running && started < connections && active < concurrency && now >= nextStart) {
            startOne(t, now);
            nextStart = interval <= 0 ? now
                    : arrivals != null ? arrivals[Math.min(started, connections - 1)] : nextStart + interval;
        }
        EpollItem e;
        while ((e = EpollItem.poll(rdllist)) != null) {
            step(t, (Conn) e);
        }
        // connects past their deadline, oldest first
        now = kernel.ktimeGetNs();
        while (!connecting.isEmpty()) {
            Conn c = connecting.peekFirst();
            if (c.state != CONNECTING) {
                connecting.pollFirst();
                continue;
            }
            if (now - c.startNs < timeout) {
                break;
            }
            connecting.pollFirst();
            failed(c, -Errno.ETIMEDOUT);
        }
        long wake = Long.MAX_VALUE;
        if (!connecting.isEmpty()) {
            wake = connecting.peekFirst().startNs + timeout;
        }
        if (running && started < connections && active < concurrency) {
            wake = Math.min(wake, Math.max(nextStart, now));
        }
        if (wake != Long.MAX_VALUE) {
            t.wakeUpAt(wake);
        }
    }

    private void startOne(Task t, long now) {
        int fd = kernel.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            throw new IllegalStateException(name + ": socket failed: " + Errno.name(-fd));
        }
        started++;
        active++;
        Conn c = new Conn(t, fd, kernel.sockfdLookup(fd).sk, now);
        connecting.addLast(c);
        int r = kernel.connect(t, fd, dst);
        if (r == -Errno.EINPROGRESS) {
            c.sk.skWq.add(c);
        } else {
            connectDone(t, c, r);
        }
    }

    /** Moves {@code c} on after its socket woke it. */
    private void step(Task t, Conn c) {
        if (c.state == CONNECTING) {
            int r = kernel.connect(t, c.fd, dst);
            if (r == -Errno.EALREADY) {
                c.sk.skWq.add(c);
                return;
            }
            connectDone(t, c, r);
            return;
        }
        io(t, c);
    }

    private void connectDone(Task t, Conn c, int r) {
        long now = kernel.ktimeGetNs();
        if (r != 0) {
            failed(c, r);
            return;
        }
        latency[connected++] = now - c.startNs;
        if (work == Work.CONNECT_ONLY) {
            c.state = DONE;
            active--;
            return;
        }
        kernel.getsockname(c.fd, local);
        c.txSeed = TcpPayload.seed(local.port, TcpPayload.TO_SERVER);
        c.rxSeed = work == Work.BULK || expectEcho ? c.txSeed : TcpPayload.seed(local.port, TcpPayload.TO_CLIENT);
        c.toSend = work == Work.BULK ? bytes : request;
        c.toReceive = work == Work.BULK ? Long.MAX_VALUE : response;
        c.crcTx = new CRC32();
        c.crcRx = new CRC32();
        c.state = SENDING;
        io(t, c);
    }

    /** A connect that failed: counted by its errno, the socket closed. */
    private void failed(Conn c, int r) {
        if (r == -Errno.ECONNREFUSED) {
            refused++;
        } else if (r == -Errno.ECONNRESET) {
            reset++;
        } else {
            timedOut++;
        }
        c.state = DONE;
        active--;
        kernel.close(c.fd);
    }

    /**
     * Writes what is left to write and reads what has arrived, as far as the socket allows, as
     * a {@code poll(2)} loop on both directions does (a bulk client reads an echo while it still
     * writes, so neither side's buffers fill for good); sleeps on the socket when neither
     * direction moves.
     */
    private void io(Task t, Conn c) {
        while (c.state == SENDING || c.state == RECEIVING) {
            boolean moved = false;
            if (c.state == SENDING) {
                if (c.toSend == 0) {
                    c.state = RECEIVING;
                    moved = true;
                    if (work == Work.BULK && kernel.shutdown(c.fd, SHUT_WR) < 0) {
                        finish(c);
                        return;
                    }
                } else {
                    int n = (int) Math.min(c.toSend, buf.length);
                    TcpPayload.fill(buf, 0, n, c.txSeed, c.txOff);
                    int w = kernel.sendto(t, c.fd, buf, 0, n, MSG_DONTWAIT, null);
                    if (w >= 0) {
                        bytesSent += w;
                        crcTx ^= crcDelta(c.crcTx, buf, 0, w);
                        c.txOff += w;
                        c.toSend -= w;
                        moved = w > 0;
                    } else if (w != -Errno.EAGAIN) {
                        broken(c, w);
                        return;
                    }
                }
            }
            if (c.toReceive == 0) {
                if (c.state == RECEIVING) {
                    finish(c);
                    return;
                }
            } else {
                int n = (int) Math.min(c.toReceive, buf.length);
                int r = kernel.recvfrom(t, c.fd, buf, 0, n, MSG_DONTWAIT, null);
                if (r > 0) {
                    bytesReceived += r;
                    badBytes += TcpPayload.mismatches(buf, 0, r, c.rxSeed, c.rxOff);
                    crcRx ^= crcDelta(c.crcRx, buf, 0, r);
                    c.rxOff += r;
                    if (c.toReceive != Long.MAX_VALUE) {
                        c.toReceive -= r;
                    }
                    moved = true;
                } else if (r == 0) {
                    // the peer's FIN: short unless a bulk client had written everything
                    if (work != Work.BULK || c.state == SENDING) {
                        shortConns++;
                    }
                    finish(c);
                    return;
                } else if (r != -Errno.EAGAIN) {
                    broken(c, r);
                    return;
                }
            }
            if (!moved) {
                c.sk.skWq.add(c);
                return;
            }
        }
    }

    /**
     * Folds {@code len} more bytes into one direction's running CRC of a connection and returns
     * the change to the app's exclusive or of all connections: the old value out, the new in.
     */
    private static int crcDelta(CRC32 crc, byte[] b, int off, int len) {
        int before = (int) crc.getValue();
        crc.update(b, off, len);
        return before ^ (int) crc.getValue();
    }

    private void finish(Conn c) {
        completed++;
        c.state = DONE;
        active--;
        kernel.close(c.fd);
        task.wakeUp();
    }

    /** A read or write failed: {@code ECONNRESET} and {@code EPIPE} count {@code reset}, other errors {@code errors}. */
    private void broken(Conn c, int err) {
        if (err == -Errno.ECONNRESET || err == -Errno.EPIPE) {
            reset++;
        } else {
            ioErrors++;
        }
        c.state = DONE;
        active--;
        kernel.close(c.fd);
        task.wakeUp();
    }

    @Override
    public void stop() {
        running = false;
    }

    /** Connections established so far. */
    public int connected() {
        return connected;
    }

    private List<long[]> histogram() {
        long[] l = Arrays.copyOf(latency, connected);
        Arrays.sort(l);
        List<long[]> rows = new ArrayList<>();
        int i = 0;
        while (i < l.length) {
            long s = l[i] / 1_000_000_000L;
            int j = i;
            while (j < l.length && l[j] / 1_000_000_000L == s) {
                j++;
            }
            rows.add(new long[] {s, j - i, l[i], l[j - 1]});
            i = j;
        }
        return rows;
    }

    @Override
    public void report(ResultWriter out) {
        long[] l = Arrays.copyOf(latency, connected);
        Arrays.sort(l);
        boolean ok = badBytes == 0 && shortConns == 0;
        out.put("started", (long) started).put("connected", (long) connected).put("refused", refused).put("timed_out", timedOut).put("reset", reset)
                .put("in_flight", (long) connectingCount())
                .put("completed", completed).put("short", shortConns).put("errors", ioErrors)
                .put("connect_p50_ns", pct(l, 0.50)).put("connect_p99_ns", pct(l, 0.99))
                .put("connect_max_ns", l.length == 0 ? 0L : l[l.length - 1])
                .put("bytes_sent", bytesSent).put("bytes_received", bytesReceived)
                .put("bad_bytes", badBytes).put("integrity_ok", ok)
                .put("sent_crc32", String.format("%08x", crcTx)).put("received_crc32", String.format("%08x", crcRx));
    }

    private int connectingCount() {
        int n = 0;
        for (Conn c : connecting) {
            if (c.state == CONNECTING) {
                n++;
            }
        }
        return n;
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(idx, sorted.length - 1))];
    }
}
