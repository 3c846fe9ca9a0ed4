package net.linuxnet.packetdrill;

import static net.linuxnet.api.sock.SockConst.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;
import net.linuxnet.api.sock.TcpInfo;
import net.linuxnet.core.config.ScenarioLoader;
import net.linuxnet.core.config.WorldBuilder;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.plugin.PluginRegistry;
import net.linuxnet.packetdrill.Script.Event;
import net.linuxnet.packetdrill.Script.Expr;
import net.linuxnet.packetdrill.Script.TimeType;

/**
 * Runs packetdrill scripts against a model host in simulated time, as packetdrill's
 * {@code run.c} runs them against the kernel under test: the script's system calls call the
 * host's socket layer, its {@code <} packets are written into {@code tun0}, its {@code >}
 * packets must match what the host transmits on {@code tun0}, and its commands and
 * {@code %{ }%} blocks are interpreted as operations on the model (see {@link Shell},
 * {@link CodeBlock}).
 *
 * <p>Each script gets a fresh world: one host, {@code tun0} with the local address, a route to
 * the remote network on {@code tun0}, and a permanent neighbour entry for the next hop. A run
 * ends at the first failure, whose message is packetdrill's {@code file:line: error ...}.
 */
public final class PacketdrillRunner {

    /** The outcome of one script: passed, or the first failure's message. */
    public record Result(String file, boolean passed, String message) {
        /** {@code PASS file} or {@code FAIL message}. */
        public String line() {
            return passed ? "PASS " + file : "FAIL " + message;
        }
    }

    private final PluginRegistry plugins;
    private final Map<String, String> commandLine;
    private final boolean debugPool;

    /**
     * @param plugins the protocols and drivers (IPv4, ARP, TCP, and this module's tun driver must be among them)
     * @param commandLine packetdrill flags without their dashes ({@code tolerance_usecs -> 14000});
     *     a symbol definition ({@code -D NAME=VALUE}) is the key {@code D.NAME}
     * @param debugPool whether the worlds poison freed skbs (tests)
     */
    public PacketdrillRunner(PluginRegistry plugins, Map<String, String> commandLine, boolean debugPool) {
        this.plugins = Objects.requireNonNull(plugins, "plugins is null");
        this.commandLine = Map.copyOf(commandLine);
        this.debugPool = debugPool;
    }

    /** Runs the script in {@code file}. */
    public Result run(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Result(file.toString(), false, file + ": error: cannot read the script: " + e.getMessage());
        }
        return run(file.toString(), text);
    }

    /** Runs {@code text} as the script named {@code file}. */
    public Result run(String file, String text) {
        Run r = null;
        try {
            Script script = Parser.parse(file, text);
            Flags flags = new Flags();
            for (Map.Entry<String, String> e : script.options().entrySet()) {
                String err = flags.apply(e.getKey(), e.getValue());
                if (err != null) {
                    throw new ScriptError(file, 0, "error: " + err);
                }
            }
            for (Map.Entry<String, String> e : commandLine.entrySet()) {
                String err = flags.apply(e.getKey(), e.getValue());
                if (err != null) {
                    throw new ScriptError(file, 0, "error: " + err);
                }
            }
            if (flags.dryRun) {
                return new Result(file, true, null); // --dry_run: parse and check the options only
            }
            r = new Run(script, flags);
            r.execute();
            r.finishWorld();
            r = null;
            return new Result(file, true, null);
        } catch (ScriptError e) {
            if (r != null) {
                r.finishQuietly();
            }
            return new Result(file, false, e.getMessage());
        } catch (RuntimeException e) {
            // a bug in the model (or here), not in the script: named, with where it happened
            if (r != null) {
                r.finishQuietly();
            }
            StackTraceElement[] st = e.getStackTrace();
            return new Result(file, false, file + ":" + (r != null ? r.currentLine : 0) + ": error: internal error in the model: " + e
                    + (st.length > 0 ? " at " + st[0] : ""));
        }
    }

    // ---- one run -----------------------------------------------------------------------------

    /** A connection the script talks about ({@code struct socket} of packetdrill's {@code socket.h}). */
    static final class Conn {
        final int localPort;
        final int remotePort;
        long remoteIsn;
        boolean remoteIsnKnown;
        long liveLocalIsn;
        long scriptLocalIsn;
        boolean localIsnKnown;
        final Map<Long, Long> tsScriptToLive = new HashMap<>();
        long firstTsScript = -1;
        long firstTsLive;

        Conn(int localPort, int remotePort) {
            this.localPort = localPort;
            this.remotePort = remotePort;
        }

        /** Local-side number of an inbound segment (ack, SACK) from the script's to the live space. */
        long localToLive(long script, boolean syn) {
            long off = syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
            return (script + off) & 0xffffffffL;
        }

        long localToScript(long live, boolean syn) {
            long off = syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
            return (live - off) & 0xffffffffL;
        }

        long remoteToLive(long script, boolean syn) {
            return syn ? script & 0xffffffffL : (script + remoteIsn) & 0xffffffffL;
        }

        long remoteToScript(long live) {
            return (live - remoteIsn) & 0xffffffffL;
        }
    }

    /** The blocking system call in progress (packetdrill's syscall thread). */
    static final class Pending {
        final Event event;
        final Script.Syscall call;
        final long startNs;
        final long endNs;
        final boolean blockingAllowed;
        boolean done;
        int result;
        long returnNs;

        Pending(Event event, long startNs, long endNs, boolean blockingAllowed) {
            this.event = event;
            this.call = (Script.Syscall) event.action();
            this.startNs = startNs;
            this.endNs = endNs;
            this.blockingAllowed = blockingAllowed;
        }
    }

    /** A {@code %{ }%} block with the TCP_INFO snapshot of its time. */
    record CodeRun(Event event, byte[] info, int len, String error) {
    }

    final class Run {
        private static final long SETTLE_NS = 200_000L;
        private static final long MAX_WAIT_NS = 4000L * 1_000_000_000L;

        final Script script;
        final String file;
        final Flags flags;
        World world;
        Host host;
        TunDriverProvider.Tun tun;
        Task task;
        final Shell shell;
        long baseNs;
        long prevActualNs;
        long prevScheduledNs;
        boolean prevInbound;
        final Map<Long, Conn> conns = new LinkedHashMap<>();
        Conn current;
        int nextRemotePort = 48000;
        final Map<Long, Integer> fds = new HashMap<>();
        int lastFd = -1;
        Pending pending;
        final List<CodeRun> codeRuns = new ArrayList<>();
        final Map<String, Long> nstatBase = new HashMap<>();
        boolean finished;
        int currentLine;

        Run(Script script, Flags flags) {
            this.script = script;
            this.file = script.file();
            this.flags = flags;
            this.shell = new Shell(this);
        }

        ScriptError error(Event e, String msg) {
            return new ScriptError(file, e == null ? 0 : e.line(), msg);
        }

        long now() {
            return world.scheduler().now();
        }

        // -- world ---------------------------------------------------------------------------

        void buildWorld(String qdiscConf) {
            String local = SockaddrIn.ntoa(flags.localIp);
            String remote = SockaddrIn.ntoa(flags.remoteIp);
            String gw = SockaddrIn.ntoa(flags.gatewayIp);
            int mask = flags.prefixLen == 0 ? 0 : -1 << (32 - flags.prefixLen);
            boolean viaGateway = flags.gatewayIp != flags.localIp && (flags.gatewayIp & mask) == (flags.localIp & mask)
                    && (flags.remoteIp & mask) != (flags.localIp & mask);
            String route = viaGateway ? "{ dst = \"" + net(flags.remoteIp, 24) + "\", via = \"" + gw + "\", dev = tun0 }"
                    : "{ dst = \"" + net(flags.remoteIp, 24) + "\", dev = tun0 }";
            String neigh = "{ dst = \"" + (viaGateway ? gw : remote) + "\", lladdr = \"02:00:00:00:00:02\", dev = tun0 }";
            if ((flags.remoteIp & mask) == (flags.localIp & mask)) {
                route = null;
            }
            String conf = "linuxnet {\n"
                    + "  run { duration = 100000s, drain = 0s, seed = 1 }\n"
                    + "  hosts { local {\n"
                    + "    cpus = 1\n"
                    + "    devices { tun0 { driver = " + TunDriverProvider.KIND + ", mac = \"02:00:00:00:00:01\", mtu = "
                    + flags.mtu + ", addresses = [\"" + local + "/" + flags.prefixLen + "\"] } }\n"
                    + (route != null ? "    routes = [ " + route + " ]\n" : "")
                    + "    neigh = [ " + neigh + " ]\n"
                    + (qdiscConf != null ? "    qdiscs { tun0 { " + qdiscConf + " } }\n" : "")
                    + "  } }\n"
                    + "}\n";
            try {
                world = WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(conf, "packetdrill"), Map.of(),
                        plugins.referenceConfig()), plugins, debugPool);
            } catch (RuntimeException e) {
                throw new ScriptError(file, 0, "error: cannot build the model host: " + e.getMessage());
            }
            host = world.host("local");
            var dev = host.devGetByName("tun0");
            if (dev == null || !TunDriverProvider.KIND.equals(dev.kind())) {
                throw new ScriptError(file, 0, "error: the model host has no " + TunDriverProvider.KIND + " device");
            }
            tun = TunDriverProvider.Tun.of(dev);
            world.runUntil(0);
            settle();
            // the gratuitous ARP of the address and anything else before the script starts
            while (tun.poll() != null) {
                // dropped: packetdrill's sniffer starts with the script
            }
            task = host.taskCreate("packetdrill", 0, this::taskBody);
            baseNs = now();
            prevActualNs = baseNs;
            prevScheduledNs = baseNs;
        }

        private static String net(int addr, int len) {
            int mask = -1 << (32 - len);
            return SockaddrIn.ntoa(addr & mask) + "/" + len;
        }

        void finishWorld() {
            if (world == null || finished) {
                return;
            }
            finished = true;
            task.stop();
            world.finish();
            long live = host.pool().live();
            if (live != 0) {
                throw new ScriptError(file, 0, "error: skb leak in the model: " + live + " skbs not freed at the end of the run");
            }
        }

        void finishQuietly() {
            try {
                finishWorld();
            } catch (RuntimeException e) {
                // the first failure is what the script reports
            }
        }

        /** Runs the events due within {@link #SETTLE_NS}: the processing of what was just injected or called. */
        void settle() {
            long limit = now() + SETTLE_NS;
            long next;
            while ((next = world.scheduler().nextTime()) <= limit) {
                world.runUntil(next);
            }
        }

        void runTo(long ns) {
            if (ns > now()) {
                world.runUntil(ns);
            }
        }

        // -- the event loop (run.c: run_script) -------------------------------------------------

        void execute() {
            List<Event> events = script.events();
            int k = 0;
            // the init command: before the clock starts; a tc qdisc there configures the world
            List<Event> init = new ArrayList<>();
            while (k < events.size() && events.get(k).timeType() == TimeType.NONE) {
                init.add(events.get(k++));
            }
            String qdisc = null;
            List<Shell.Op> initOps = new ArrayList<>();
            for (Event e : init) {
                if (!(e.action() instanceof Script.Command c)) {
                    throw error(e, "error: a %{ }% block needs a time");
                }
                for (Shell.Op op : shell.parse(e, c.text())) {
                    if (op.qdiscConf() != null && op.optional() && !plugins.qdiscKinds().contains("pfifo")) {
                        continue; // the profile's pfifo, where no qdisc plugin is loaded: the device stays noqueue
                    }
                    if (op.qdiscConf() != null) {
                        qdisc = op.qdiscConf();
                    } else {
                        initOps.add(op);
                    }
                }
            }
            buildWorld(qdisc);
            for (Shell.Op op : initOps) {
                shell.execute(op);
            }
            for (; k < events.size(); k++) {
                Event e = events.get(k);
                currentLine = e.line();
                checkPending(false);
                switch (e.action()) {
                    case Script.Packet p when p.inbound() -> inbound(e, p);
                    case Script.Packet p -> outbound(e, p);
                    case Script.Syscall s -> syscall(e, s);
                    case Script.Command c -> command(e, c);
                    case Script.Code c -> code(e, c);
                }
                prevInbound = e.action() instanceof Script.Packet p && p.inbound();
            }
            checkPending(true);
            for (CodeRun cr : codeRuns) {
                runCode(cr);
            }
        }

        /** Waits for the event's time; fails if the interpreter is later than the tolerance allows. */
        long waitFor(Event e) {
            long t;
            switch (e.timeType()) {
                case NONE -> {
                    return now();
                }
                case ABSOLUTE -> t = baseNs + e.startUs() * 1000;
                case RELATIVE -> t = (prevInbound && e.action() instanceof Script.Packet p && p.inbound() ? prevScheduledNs
                        : prevActualNs) + e.startUs() * 1000;
                default -> throw error(e, "error: bad time for this event");
            }
            if (t < now()) {
                long tol = toleranceNs(t);
                if (now() - t > tol) {
                    throw error(e, "error: timing error: event expected at " + secs(t) + " s but the previous event finished at "
                            + secs(now()) + " s (tolerance " + tol / 1000 + " us)");
                }
            }
            runTo(t);
            prevScheduledNs = t;
            return t;
        }

        long toleranceNs(long expectedNs) {
            long pct = (long) (flags.tolerancePercent / 100.0 * Math.max(0, expectedNs - prevActualNs));
            return Math.max(flags.toleranceUsecs * 1000, pct);
        }

        String secs(long ns) {
            return String.format("%.6f", (ns - baseNs) / 1e9);
        }

        // -- inbound packets (run_packet.c: do_inbound_script_packet) ----------------------------

        Conn connFor(Event e, Script.Packet p) {
            if (p.srcPort() >= 0) {
                int local = p.inbound() ? p.dstPort() : p.srcPort();
                int remote = p.inbound() ? p.srcPort() : p.dstPort();
                Conn c = conns.computeIfAbsent(key(local, remote), x -> new Conn(local, remote));
                current = c;
                return c;
            }
            if (current == null && p.inbound()) {
                current = new Conn(flags.bindPort, nextRemotePort++);
                conns.put(key(current.localPort, current.remotePort), current);
            }
            return current;
        }

        long key(int local, int remote) {
            return (long) local << 16 | remote;
        }

        void inbound(Event e, Script.Packet p) {
            waitFor(e);
            Conn c = connFor(e, p);
            int fl = Segment.parseFlags(p.flags());
            boolean syn = (fl & Segment.SYN) != 0;
            if (!c.remoteIsnKnown) {
                c.remoteIsn = p.seq();
                c.remoteIsnKnown = true;
            }
            Segment s = new Segment();
            s.src = flags.remoteIp;
            s.dst = flags.localIp;
            s.sport = c.remotePort;
            s.dport = c.localPort;
            s.flags = fl;
            s.seq = c.remoteToLive(p.seq(), syn);
            if ((fl & Segment.ACK) != 0) {
                s.ack = c.localToLive(p.ack() == null ? 0 : p.ack(), syn);
            }
            s.win = (int) (long) p.win();
            s.urg = p.urg() == null ? 0 : (int) (long) p.urg();
            s.payloadLen = (int) p.len();
            if (p.tos() != null) {
                s.tos = p.tos();
            }
            if (p.ttl() != null) {
                s.ttl = p.ttl();
            }
            for (Script.TcpOption o : p.options()) {
                switch (o.kind()) {
                    case "sack" -> {
                        List<long[]> live = new ArrayList<>();
                        for (long[] b : o.blocks()) {
                            live.add(new long[] {c.localToLive(b[0], false), c.localToLive(b[1], false)});
                        }
                        s.options.add(new Segment.Opt("sack", 0, 0, live));
                    }
                    case "TS" -> {
                        long ecr = o.b();
                        if ((fl & Segment.ACK) != 0) {
                            Long live = c.tsScriptToLive.get(ecr);
                            if (live == null) {
                                if (!flags.tsEcrScaled || c.firstTsScript < 0) {
                                    throw error(e, "error handling packet: unable to infer live TS ecr from outbound TS val " + ecr
                                            + " (no outbound packet of this connection had TS val " + ecr + ")");
                                }
                                live = c.firstTsLive + (ecr - c.firstTsScript);
                            }
                            ecr = live;
                        }
                        s.options.add(new Segment.Opt("TS", o.a(), ecr & 0xffffffffL, null));
                    }
                    default -> s.options.add(new Segment.Opt(o.kind(), o.a(), o.b(), null));
                }
            }
            tun.inject(s.encode());
            settle();
            prevActualNs = now();
        }

        // -- outbound packets (run_packet.c: do_outbound_script_packet, verify_outbound_live_packet)

        void outbound(Event e, Script.Packet p) {
            long lo;
            long hi;
            boolean any = false;
            long anchor = prevActualNs;
            switch (e.timeType()) {
                case ABSOLUTE -> lo = hi = baseNs + e.startUs() * 1000;
                case RELATIVE -> lo = hi = anchor + e.startUs() * 1000;
                case ABSOLUTE_RANGE -> {
                    lo = baseNs + e.startUs() * 1000;
                    hi = baseNs + e.endUs() * 1000;
                }
                case RELATIVE_RANGE -> {
                    lo = anchor + e.startUs() * 1000;
                    hi = anchor + e.endUs() * 1000;
                }
                default -> {
                    lo = now();
                    hi = now() + MAX_WAIT_NS;
                    any = true;
                }
            }
            long tol = any ? 0 : toleranceNs(hi);
            // packetdrill sniffs until the expected time + 2 s, then gives up
            TunDriverProvider.Sent sent = sniff(any ? hi : Math.max(hi + tol, hi + 2_000_000_000L));
            String expected = describe(p);
            if (sent == null) {
                throw error(e, "error handling packet: timed out waiting for packet\n  expected: " + expected + "\n  actual:   nothing sent by "
                        + secs(Math.max(hi + tol, hi + 2_000_000_000L)) + " s");
            }
            StringBuilder why = new StringBuilder();
            Segment s = Segment.decode(sent.ip(), why);
            if (s == null) {
                throw error(e, "error handling packet: expected a TCP packet but the host sent " + why + " at " + secs(sent.timeNs())
                        + " s\n  expected: " + expected);
            }
            Conn c;
            if (p.srcPort() >= 0) {
                c = connFor(e, p);
            } else if (current != null) {
                c = current;
            } else {
                c = new Conn(s.sport, s.dport);
                conns.put(key(c.localPort, c.remotePort), c);
                current = c;
            }
            if ((s.flags & Segment.SYN) != 0 && !c.localIsnKnown && s.sport == c.localPort && s.dport == c.remotePort) {
                c.liveLocalIsn = s.seq;
                c.scriptLocalIsn = p.seq();
                c.localIsnKnown = true;
            }
            // TSO/GSO aggregation: sniff more segments of the connection until the script's length
            int payload = s.payloadLen;
            int flagsSeen = s.flags;
            while (!flags.strictSegments && payload < p.len() && s.payloadLen > 0) {
                TunDriverProvider.Sent more = sniff(Math.max(hi + tol, hi + 2_000_000_000L));
                if (more == null) {
                    break;
                }
                Segment m = Segment.decode(more.ip(), new StringBuilder());
                if (m == null || m.sport != s.sport || m.dport != s.dport || m.seq != ((s.seq + payload) & 0xffffffffL)) {
                    throw error(e, "error handling packet: expected " + p.len() + " bytes of payload, the host sent " + payload
                            + " and then " + (m == null ? why : describeLive(m, c)) + "\n  expected: " + expected);
                }
                payload += m.payloadLen;
                flagsSeen |= m.flags;
            }
            Conn shownConn = conns.getOrDefault(key(s.sport, s.dport), c);
            String actual = describeLive(s, shownConn, payload, flagsSeen);
            String mismatch = compare(p, s, c, payload, flagsSeen);
            if (mismatch != null) {
                throw error(e, "error handling packet: " + mismatch + "\n  expected: " + expected + "\n  actual:   " + actual
                        + " at " + secs(sent.timeNs()) + " s");
            }
            if (!any) {
                long t = sent.timeNs();
                if (t < lo - tol || t > hi + tol) {
                    throw error(e, "error handling packet: timing error: expected outbound packet at " + secs(lo)
                            + (hi != lo ? "~" + secs(hi) : "") + " s but it was sent at " + secs(t) + " s (tolerance "
                            + tol / 1000 + " us)\n  expected: " + expected + "\n  actual:   " + actual);
                }
            }
            if (p.options() != null) {
                for (int k = 0; k < p.options().size() && k < s.options.size(); k++) {
                    if (p.options().get(k).kind().equals("TS") && s.options.get(k).kind().equals("TS")) {
                        long sv = p.options().get(k).a();
                        long lv = s.options.get(k).a();
                        c.tsScriptToLive.put(sv, lv);
                        if (c.firstTsScript < 0) {
                            c.firstTsScript = sv;
                            c.firstTsLive = lv;
                        }
                    }
                }
            }
            prevActualNs = Math.max(now(), sent.timeNs());
        }

        /** The next packet the host sends, running the world until {@code deadline}; null if none by then. */
        TunDriverProvider.Sent sniff(long deadline) {
            while (true) {
                if (tun.hasSent()) {
                    return tun.poll();
                }
                long next = world.scheduler().nextTime();
                if (next > deadline) {
                    runTo(deadline);
                    return tun.hasSent() ? tun.poll() : null;
                }
                world.runUntil(next);
            }
        }

        String compare(Script.Packet p, Segment s, Conn c, int payload, int flagsSeen) {
            if (s.sport != c.localPort || s.dport != c.remotePort || s.src != flags.localIp || s.dst != flags.remoteIp) {
                return "the packet is for another connection: " + SockaddrIn.ntoa(s.src) + ":" + s.sport + " > "
                        + SockaddrIn.ntoa(s.dst) + ":" + s.dport + ", expected " + SockaddrIn.ntoa(flags.localIp) + ":"
                        + c.localPort + " > " + SockaddrIn.ntoa(flags.remoteIp) + ":" + c.remotePort;
            }
            if (!s.ipCsumOk) {
                return "bad IPv4 header checksum";
            }
            int want = Segment.parseFlags(p.flags());
            if (flagsSeen != want) {
                return "bad outbound TCP flags: expected " + Segment.flagString(want) + " vs actual " + Segment.flagString(flagsSeen);
            }
            boolean syn = (s.flags & Segment.SYN) != 0;
            long seq = c.localToScript(s.seq, syn);
            if (seq != (p.seq() & 0xffffffffL)) {
                return "bad outbound TCP seq: expected " + p.seq() + " vs actual " + seq;
            }
            if ((want & Segment.ACK) != 0 && p.ack() != null) {
                long ack = c.remoteToScript(s.ack);
                if (ack != (p.ack() & 0xffffffffL)) {
                    return "bad outbound TCP ack: expected " + p.ack() + " vs actual " + ack;
                }
            }
            if (p.win() != null && s.win != p.win()) {
                return "bad outbound TCP window: expected " + p.win() + " vs actual " + s.win;
            }
            if (p.urg() != null && s.urg != p.urg()) {
                return "bad outbound TCP urgent pointer: expected " + p.urg() + " vs actual " + s.urg;
            }
            if (p.tos() != null && s.tos != p.tos()) {
                return "bad outbound IP TOS: expected " + p.tos() + " vs actual " + s.tos;
            }
            if (p.ttl() != null && s.ttl != p.ttl()) {
                return "bad outbound IP TTL: expected " + p.ttl() + " vs actual " + s.ttl;
            }
            if (p.options() != null) {
                String o = compareOptions(p.options(), s.options, c);
                if (o != null) {
                    return o;
                }
            }
            if (payload != p.len()) {
                return "bad outbound TCP payload length: expected " + p.len() + " vs actual " + payload;
            }
            return null;
        }

        String compareOptions(List<Script.TcpOption> want, List<Segment.Opt> got, Conn c) {
            if (want.size() != got.size()) {
                return "bad outbound TCP options: expected " + want.size() + " options vs actual " + got.size();
            }
            for (int k = 0; k < want.size(); k++) {
                Script.TcpOption w = want.get(k);
                Segment.Opt g = got.get(k);
                if (!w.kind().equals(g.kind())) {
                    return "bad outbound TCP option " + (k + 1) + ": expected " + w.kind() + " vs actual " + g.kind();
                }
                switch (w.kind()) {
                    case "mss", "wscale" -> {
                        if (w.a() != g.a()) {
                            return "bad outbound TCP option " + w.kind() + ": expected " + w.a() + " vs actual " + g.a();
                        }
                    }
                    case "sack" -> {
                        if (w.blocks().size() != g.blocks().size()) {
                            return "bad outbound TCP sack: expected " + w.blocks().size() + " blocks vs actual " + g.blocks().size();
                        }
                        for (int b = 0; b < w.blocks().size(); b++) {
                            long l = c.remoteToScript(g.blocks().get(b)[0]);
                            long r = c.remoteToScript(g.blocks().get(b)[1]);
                            if (l != w.blocks().get(b)[0] || r != w.blocks().get(b)[1]) {
                                return "bad outbound TCP sack block " + (b + 1) + ": expected " + w.blocks().get(b)[0] + ":"
                                        + w.blocks().get(b)[1] + " vs actual " + l + ":" + r;
                            }
                        }
                    }
                    case "TS" -> {
                        if (flags.tsTickUsecs > 0 && c.firstTsScript >= 0) {
                            long expectLive = c.firstTsLive + (w.a() - c.firstTsScript);
                            long diff = Math.abs((int) (g.a() - expectLive));
                            if (diff * flags.tsTickUsecs > flags.toleranceUsecs) {
                                return "bad outbound TCP TS val: expected " + w.a() + " (live " + (expectLive & 0xffffffffL)
                                        + ") vs actual live " + g.a();
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            return null;
        }

        String describe(Script.Packet p) {
            StringBuilder sb = new StringBuilder(p.inbound() ? "< " : "> ");
            if (p.srcPort() >= 0) {
                sb.append(p.srcPort()).append('>').append(p.dstPort()).append(' ');
            }
            sb.append(p.flags().isEmpty() ? "-" : p.flags()).append(' ').append(p.seq()).append(':')
                    .append((p.seq() + p.len()) & 0xffffffffL).append('(').append(p.len()).append(')');
            if (p.ack() != null) {
                sb.append(" ack ").append(p.ack());
            }
            if (p.win() != null) {
                sb.append(" win ").append(p.win());
            }
            if (p.options() == null) {
                sb.append(" <...>");
            } else if (!p.options().isEmpty()) {
                List<String> o = new ArrayList<>();
                for (Script.TcpOption t : p.options()) {
                    o.add(optionText(t.kind(), t.a(), t.b(), t.blocks(), null));
                }
                sb.append(" <").append(String.join(",", o)).append('>');
            }
            return sb.toString();
        }

        String describeLive(Segment s, Conn c) {
            return describeLive(s, c, s.payloadLen, s.flags);
        }

        String describeLive(Segment s, Conn c, int payload, int fl) {
            boolean syn = (s.flags & Segment.SYN) != 0;
            long seq = c.localToScript(s.seq, syn);
            StringBuilder sb = new StringBuilder("> ");
            sb.append(s.sport).append('>').append(s.dport).append(' ').append(Segment.flagString(fl)).append(' ').append(seq)
                    .append(':').append((seq + payload) & 0xffffffffL).append('(').append(payload).append(')');
            if ((fl & Segment.ACK) != 0) {
                sb.append(" ack ").append(c.remoteToScript(s.ack));
            }
            sb.append(" win ").append(s.win);
            if (!s.options.isEmpty()) {
                List<String> o = new ArrayList<>();
                for (Segment.Opt t : s.options) {
                    o.add(optionText(t.kind(), t.a(), t.b(), t.blocks(), c));
                }
                sb.append(" <").append(String.join(",", o)).append('>');
            }
            return sb.toString();
        }

        String optionText(String kind, long a, long b, List<long[]> blocks, Conn liveConn) {
            return switch (kind) {
                case "mss", "wscale" -> kind + " " + a;
                case "TS" -> "TS val " + a + " ecr " + b;
                case "sack" -> {
                    StringBuilder sb = new StringBuilder("sack");
                    for (long[] blk : blocks) {
                        sb.append(' ').append(liveConn == null ? blk[0] : liveConn.remoteToScript(blk[0])).append(':')
                                .append(liveConn == null ? blk[1] : liveConn.remoteToScript(blk[1]));
                    }
                    yield sb.toString();
                }
                default -> kind;
            };
        }

        // -- system calls (run_system_call.c) ---------------------------------------------------

        void taskBody(Task t) {
            Pending pd = pending;
            if (pd == null || pd.done) {
                return;
            }
            int r = invoke(pd.event, pd.call, t);
            if (r != -Errno.ERESTARTSYS) {
                pd.done = true;
                pd.result = r;
                pd.returnNs = now();
            }
        }

        /** Verifies a finished blocking call; {@code wait}: run the world until it returns. */
        void checkPending(boolean wait) {
            Pending pd = pending;
            if (pd == null) {
                return;
            }
            if (!pd.done && wait) {
                long deadline = pd.blockingAllowed ? pd.endNs + toleranceNs(pd.endNs) : now() + MAX_WAIT_NS;
                while (!pd.done) {
                    long next = world.scheduler().nextTime();
                    if (next > deadline) {
                        break;
                    }
                    world.runUntil(next);
                }
                if (!pd.done) {
                    throw error(pd.event, "error: " + pd.call.name() + " blocked and did not return "
                            + (pd.blockingAllowed ? "by " : "")
                            + (pd.blockingAllowed ? secs(deadline) + " s (expected return at " + secs(pd.endNs) + " s)"
                                    : "(a call that may block needs a start...end time)"));
                }
            }
            if (!pd.done) {
                return;
            }
            pending = null;
            if (pd.blockingAllowed) {
                long tol = toleranceNs(pd.endNs);
                if (Math.abs(pd.returnNs - pd.endNs) > tol) {
                    throw error(pd.event, "error: timing error: " + pd.call.name() + " expected to return at " + secs(pd.endNs)
                            + " s but returned at " + secs(pd.returnNs) + " s (tolerance " + tol / 1000 + " us)");
                }
            } else if (pd.returnNs - pd.startNs > toleranceNs(pd.startNs)) {
                throw error(pd.event, "error: " + pd.call.name() + " blocked until " + secs(pd.returnNs)
                        + " s; a call that may block needs a start...end time");
            }
            checkResult(pd.event, pd.call, pd.result);
        }

        void syscall(Event e, Script.Syscall s) {
            if (pending != null) {
                checkPending(true);
            }
            long start = waitFor(e);
            long end = start;
            if (e.blocking()) {
                long base = e.timeType() == TimeType.RELATIVE ? start - e.startUs() * 1000 : baseNs;
                end = base + e.endUs() * 1000;
            }
            prevActualNs = now();
            Pending pd = new Pending(e, now(), end, e.blocking());
            pending = pd;
            int r = invoke(e, s, task);
            if (r != -Errno.ERESTARTSYS) {
                pd.done = true;
                pd.result = r;
                pd.returnNs = now();
                checkPending(false);
            } else if (!e.blocking()) {
                checkPending(true);
            }
            settle();
            prevActualNs = e.blocking() ? pd.startNs : now();
        }

        void checkResult(Event e, Script.Syscall s, int r) {
            long want = evalInt(e, s.result());
            if (s.errno() != null) {
                Long errno = Symbols.get(s.errno());
                if (errno == null) {
                    throw error(e, "error: unknown errno '" + s.errno() + "'");
                }
                if (want != -1) {
                    throw error(e, "error: an errno is only allowed with the result -1");
                }
                if (r != -errno) {
                    throw error(e, "error: " + s.name() + ": expected result -1 with errno " + s.errno() + " but got " + resultText(r));
                }
                return;
            }
            boolean newFd = s.name().equals("socket") || s.name().equals("accept") || s.name().equals("accept4");
            if (newFd && want >= 0) {
                if (r < 0) {
                    throw error(e, "error: " + s.name() + ": expected result " + want + " but got " + resultText(r));
                }
                fds.put(want, r);
                lastFd = r;
                return;
            }
            if (want == -1 && r < 0) {
                throw error(e, "error: " + s.name() + ": expected result -1 needs an errno (got " + resultText(r) + ")");
            }
            if (r != want) {
                throw error(e, "error: " + s.name() + ": expected result " + want + " but got " + resultText(r));
            }
        }

        String resultText(int r) {
            return r < 0 ? "-1 with errno " + Symbols.errnoName(-r) + " (" + -r + ")" : String.valueOf(r);
        }

        int fd(Event e, Expr x) {
            long label = evalInt(e, x);
            Integer live = fds.get(label);
            int fd = live != null ? live : (int) label;
            lastFd = fd;
            return fd;
        }

        long evalInt(Event e, Expr x) {
            return switch (x) {
                case Script.Num n -> n.v();
                case Script.Sym s -> {
                    String d = flags.defines.get(s.name());
                    if (d != null) {
                        try {
                            yield Long.decode(d);
                        } catch (NumberFormatException ex) {
                            Long v = Symbols.get(d);
                            if (v != null) {
                                yield v;
                            }
                            throw error(e, "error: symbol " + s.name() + " is defined as '" + d + "', not an integer");
                        }
                    }
                    Long v = Symbols.get(s.name());
                    if (v == null) {
                        throw error(e, "error: unknown symbol '" + s.name() + "'");
                    }
                    yield v;
                }
                case Script.Or o -> evalInt(e, o.a()) | evalInt(e, o.b());
                case Script.Call c when c.fn().equals("htons") && c.args().size() == 1 -> evalInt(e, c.args().get(0));
                case Script.Call c when c.fn().equals("inet_addr") && c.args().size() == 1 && c.args().get(0) instanceof Script.Str st ->
                        SockaddrIn.aton(st.s()) & 0xffffffffL;
                case Script.Array a when a.items().size() == 1 -> evalInt(e, a.items().get(0));
                default -> throw error(e, "error: expected an integer expression here, not " + exprText(x));
            };
        }

        String exprText(Expr x) {
            return switch (x) {
                case Script.Ellipsis el -> "'...'";
                case Script.Str s -> "the string \"" + s.s() + "\"";
                case Script.Array a -> "an array";
                case Script.Struct s -> "a struct";
                case Script.Call c -> c.fn() + "(...)";
                default -> x.toString();
            };
        }

        Expr arg(Event e, Script.Syscall s, int k) {
            if (k >= s.args().size()) {
                throw error(e, "error: " + s.name() + " needs at least " + (k + 1) + " arguments");
            }
            return s.args().get(k);
        }

        SockaddrIn sockaddr(Event e, Expr x, int defAddr, int defPort) {
            if (x instanceof Script.Ellipsis) {
                return new SockaddrIn(defAddr, defPort);
            }
            if (x instanceof Script.Struct st) {
                int addr = defAddr;
                int port = defPort;
                for (Map.Entry<String, Expr> f : st.fields().entrySet()) {
                    switch (f.getKey()) {
                        case "sa_family" -> {
                            if (evalInt(e, f.getValue()) != AF_INET) {
                                throw error(e, "error: only AF_INET addresses are supported");
                            }
                        }
                        case "sin_port" -> port = (int) evalInt(e, f.getValue());
                        case "sin_addr" -> addr = (int) evalInt(e, f.getValue());
                        default -> throw error(e, "error: unsupported sockaddr field '" + f.getKey() + "'");
                    }
                }
                return new SockaddrIn(addr, port);
            }
            throw error(e, "error: expected '...' or {sa_family=..., sin_port=..., sin_addr=...} as the address");
        }

        int invoke(Event e, Script.Syscall s, Task t) {
            String n = s.name();
            return switch (n) {
                case "socket" -> {
                    Expr d = arg(e, s, 0);
                    int domain = d instanceof Script.Ellipsis ? AF_INET : (int) evalInt(e, d);
                    int r = host.socket(domain, (int) evalInt(e, arg(e, s, 1)), (int) evalInt(e, arg(e, s, 2)));
                    if (r >= 0) {
                        lastFd = r;
                    }
                    yield r;
                }
                case "bind" -> host.bind(fd(e, arg(e, s, 0)), sockaddr(e, arg(e, s, 1), flags.localIp, flags.bindPort));
                case "listen" -> {
                    int r = host.listen(fd(e, arg(e, s, 0)), (int) evalInt(e, arg(e, s, 1)));
                    if (r == 0) {
                        current = null; // the listener is the socket under test: the next inbound packet makes a connection
                    }
                    yield r;
                }
                case "accept", "accept4" -> {
                    int fl = n.equals("accept4") ? (int) evalInt(e, arg(e, s, 3)) : 0;
                    int r = host.accept(t, fd(e, arg(e, s, 0)), new SockaddrIn(0, 0), fl);
                    if (r >= 0) {
                        lastFd = r;
                    }
                    yield r;
                }
                case "connect" -> {
                    int fd = fd(e, arg(e, s, 0));
                    Socket sock = host.sockfdLookup(fd);
                    boolean first = sock != null && sock.state == SS_UNCONNECTED;
                    int r = host.connect(t, fd, sockaddr(e, arg(e, s, 1), flags.remoteIp, flags.connectPort));
                    if (first && (r == -Errno.EINPROGRESS || r == -Errno.ERESTARTSYS || r == 0)) {
                        current = null; // a new active open: its first SYN makes the connection record
                    }
                    yield r;
                }
                case "write", "send", "sendto" -> {
                    int fd = fd(e, arg(e, s, 0));
                    int len = (int) evalInt(e, arg(e, s, 2));
                    int fl = n.equals("write") ? 0 : (int) evalInt(e, arg(e, s, 3));
                    yield host.sendto(t, fd, new byte[Math.max(len, 0)], 0, len, fl, null);
                }
                case "read", "recv", "recvfrom" -> {
                    int fd = fd(e, arg(e, s, 0));
                    int len = (int) evalInt(e, arg(e, s, 2));
                    int fl = n.equals("read") ? 0 : (int) evalInt(e, arg(e, s, 3));
                    yield host.recvfrom(t, fd, new byte[Math.max(len, 0)], 0, len, fl, null);
                }
                case "writev", "readv" -> {
                    int fd = fd(e, arg(e, s, 0));
                    int len = iovLength(e, arg(e, s, 1));
                    yield n.equals("writev") ? host.sendto(t, fd, new byte[len], 0, len, 0, null)
                            : host.recvfrom(t, fd, new byte[len], 0, len, 0, null);
                }
                case "sendmsg", "recvmsg" -> msg(e, s, t);
                case "close" -> host.close(fd(e, arg(e, s, 0)));
                case "shutdown" -> host.shutdown(fd(e, arg(e, s, 0)), (int) evalInt(e, arg(e, s, 1)));
                case "fcntl" -> fcntl(e, s);
                case "setsockopt" -> setsockopt(e, s);
                case "getsockopt" -> getsockopt(e, s);
                default -> throw error(e, "error: unsupported system call '" + n + "' (supported: socket, bind, listen, accept, accept4,"
                        + " connect, write, writev, send, sendto, sendmsg, read, readv, recv, recvfrom, recvmsg, close, shutdown, fcntl,"
                        + " setsockopt, getsockopt)");
            };
        }

        /** The total length of an iovec array {@code [{..., N}, ...]} ({@code iov_len} by name or as the last member). */
        int iovLength(Event e, Expr x) {
            if (!(x instanceof Script.Array a)) {
                throw error(e, "error: expected an iovec array [{..., N}, ...], not " + exprText(x));
            }
            long total = 0;
            for (Expr item : a.items()) {
                if (!(item instanceof Script.Struct st) || st.fields().isEmpty()) {
                    throw error(e, "error: expected an iovec {..., N}, not " + exprText(item));
                }
                Expr len = st.fields().containsKey("iov_len") ? st.fields().get("iov_len")
                        : new ArrayList<>(st.fields().values()).getLast();
                total += evalInt(e, len);
            }
            return (int) total;
        }

        /**
         * {@code sendmsg}/{@code recvmsg} with a {@code struct msghdr}: the iovecs' total length; an
         * address must be {@code ...}; {@code msg_flags} of recvmsg is compared; control messages
         * are not supported.
         */
        int msg(Event e, Script.Syscall s, Task t) {
            int fd = fd(e, arg(e, s, 0));
            if (!(arg(e, s, 1) instanceof Script.Struct st)) {
                throw error(e, "error: " + s.name() + ": expected a struct msghdr {msg_iov(N)=[...], ...}");
            }
            int flags = (int) evalInt(e, arg(e, s, 2));
            Expr iov = null;
            Expr msgFlags = null;
            for (Map.Entry<String, Expr> f : st.fields().entrySet()) {
                switch (f.getKey()) {
                    case "msg_iov" -> iov = f.getValue();
                    case "msg_flags" -> msgFlags = f.getValue();
                    case "msg_name" -> {
                        if (!(f.getValue() instanceof Script.Ellipsis)) {
                            throw error(e, "error: " + s.name() + ": only msg_name(...)=... is supported");
                        }
                    }
                    default -> throw error(e, "error: " + s.name() + ": unsupported msghdr field '" + f.getKey() + "'");
                }
            }
            if (iov == null) {
                throw error(e, "error: " + s.name() + ": missing msg_iov");
            }
            int len = iovLength(e, iov);
            MsgHdr m = new MsgHdr().set(null, new byte[len], 0, len);
            int r = s.name().equals("sendmsg") ? host.sendmsg(t, fd, m, flags) : host.recvmsg(t, fd, m, flags);
            if (r >= 0 && s.name().equals("recvmsg") && msgFlags != null && !(msgFlags instanceof Script.Ellipsis)) {
                long want = evalInt(e, msgFlags);
                if (m.flags != want) {
                    throw error(e, "error: recvmsg: bad msg_flags: expected " + want + " vs actual " + m.flags);
                }
            }
            return r;
        }

        int fcntl(Event e, Script.Syscall s) {
            int fd = fd(e, arg(e, s, 0));
            Socket sock = host.sockfdLookup(fd);
            if (sock == null) {
                return -Errno.EBADF;
            }
            long cmd = evalInt(e, arg(e, s, 1));
            if (cmd == 3) { // F_GETFL
                return sock.fFlags | 2; // O_RDWR: sockets are opened read-write
            }
            if (cmd == 4) { // F_SETFL
                long v = evalInt(e, arg(e, s, 2));
                sock.fFlags = (int) (v & O_NONBLOCK);
                return 0;
            }
            throw error(e, "error: unsupported fcntl command " + cmd + " (supported: F_GETFL, F_SETFL)");
        }

        int setsockopt(Event e, Script.Syscall s) {
            int fd = fd(e, arg(e, s, 0));
            int level = (int) evalInt(e, arg(e, s, 1));
            int opt = (int) evalInt(e, arg(e, s, 2));
            Expr v = arg(e, s, 3);
            if (v instanceof Script.Struct st) {
                if (level == SOL_SOCKET && opt == SO_LINGER) {
                    byte[] b = new byte[8];
                    putLe(b, 0, (int) evalInt(e, field(e, st, "onoff")));
                    putLe(b, 4, (int) evalInt(e, field(e, st, "linger")));
                    return host.setsockopt(fd, level, opt, b);
                }
                throw error(e, "error: unsupported struct value for setsockopt option " + opt);
            }
            if (v instanceof Script.Str str) {
                // a string option such as TCP_CONGESTION: its bytes, as the C string is passed
                return host.setsockopt(fd, level, opt, str.s().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return host.setsockopt(fd, level, opt, (int) evalInt(e, v));
        }

        Expr field(Event e, Script.Struct st, String name) {
            Expr x = st.fields().get(name);
            if (x == null) {
                throw error(e, "error: missing field '" + name + "'");
            }
            return x;
        }

        int getsockopt(Event e, Script.Syscall s) {
            int fd = fd(e, arg(e, s, 0));
            int level = (int) evalInt(e, arg(e, s, 1));
            int opt = (int) evalInt(e, arg(e, s, 2));
            Expr v = arg(e, s, 3);
            Expr lenExpr = s.args().size() > 4 ? s.args().get(4) : new Script.Ellipsis();
            boolean tcpInfo = level == IPPROTO_TCP && opt == TCP_INFO;
            byte[] buf = new byte[tcpInfo ? TcpInfo.SIZE : v instanceof Script.Str ? 16 : 8];
            if (!tcpInfo && v instanceof Script.Array) {
                buf = new byte[4];
            }
            int r = host.getsockopt(fd, level, opt, buf);
            if (r < 0) {
                return r;
            }
            if (v instanceof Script.Str str) {
                String got = new String(buf, 0, r, java.nio.charset.StandardCharsets.US_ASCII);
                if (!got.equals(str.s())) {
                    throw error(e, "error: getsockopt: bad optval: expected \"" + str.s() + "\" vs actual \"" + got + "\"");
                }
            } else if (v instanceof Script.Array a && a.items().size() == 1) {
                long want = evalInt(e, a.items().get(0));
                int got = leInt(buf, 0);
                if (got != (int) want) {
                    throw error(e, "error: getsockopt: bad optval: expected " + want + " vs actual " + got);
                }
            } else if (v instanceof Script.Struct st) {
                for (Map.Entry<String, Expr> f : st.fields().entrySet()) {
                    long want = evalInt(e, f.getValue());
                    long got;
                    if (tcpInfo) {
                        if (TcpInfo.field(f.getKey()) == null) {
                            throw error(e, "error: unknown struct tcp_info field '" + f.getKey() + "'");
                        }
                        got = TcpInfo.get(buf, r, f.getKey());
                    } else if (level == SOL_SOCKET && opt == SO_LINGER && (f.getKey().equals("onoff") || f.getKey().equals("linger"))) {
                        got = leInt(buf, f.getKey().equals("onoff") ? 0 : 4);
                    } else {
                        throw error(e, "error: unsupported struct field '" + f.getKey() + "' for getsockopt");
                    }
                    if (got != want) {
                        throw error(e, "error: getsockopt: bad " + f.getKey() + ": expected " + want + " vs actual " + got);
                    }
                }
            } else if (!(v instanceof Script.Ellipsis)) {
                throw error(e, "error: getsockopt: expected [value], {struct} or '...' as the option value");
            }
            if (lenExpr instanceof Script.Array la && la.items().size() == 1) {
                long want = evalInt(e, la.items().get(0));
                if (r != want) {
                    throw error(e, "error: getsockopt: bad optlen: expected " + want + " vs actual " + r);
                }
            }
            return 0;
        }

        static void putLe(byte[] b, int off, int v) {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
            b[off + 2] = (byte) (v >>> 16);
            b[off + 3] = (byte) (v >>> 24);
        }

        static int leInt(byte[] b, int off) {
            return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
        }

        // -- commands and code -----------------------------------------------------------------

        void command(Event e, Script.Command c) {
            waitFor(e);
            for (Shell.Op op : shell.parse(e, c.text())) {
                if (op.qdiscConf() != null && op.optional()) {
                    continue;
                }
                if (op.qdiscConf() != null) {
                    throw error(e, "error: unsupported command: `" + c.text().strip() + "`: a tc qdisc change during the run is not"
                            + " modelled (it is, in the init command before the first event)");
                }
                shell.execute(op);
            }
            settle();
            prevActualNs = now();
        }

        void code(Event e, Script.Code c) {
            waitFor(e);
            prevActualNs = now();
            if (lastFd < 0) {
                codeRuns.add(new CodeRun(e, null, 0, "no socket to take TCP_INFO from"));
                return;
            }
            byte[] info = new byte[TcpInfo.SIZE];
            int r = host.getsockopt(lastFd, IPPROTO_TCP, TCP_INFO, info);
            codeRuns.add(new CodeRun(e, info, r, r < 0 ? "getsockopt(TCP_INFO) on fd " + lastFd + " failed with "
                    + Symbols.errnoName(-r) : null));
        }

        void runCode(CodeRun cr) {
            Script.Code c = (Script.Code) cr.event().action();
            try {
                CodeBlock.run(c.text(), name -> {
                    if (name.startsWith("tcpi_")) {
                        if (cr.error() != null) {
                            throw new CodeBlock.Failure(cr.error());
                        }
                        if (TcpInfo.field(name) == null) {
                            return null;
                        }
                        return (double) TcpInfo.get(cr.info(), cr.len(), name);
                    }
                    Long v = Symbols.get(name);
                    return v == null ? null : (double) v;
                });
            } catch (CodeBlock.Failure f) {
                throw error(cr.event(), "error: " + f.getMessage());
            }
        }
    }
}
