package net.linuxnet.apps.tcp;

import static net.linuxnet.api.sock.SockConst.*;

import java.util.ArrayList;
import java.util.List;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * {@code tcp-server}: a listener on {@code listen} with {@code listen(fd, backlog)}. With
 * {@code accept = never} it never calls {@code accept(2)}, so its accept queue fills (the
 * classic listen-backlog experiment); with {@code rate} it accepts at most one connection per
 * {@code 1/accept-rate}; with {@code delay} it waits {@code accept-delay} after being woken
 * before each accept. The blocking {@code accept} sleeps on the listener until a child arrives.
 * Accepted connections are kept open ({@code mode = discard}: data transfer comes with a later
 * slice of TCP).
 *
 * <p>Result: {@code accepted}, {@code bytes_received}, {@code bytes_sent}.
 */
public final class TcpServer implements Application {
    private final String name;
    private final Kernel kernel;
    private final SockaddrIn local;
    private final int backlog;
    private final String acceptMode;
    private final long acceptInterval;
    private final long acceptDelay;
    private final int cpu;
    private final List<Integer> conns = new ArrayList<>();
    private int fd = -1;
    private Task task;
    private boolean running;
    private long notBefore;
    private boolean delaying;
    private long accepted;

    TcpServer(String name, Kernel kernel, SockaddrIn local, int backlog, String acceptMode, long acceptInterval,
            long acceptDelay, int cpu) {
        this.name = name;
        this.kernel = kernel;
        this.local = local;
        this.backlog = backlog;
        this.acceptMode = acceptMode;
        this.acceptInterval = acceptInterval;
        this.acceptDelay = acceptDelay;
        this.cpu = cpu;
    }

    @Override
    public void start() {
        fd = kernel.socket(AF_INET, SOCK_STREAM, 0);
        check("socket", fd);
        check("bind(" + local + ")", kernel.bind(fd, local));
        check("listen(" + backlog + ")", kernel.listen(fd, backlog));
        running = true;
        if (!acceptMode.equals("never")) {
            task = kernel.taskCreate(name, cpu, this::run);
            task.wakeUp();
        }
    }

    private void check(String call, int r) {
        if (r < 0) {
            throw new IllegalStateException(name + ": " + call + " failed: " + Errno.name(-r));
        }
    }

    private void run(Task t) {
        while (running) {
            long now = kernel.ktimeGetNs();
            if (now < notBefore) {
                t.wakeUpAt(notBefore);
                return;
            }
            if (acceptMode.equals("delay") && !delaying && acceptDelay > 0) {
                // sleep on the listener until a child is there, then the delay
                var sock = kernel.sockfdLookup(fd);
                if (sock == null) {
                    return;
                }
                if (sock.sk instanceof net.linuxnet.api.sock.InetConnectionSock icsk && icsk.skAckBacklog() == 0) {
                    sock.sk.skWq.add(t);
                    return;
                }
                delaying = true;
                notBefore = now + acceptDelay;
                t.wakeUpAt(notBefore);
                return;
            }
            int r = kernel.accept(t, fd, null, 0);
            if (r == -Errno.ERESTARTSYS) {
                return;
            }
            if (r < 0) {
                return;
            }
            delaying = false;
            accepted++;
            conns.add(r);
            if (acceptMode.equals("rate")) {
                notBefore = kernel.ktimeGetNs() + acceptInterval;
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

    /** Connections accepted so far. */
    public long accepted() {
        return accepted;
    }

    @Override
    public void report(ResultWriter out) {
        out.put("accepted", accepted).put("bytes_received", 0L).put("bytes_sent", 0L);
    }
}
