package net.linuxnet.core.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.linuxnet.api.app.Application;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.core.cpu.CpuSet;
import net.linuxnet.core.pcap.PcapWriter;
import net.linuxnet.core.sim.Scheduler;

/**
 * A world: hosts joined by links, one scheduler and one seeded random source. A run starts
 * the applications, runs {@code duration} of simulated time, stops the applications, lets the
 * world drain for at most {@code drain}, then closes every device and purges every queue
 * with reason {@code QUEUE_PURGE}, so that every skb is accounted for when the report is taken.
 */
public final class World {

    /** An application on a host. */
    public record App(String name, String kind, Host host, Application app) {
    }

    private final Scheduler scheduler;
    private final CpuSet cpus;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<App> apps = new ArrayList<>();
    private final List<PcapWriter> captures = new ArrayList<>();
    private final long seed;
    private final long durationNs;
    private final long drainNs;
    private final boolean live;
    private Path jsonOutput;
    private long wallMs;
    private long purged;
    private boolean started;
    private boolean ran;
    private boolean finished;

    public World(Scheduler scheduler, CpuSet cpus, long seed, long durationNs, long drainNs, boolean live) {
        this.scheduler = scheduler;
        this.cpus = cpus;
        this.seed = seed;
        this.durationNs = durationNs;
        this.drainNs = drainNs;
        this.live = live;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public CpuSet cpus() {
        return cpus;
    }

    public void addHost(Host host) {
        hosts.put(host.hostname(), host);
    }

    public Map<String, Host> hosts() {
        return Collections.unmodifiableMap(hosts);
    }

    public Host host(String name) {
        return hosts.get(name);
    }

    public void addApp(App app) {
        apps.add(app);
    }

    public List<App> apps() {
        return Collections.unmodifiableList(apps);
    }

    /** Captures a device to a pcap file. */
    public void capture(Host host, NetDevice dev, Path file) {
        PcapWriter w = new PcapWriter(file);
        host.net().addObserver(dev, w);
        captures.add(w);
    }

    public List<PcapWriter> captures() {
        return Collections.unmodifiableList(captures);
    }

    public void setJsonOutput(Path path) {
        this.jsonOutput = path;
    }

    /** Where the scenario asked for the JSON report, or null. */
    public Path jsonOutput() {
        return jsonOutput;
    }

    public long seed() {
        return seed;
    }

    public long durationNs() {
        return durationNs;
    }

    /**
     * The simulated time the run covered: {@code duration} for a {@link #run}, what was reached
     * for a world stepped with {@link #runUntil}.
     */
    public long simulatedNs() {
        return ran ? durationNs : Math.min(durationNs, scheduler.now());
    }

    public boolean live() {
        return live;
    }

    public long wallMs() {
        return wallMs;
    }

    /** Packets still queued at the end and freed with {@code QUEUE_PURGE}. */
    public long purged() {
        return purged;
    }

    /**
     * Runs the scenario once: start, the half-open interval {@code [0, duration)}, then
     * {@link #finish}. A sender at 100 pps for 100 ms sends 10 packets.
     *
     * @param progress told of simulated time reached, now and then; may be null
     */
    public void run(ProgressListener progress) {
        if (started) {
            throw new IllegalStateException(ran ? "a world runs once" : "a world that was stepped cannot be run");
        }
        ran = true;
        long wallStart = System.nanoTime();
        start();
        long step = Math.max(durationNs / 100, 1_000_000L);
        for (long t = Math.min(step, durationNs); ; t = Math.min(t + step, durationNs)) {
            scheduler.runUntil(t < durationNs ? t : durationNs - 1); // [0, duration): nothing starts at duration
            if (progress != null) {
                progress.reached(t, durationNs, scheduler.eventsRun());
            }
            if (t >= durationNs) {
                break;
            }
        }
        finish();
        wallMs = (System.nanoTime() - wallStart) / 1_000_000L;
    }

    /**
     * Runs the world in steps, for a caller that drives it itself (a benchmark): the first
     * call starts the applications, and each call runs the scheduler until simulated time
     * {@code timeNs}. {@link #finish} ends a stepped run so that its counts balance.
     *
     * @throws IllegalStateException if the world was {@link #run}
     */
    public void runUntil(long timeNs) {
        if (ran) {
            throw new IllegalStateException("a world that was run cannot be stepped");
        }
        if (!started) {
            start();
        }
        scheduler.runUntil(timeNs);
    }

    private void start() {
        started = true;
        scheduler.setLive(live);
        for (App a : apps) {
            a.app().start();
        }
    }

    /**
     * Ends a run: stops the applications, lets the world drain for at most {@code drain},
     * purges what is still queued and closes the captures. {@link #run} calls it; a stepped
     * run calls it once at its end.
     */
    public void finish() {
        if (finished) {
            throw new IllegalStateException("a world finishes once");
        }
        finished = true;
        for (App a : apps) {
            a.app().stop();
        }
        long end = scheduler.now() + drainNs;
        while (scheduler.pending() > 0 && scheduler.nextTime() <= end) {
            scheduler.runUntil(Math.min(end, scheduler.nextTime()));
        }
        purge();
        for (PcapWriter w : captures) {
            w.close();
        }
    }

    /** Closes every device ({@code ndo_stop} frees its rings) and purges qdiscs, backlogs and socket receive queues. */
    private void purge() {
        for (Host h : hosts.values()) {
            purged += h.pernetExit();
            for (NetDevice dev : h.devices()) {
                dev.ops().ndoStop(dev);
                Qdisc<?> root = dev.qdisc();
                if (root != null) {
                    if (root.children().length == 0) {
                        purged += purgeQdisc(h, root);
                    }
                    for (Qdisc<?> c : root.children()) {
                        purged += purgeQdisc(h, c);
                    }
                }
            }
            purged += h.net().purgeBacklogs();
            purged += h.sockets().purge();
        }
    }

    /** {@code qdisc_reset} at the end of the run: the requeued packet and the queue, as {@code QUEUE_PURGE}. */
    static long purgeQdisc(Host h, Qdisc<?> q) {
        long n = q.qlen;
        SkBuff req = q.requeued;
        if (req != null) {
            q.requeued = null;
            q.qlen--;
            q.backlog -= req.len();
            h.kfreeSkbReason(req, SkbDropReason.QUEUE_PURGE);
        }
        q.reset(SkbDropReason.QUEUE_PURGE);
        return n;
    }

    /** Told of progress during a run. */
    @FunctionalInterface
    public interface ProgressListener {
        void reached(long simulatedNs, long durationNs, long events);
    }
}
