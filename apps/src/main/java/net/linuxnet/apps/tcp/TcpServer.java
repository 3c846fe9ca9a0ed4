package net.linuxnet.apps.tcp;

import static net.linuxnet.api.sock.SockConst.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.sock.InetConnectionSock;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;

/**
 * {@code tcp-server}: a listener on {@code listen} with {@code listen(fd, backlog)}, and the
 * connections it accepts, served by one task as an epoll loop serves them.
 *
 * <p>Accepting. With {@code accept = never} it never calls {@code accept(2)}, so its accept
 * queue fills (the listen-backlog experiment); with {@code rate} it accepts at most one
 * connection per {@code 1/accept-rate}; with {@code delay} it waits {@code accept-delay} after
 * seeing a child in the queue before each accept. The listener is non-blocking: an
 * {@code EAGAIN} puts the task on its wait queue.
 *
 * <p>Serving ({@code mode}), with non-blocking reads and writes; a call that would block puts
 * the connection's {@link EpollItem} on the socket's wait queue:
 *
 * <ul>
 *   <li>{@code discard}: read and drop;</li>
 *   <li>{@code echo}: write back what was read; what the socket does not take is kept and
 *       nothing more is read until it is written (so a slow reader slows its writer, as with
 *       any echo server);</li>
 *   <li>{@code reply}: for every {@code request} bytes read, write {@code reply-bytes} bytes of
 *       the reply stream ({@link TcpPayload#TO_CLIENT}); a {@code tcp-client} with the same
 *       {@code request} and {@code response = reply-bytes} does one such exchange per
 *       connection (netperf's TCP_RR, sizes agreed on both sides).</li>
 * </ul>
 *
 * When a read returns 0 (the peer's FIN) the server writes what it still owes, then closes its
 * side. A read error ({@code ECONNRESET}) closes the connection and counts {@code reset}. Every
 * byte read is checked against the client's stream ({@link TcpPayload#TO_SERVER}): a byte that
 * differs counts in {@code bad_bytes}.
 *
 * <p>Sampling: every {@code sample-interval} (a timer) the server records, as {@code ss -lnt}
 * and {@code nstat} would show them, the listener's accept queue ({@code sk_ack_backlog}), its
 * SYN queue ({@code icsk_accept_queue.qlen}), the host's {@code TcpExtListenOverflows} and
 * {@code TcpExtListenDrops}, and its own {@code accepted}, into the report's {@code series}
 * section ({@link TcpAppSeries}: {@code series.<app>.acceptq}).
 *
 * <p>Result: {@code accepted}, {@code closed}, {@code reset}, {@code bytes_received},
 * {@code bytes_sent}, {@code bad_bytes}, {@code integrity_ok}, {@code received_crc32} and
 * {@code sent_crc32} (the exclusive or of one CRC-32 per connection, so the order in which
 * connections ran does not matter: a client's {@code sent_crc32} equals the server's
 * {@code received_crc32} when every byte arrived), {@code acceptq_len} and {@code synq_len}
 * (the listener's queues at the end), {@code acceptq_max}, {@code synq_max} (the largest
 * sampled).
 */
public final class TcpServer implements Application {
    /** What the server does with a connection's bytes. */
    enum Mode {
        DISCARD, ECHO, REPLY
    }

    /** The bytes one read or write moves at most. */
    static final int IO_CHUNK = 65536;

    private final String name;
    private final Kernel kernel;
    private final SockaddrIn local;
    private final int backlog;
    private final String acceptMode;
    private final long acceptInterval;
    private final long acceptDelay;
    private final Mode mode;
    private final int request;
    private final int replyBytes;
    private final long sampleInterval;
    private final int cpu;
    private final ArrayDeque<EpollItem> rdllist = new ArrayDeque<>();
    private final byte[] buf = new byte[IO_CHUNK];
    private final SockaddrIn peer = new SockaddrIn();
    private final MibCounter listenOverflows;
    private final MibCounter listenDrops;
    private Listener listener;
    private int fd = -1;
    private InetConnectionSock lsk;
    private Task task;
    private TimerList sampleTimer;
    private boolean running;
    private long notBefore;
    private boolean delaying;
    private long accepted;
    private long closed;
    private long resets;
    private long bytesReceived;
    private long bytesSent;
    private long badBytes;
    private int crcRxClosed;
    private int crcTxClosed;
    private int open;
    private Conn openHead;
    private long startNs;
    private int acceptqMax;
    private int synqMax;
    private long[] samples = new long[6 * 128];
    private int nsamples;

    /** An accepted connection and its epoll item. */
    private final class Conn extends EpollItem {
        final int cfd;
        final Sock sk;
        final int rxSeed;
        final int txSeed;
        final CRC32 crcRx = new CRC32();
        final CRC32 crcTx = new CRC32();
        long rxOff;
        long txOff;
        /** Reply mode: request bytes read since the last full request. */
        int reqPart;
        /** Bytes owed to the peer: reply bytes, or echo bytes held in {@link #echo}. */
        long owed;
        byte[] echo;
        int echoOff;
        boolean eof;
        Conn prev;
        Conn next;

        Conn(Task owner, int cfd, Sock sk, int clientPort) {
            super(owner, rdllist);
            this.cfd = cfd;
            this.sk = sk;
            this.rxSeed = TcpPayload.seed(clientPort, TcpPayload.TO_SERVER);
            this.txSeed = TcpPayload.seed(clientPort, TcpPayload.TO_CLIENT);
        }
    }

    /** The listener's epoll item: wakes the task when a child is queued. */
    private final class Listener extends EpollItem {
        Listener(Task owner) {
            super(owner, rdllist);
        }
    }

    TcpServer(String name, Kernel kernel, SockaddrIn local, int backlog, String acceptMode, long acceptInterval,
            long acceptDelay, Mode mode, int request, int replyBytes, long sampleInterval, int cpu) {
        this.name = name;
        this.kernel = kernel;
        this.local = local;
        this.backlog = backlog;
        this.acceptMode = acceptMode;
        this.acceptInterval = acceptInterval;
        this.acceptDelay = acceptDelay;
        this.mode = mode;
        this.request = request;
        this.replyBytes = replyBytes;
        this.sampleInterval = sampleInterval;
        this.cpu = cpu;
        this.listenOverflows = kernel.mib("TcpExtListenOverflows");
        this.listenDrops = kernel.mib("TcpExtListenDrops");
        if (sampleInterval > 0) {
            TcpAppSeries.of(kernel).add(name, "acceptq", new TcpAppSeries.Source() {
                @Override
                public List<String> header() {
                    return List.of("t_ms", "acceptq_len", "synq_len", "listen_overflows", "listen_drops", "accepted");
                }

                @Override
                public List<long[]> rows() {
                    List<long[]> rows = new ArrayList<>(nsamples);
                    for (int i = 0; i < nsamples; i++) {
                        long[] r = new long[6];
                        System.arraycopy(samples, 6 * i, r, 0, 6);
                        rows.add(r);
                    }
                    return rows;
                }
            });
        }
    }

    @Override
    public void start() {
        fd = kernel.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        check("socket", fd);
        check("bind(" + local + ")", kernel.bind(fd, local));
        check("listen(" + backlog + ")", kernel.listen(fd, backlog));
        Socket sock = kernel.sockfdLookup(fd);
        lsk = sock.sk instanceof InetConnectionSock icsk ? icsk : null;
        running = true;
        startNs = kernel.ktimeGetNs();
        task = kernel.taskCreate(name, cpu, this::run);
        listener = new Listener(task);
        if (!acceptMode.equals("never")) {
            task.wakeUp();
        }
        if (sampleInterval > 0 && lsk != null) {
            sampleTimer = kernel.timerSetup(this::sample);
            sample(sampleTimer);
        }
    }

    private void check(String call, int r) {
        if (r < 0) {
            throw new IllegalStateException(name + ": " + call + " failed: " + Errno.name(-r));
        }
    }

    /** The sampling timer: one row of {@code series.<app>.acceptq}, then the next in {@code sample-interval}. */
    private void sample(TimerList t) {
        int aq = lsk.skAckBacklog();
        int sq = lsk.icskAcceptQueue.qlen;
        acceptqMax = Math.max(acceptqMax, aq);
        synqMax = Math.max(synqMax, sq);
        if (6 * (nsamples + 1) > samples.length) {
            samples = java.util.Arrays.copyOf(samples, samples.length * 2);
        }
        int o = 6 * nsamples++;
        samples[o] = (kernel.ktimeGetNs() - startNs) / 1_000_000L;
        samples[o + 1] = aq;
        samples[o + 2] = sq;
        samples[o + 3] = listenOverflows.get();
        samples[o + 4] = listenDrops.get();
        samples[o + 5] = accepted;
        t.mod(startNs + nsamples * sampleInterval);
    }

    private void run(Task t) {
        if (running && !acceptMode.equals("never")) {
            acceptSome(t);
        }
        EpollItem e;
        while ((e = EpollItem.poll(rdllist)) != null) {
            if (e instanceof Conn c) {
                serve(t, c);
            }
            // the listener's item only wakes the task: acceptSome looked at the queue
        }
    }

    /** Accepts while the accept mode allows, serving each new connection at once. */
    private void acceptSome(Task t) {
        while (running) {
            long now = kernel.ktimeGetNs();
            if (now < notBefore) {
                t.wakeUpAt(notBefore);
                return;
            }
            if (acceptMode.equals("delay") && !delaying && acceptDelay > 0) {
                if (lsk != null && lsk.skAckBacklog() == 0) {
                    lsk.skWq.add(listener);
                    return;
                }
                delaying = true;
                notBefore = now + acceptDelay;
                t.wakeUpAt(notBefore);
                return;
            }
            int r = kernel.accept(t, fd, peer, SOCK_NONBLOCK);
            if (r == -Errno.EAGAIN) {
                lsk.skWq.add(listener);
                return;
            }
            if (r < 0) {
                return;
            }
            delaying = false;
            accepted++;
            if (acceptMode.equals("rate")) {
                notBefore = kernel.ktimeGetNs() + acceptInterval;
            }
            Socket s = kernel.sockfdLookup(r);
            Conn c = new Conn(t, r, s.sk, peer.port);
            link(c);
            serve(t, c);
        }
    }

    private void link(Conn c) {
        open++;
        c.next = openHead;
        if (openHead != null) {
            openHead.prev = c;
        }
        openHead = c;
    }

    private void unlink(Conn c) {
        open--;
        if (c.prev != null) {
            c.prev.next = c.next;
        } else {
            openHead = c.next;
        }
        if (c.next != null) {
            c.next.prev = c.prev;
        }
        c.prev = c.next = null;
    }

    /** Moves what can be moved on {@code c} without blocking; sleeps on its socket when nothing can. */
    private void serve(Task t, Conn c) {
        while (true) {
            if (c.owed > 0) {
                int n = (int) Math.min(c.owed, IO_CHUNK);
                byte[] src;
                int off;
                if (mode == Mode.ECHO) {
                    src = c.echo;
                    off = c.echoOff;
                } else {
                    TcpPayload.fill(buf, 0, n, c.txSeed, c.txOff);
                    src = buf;
                    off = 0;
                }
                int w = kernel.sendto(t, c.cfd, src, off, n, MSG_DONTWAIT, null);
                if (w == -Errno.EAGAIN) {
                    c.sk.skWq.add(c);
                    return;
                }
                if (w < 0) {
                    shut(c, true);
                    return;
                }
                sent(c, src, off, w);
                if (mode == Mode.ECHO) {
                    c.echoOff += w;
                }
                continue;
            }
            if (c.eof) {
                shut(c, false);
                return;
            }
            int r = kernel.recvfrom(t, c.cfd, buf, 0, IO_CHUNK, MSG_DONTWAIT, null);
            if (r == -Errno.EAGAIN) {
                c.sk.skWq.add(c);
                return;
            }
            if (r < 0) {
                shut(c, true);
                return;
            }
            if (r == 0) {
                c.eof = true;
                continue;
            }
            bytesReceived += r;
            badBytes += TcpPayload.mismatches(buf, 0, r, c.rxSeed, c.rxOff);
            c.rxOff += r;
            c.crcRx.update(buf, 0, r);
            switch (mode) {
                case DISCARD -> {
                }
                case ECHO -> echo(t, c, r);
                case REPLY -> {
                    c.reqPart += r;
                    c.owed += (long) (c.reqPart / request) * replyBytes;
                    c.reqPart %= request;
                }
            }
        }
    }

    /** Echo: writes the {@code r} bytes just read, and keeps what the socket did not take. */
    private void echo(Task t, Conn c, int r) {
        int w = kernel.sendto(t, c.cfd, buf, 0, r, MSG_DONTWAIT, null);
        if (w == -Errno.EAGAIN) {
            w = 0;
        } else if (w < 0) {
            return; // the next read reports the error
        } else {
            sent(c, buf, 0, w);
        }
        if (w < r) {
            if (c.echo == null || c.echo.length < r - w) {
                c.echo = new byte[Math.max(r - w, 4096)];
            }
            System.arraycopy(buf, w, c.echo, 0, r - w);
            c.echoOff = 0;
            c.owed = r - w;
        }
    }

    private void sent(Conn c, byte[] src, int off, int w) {
        bytesSent += w;
        c.txOff += w;
        c.owed -= w;
        c.crcTx.update(src, off, w);
    }

    /** Closes the server's side of {@code c}. */
    private void shut(Conn c, boolean reset) {
        if (reset) {
            resets++;
        }
        closed++;
        crcRxClosed ^= (int) c.crcRx.getValue();
        crcTxClosed ^= (int) c.crcTx.getValue();
        unlink(c);
        kernel.close(c.cfd);
    }

    @Override
    public void stop() {
        running = false;
    }

    /** Connections accepted so far. */
    public long accepted() {
        return accepted;
    }

    @Override
    public void report(ResultWriter out) {
        int crcRx = crcRxClosed;
        int crcTx = crcTxClosed;
        for (Conn c = openHead; c != null; c = c.next) {
            crcRx ^= (int) c.crcRx.getValue();
            crcTx ^= (int) c.crcTx.getValue();
        }
        out.put("accepted", accepted).put("open", (long) open).put("closed", closed).put("reset", resets)
                .put("bytes_received", bytesReceived).put("bytes_sent", bytesSent)
                .put("bad_bytes", badBytes).put("integrity_ok", badBytes == 0)
                .put("received_crc32", String.format("%08x", crcRx)).put("sent_crc32", String.format("%08x", crcTx))
                .put("acceptq_len", lsk == null ? 0L : lsk.skAckBacklog())
                .put("synq_len", lsk == null ? 0L : lsk.icskAcceptQueue.qlen)
                .put("acceptq_max", (long) acceptqMax).put("synq_max", (long) synqMax);
    }
}
