package net.linuxnet.apps.ping;

import java.util.List;
import net.linuxnet.api.app.Application;

import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.SockConst;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.apps.AppOptions;

/**
 * {@code ping}: iputils' {@code ping} over an ICMP datagram socket
 * ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}): every {@code interval} an echo
 * request with sequence numbers from 1 and {@code size} bytes of data (56 by default, so 64
 * bytes of ICMP), {@code count} of them (0: until the run ends). The kernel sets the
 * identifier. Replies are matched by sequence number; the round-trip time is measured from the
 * send. Keys: {@code dst} (required), {@code count} 0, {@code interval} 1s, {@code size} 56,
 * {@code cpu} 0.
 *
 * <p>Result: {@code transmitted}, {@code received}, {@code rtt_min_ns}, {@code rtt_avg_ns},
 * {@code rtt_max_ns}, {@code rtt_mdev_ns} (as ping computes mdev: the standard deviation
 * {@code sqrt(avg(rtt^2) - avg(rtt)^2)}), and {@code summary}, ping's closing lines.
 */
public final class PingApp implements Application {
    public static final String KIND = "ping";
    private static final int ICMP_ECHO = 8;
    private static final int ICMP_ECHOREPLY = 0;

    private final String name;
    private final Kernel kernel;
    private final int daddr;
    private final long count;
    private final long intervalNs;
    private final int size;
    private final int cpu;
    private final byte[] tx;
    private final byte[] rx = new byte[65536];
    private final long[] sentAt = new long[65536];
    private final boolean[] outstanding = new boolean[65536];
    private final SockaddrIn to = new SockaddrIn();
    private int fd = -1;
    private Task task;
    private boolean running;
    private long nextSend;
    private long transmitted;
    private long received;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;
    private double sum2;

    PingApp(String name, Kernel kernel, int daddr, long count, long intervalNs, int size, int cpu) {
        this.name = name;
        this.kernel = kernel;
        this.daddr = daddr;
        this.count = count;
        this.intervalNs = intervalNs;
        this.size = size;
        this.cpu = cpu;
        this.tx = new byte[8 + size];
        to.set(daddr, 0);
    }

    /** The {@code ping} application kind. */
    public static ApplicationType type() {
        return new ApplicationType() {
            @Override
            public String kind() {
                return KIND;
            }

            @Override
            public Application create(String name, Kernel kernel, Options o) {
                int daddr = AppOptions.ipv4(o, "dst", null);
                long count = o.getLong("count", 0, 0, Long.MAX_VALUE);
                long interval = o.getDurationNs("interval", 1_000_000_000L, 1, Long.MAX_VALUE);
                int size = (int) o.getBytes("size", 56, 0, 65507);
                int cpu = AppOptions.cpu(o, kernel);
                return new PingApp(name, kernel, daddr, count, interval, size, cpu);
            }
        };
    }

    /** The kinds this class provides. */
    public static List<ApplicationType> all() {
        return List.of(type());
    }

    @Override
    public void start() {
        fd = kernel.socket(SockConst.AF_INET, SockConst.SOCK_DGRAM, SockConst.IPPROTO_ICMP);
        if (fd < 0) {
            throw new IllegalStateException(name + ": socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) failed: " + Errno.name(-fd));
        }
        running = true;
        nextSend = kernel.ktimeGetNs();
        task = kernel.taskCreate(name, cpu, this::run);
        task.wakeUp();
    }

    private void run(Task t) {
        while (running) {
            int r = kernel.recvfrom(t, fd, rx, 0, rx.length, SockConst.MSG_DONTWAIT, null);
            if (r >= 8) {
                reply(r);
                continue;
            }
            long now = kernel.ktimeGetNs();
            if ((count == 0 || transmitted < count) && now >= nextSend) {
                send();
                nextSend += intervalNs;
                continue;
            }
            // sleep until a reply comes or the next request is due
            r = kernel.recvfrom(t, fd, rx, 0, rx.length, 0, null);
            if (r >= 8) {
                reply(r);
                continue;
            }
            if (count == 0 || transmitted < count) {
                t.wakeUpAt(nextSend);
            }
            return;
        }
    }

    private void send() {
        int seq = (int) ((transmitted + 1) & 0xffff);
        tx[0] = ICMP_ECHO;
        tx[1] = 0;
        tx[6] = (byte) (seq >>> 8);
        tx[7] = (byte) seq;
        int r = kernel.sendto(null, fd, tx, 0, tx.length, SockConst.MSG_DONTWAIT, to);
        transmitted++;
        if (r >= 0) {
            sentAt[seq] = kernel.ktimeGetNs();
            outstanding[seq] = true;
        }
    }

    private void reply(int len) {
        if ((rx[0] & 0xff) != ICMP_ECHOREPLY) {
            return;
        }
        int seq = ((rx[6] & 0xff) << 8) | (rx[7] & 0xff);
        if (!outstanding[seq]) {
            return; // a duplicate
        }
        outstanding[seq] = false;
        long rtt = kernel.ktimeGetNs() - sentAt[seq];
        received++;
        min = Math.min(min, rtt);
        max = Math.max(max, rtt);
        sum += rtt;
        sum2 += (double) rtt * rtt;
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
        long avg = received == 0 ? 0 : (long) (sum / received);
        long mdev = received == 0 ? 0 : (long) Math.sqrt(Math.max(0, sum2 / received - (sum / received) * (sum / received)));
        long mn = received == 0 ? 0 : min;
        out.put("transmitted", transmitted).put("received", received).put("rtt_min_ns", mn).put("rtt_avg_ns", avg)
                .put("rtt_max_ns", max).put("rtt_mdev_ns", mdev);
        long loss = transmitted == 0 ? 0 : (transmitted - received) * 100 / transmitted;
        String summary = "--- " + SockaddrIn.ntoa(daddr) + " ping statistics ---\n"
                + transmitted + " packets transmitted, " + received + " received, " + loss + "% packet loss\n"
                + (received == 0 ? "" : String.format("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms",
                        mn / 1e6, avg / 1e6, max / 1e6, mdev / 1e6));
        out.put("summary", summary);
    }
}
