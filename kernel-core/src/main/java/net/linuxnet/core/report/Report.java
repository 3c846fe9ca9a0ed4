package net.linuxnet.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.kernel.ReportSection;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.core.cpu.Cpu;
import net.linuxnet.core.cpu.CpuContext;
import net.linuxnet.core.cpu.IrqDescImpl;
import net.linuxnet.core.cpu.Softirq;
import net.linuxnet.core.dev.SoftnetData;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;

/**
 * The report of a run, in the words of {@code ip -s link}, {@code tc -s qdisc}, {@code nstat},
 * {@code /proc/net/softnet_stat}, {@code /proc/interrupts} and {@code /proc/softirqs}: one
 * tree with the keys of DESIGN.md, written as JSON ({@link #json}) or as text ({@link #text}).
 */
public final class Report {
    private Report() {
    }

    /** The report as nested maps and lists, keys in a fixed order. */
    public static Map<String, Object> build(World world) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", world.seed());
        run.put("duration_ns", world.simulatedNs());
        run.put("events", world.scheduler().eventsRun());
        run.put("wall_ms", world.wallMs());
        root.put("run", run);
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (Host h : world.hosts().values()) {
            hosts.put(h.hostname(), host(world, h));
        }
        root.put("hosts", hosts);
        return root;
    }

    public static String json(World world) {
        return Json.write(build(world));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Map<String, Object>> dumpFilters(Qdisc q) {
        return q.ops().dumpFilters(q);
    }

    /** One {@code tc -s qdisc} row; {@code q} null for a noqueue device. */
    private static Map<String, Object> qdiscRow(NetDevice dev, Qdisc<?> q, String options, int handle, int parent) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dev", dev.name());
        row.put("kind", q == null ? "noqueue" : q.ops().id());
        row.put("handle", Qdisc.classid(handle).equals("none") ? "0:" : Qdisc.classid(handle));
        row.put("parent", Qdisc.classid(parent));
        row.put("options", q == null ? "" : options);
        row.put("sent_bytes", q == null ? 0L : q.bytes);
        row.put("sent_packets", q == null ? 0L : q.packets);
        row.put("dropped", q == null ? 0L : q.drops);
        row.put("overlimits", q == null ? 0L : q.overlimits);
        row.put("requeues", q == null ? 0L : q.requeues);
        row.put("backlog_bytes", q == null ? 0L : q.backlog);
        row.put("qlen", q == null ? 0 : q.qlen);
        if (q != null) {
            Map<String, Object> xstats = new LinkedHashMap<>();
            q.dumpStats(writer(xstats));
            if (!xstats.isEmpty()) {
                row.put("xstats", xstats);
            }
        }
        return row;
    }

    private static Map<String, Object> host(World world, Host h) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> links = new LinkedHashMap<>();
        List<Object> qdiscs = new ArrayList<>();
        List<Object> filters = new ArrayList<>();
        for (NetDevice dev : h.devices()) {
            links.put(dev.name(), link(dev));
            Qdisc<?> q = dev.qdisc();
            if (q == null) {
                qdiscs.add(qdiscRow(dev, null, "noqueue", 0, Qdisc.TC_H_ROOT));
            } else {
                String opts = q.dump();
                qdiscs.add(qdiscRow(dev, q, opts, q.handle(), q.parent()));
                for (Qdisc<?> c : q.children()) {
                    qdiscs.add(qdiscRow(dev, c, c.dump(), c.handle(), c.parent()));
                }
            }
            Qdisc<?> in = dev.ingressQdisc();
            if (in != null) {
                qdiscs.add(qdiscRow(dev, in, in.dump(), in.handle(), in.parent()));
                filters.addAll(dumpFilters(in));
            }
        }
        m.put("links", links);
        m.put("qdiscs", qdiscs);
        m.put("filters", filters);
        Map<String, Object> nstat = new TreeMap<>();
        for (MibCounter c : h.mibCounters().values()) {
            nstat.put(c.name(), c.get());
        }
        m.put("nstat", nstat);
        List<Object> softnet = new ArrayList<>();
        List<Object> cpus = new ArrayList<>();
        for (int i = 0; i < h.numCpus(); i++) {
            SoftnetData s = h.net().softnetData(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cpu", i);
            row.put("processed", s.processed);
            row.put("dropped", s.dropped);
            row.put("time_squeeze", s.timeSqueeze);
            row.put("received_rps", s.receivedRps);
            row.put("flow_limit_count", s.flowLimitCount);
            softnet.add(row);
            Cpu cpu = h.cpu(i);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cpu", i);
            c.put("hardirq_ns", cpu.timeIn(CpuContext.HARDIRQ));
            c.put("softirq_ns", cpu.timeIn(CpuContext.SOFTIRQ));
            c.put("ksoftirqd_ns", cpu.timeIn(CpuContext.KSOFTIRQD));
            c.put("process_ns", cpu.timeIn(CpuContext.PROCESS));
            long busy = cpu.timeIn(CpuContext.HARDIRQ) + cpu.timeIn(CpuContext.SOFTIRQ)
                    + cpu.timeIn(CpuContext.KSOFTIRQD) + cpu.timeIn(CpuContext.PROCESS);
            c.put("idle_ns", Math.max(0, world.scheduler().now() - busy));
            cpus.add(c);
        }
        m.put("softnet", softnet);
        List<Object> interrupts = new ArrayList<>();
        for (IrqDescImpl irq : h.irqs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("irq", irq.irq());
            row.put("name", irq.name());
            List<Long> per = new ArrayList<>();
            for (int i = 0; i < irq.numCpus(); i++) {
                per.add(irq.count(i));
            }
            row.put("per_cpu", per);
            interrupts.add(row);
        }
        m.put("interrupts", interrupts);
        Map<String, Object> softirqs = new LinkedHashMap<>();
        for (Softirq nr : Softirq.values()) {
            List<Long> per = new ArrayList<>();
            for (int i = 0; i < h.numCpus(); i++) {
                per.add(h.cpu(i).softirqCount(nr));
            }
            softirqs.put(nr.name(), per);
        }
        m.put("softirqs", softirqs);
        m.put("cpu", cpus);
        Map<String, Object> drops = new LinkedHashMap<>();
        for (Map.Entry<SkbDropReason, Long> e : h.dropReasons().entrySet()) {
            drops.put(e.getKey().name(), e.getValue());
        }
        m.put("drop_reasons", drops);
        for (ReportSection section : h.reportSections()) {
            m.put(section.key(), section.json());
        }
        Map<String, Object> apps = new LinkedHashMap<>();
        for (World.App a : world.apps()) {
            if (a.host() == h) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("kind", a.kind());
                a.app().report(writer(r));
                apps.put(a.name(), r);
            }
        }
        m.put("apps", apps);
        Map<String, Object> skb = new LinkedHashMap<>();
        skb.put("allocated", h.pool().allocated());
        skb.put("freed", h.pool().freed());
        skb.put("live", h.pool().live());
        m.put("skb", skb);
        return m;
    }

    private static Map<String, Object> link(NetDevice dev) {
        RtnlLinkStats64 s = dev.getStats(new RtnlLinkStats64());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ifindex", dev.ifindex());
        m.put("kind", dev.kind());
        m.put("mtu", dev.mtu());
        m.put("address", IfEther.formatMac(dev.devAddr(), 0));
        m.put("rx_packets", s.rxPackets);
        m.put("rx_bytes", s.rxBytes);
        m.put("rx_dropped", s.rxDropped);
        m.put("rx_errors", s.rxErrors);
        m.put("rx_missed_errors", s.rxMissedErrors);
        m.put("rx_nohandler", s.rxNohandler);
        m.put("tx_packets", s.txPackets);
        m.put("tx_bytes", s.txBytes);
        m.put("tx_dropped", s.txDropped);
        m.put("tx_errors", s.txErrors);
        List<Object> queues = new ArrayList<>();
        if (dev.ethtoolOps() != null) {
            for (int q = 0; q < Math.max(dev.numTxQueues(), dev.numRxQueues()); q++) {
                Map<String, Long> qs = new LinkedHashMap<>();
                dev.ethtoolOps().getQueueStats(dev, q, qs);
                if (!qs.isEmpty()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("queue", q);
                    row.putAll(qs);
                    queues.add(row);
                }
            }
        }
        m.put("queues", queues);
        return m;
    }

    private static ResultWriter writer(Map<String, Object> r) {
        return new ResultWriter() {
            @Override
            public ResultWriter put(String key, long value) {
                r.put(key, value);
                return this;
            }

            @Override
            public ResultWriter put(String key, double value) {
                r.put(key, value);
                return this;
            }

            @Override
            public ResultWriter put(String key, String value) {
                r.put(key, value);
                return this;
            }

            @Override
            public ResultWriter put(String key, boolean value) {
                r.put(key, value);
                return this;
            }
        };
    }

    /** The report as the tools print it, host by host. */
    @SuppressWarnings("unchecked")
    public static String text(World world) {
        Map<String, Object> root = build(world);
        StringBuilder sb = new StringBuilder();
        Map<String, Object> run = (Map<String, Object>) root.get("run");
        sb.append(String.format("linuxnet run: seed %s, %s of simulated time, %,d events, %d ms wall%n",
                run.get("seed"), seconds((long) run.get("duration_ns")), (long) run.get("events"), (long) run.get("wall_ms")));
        Map<String, Object> hosts = (Map<String, Object>) root.get("hosts");
        for (Map.Entry<String, Object> he : hosts.entrySet()) {
            Map<String, Object> h = (Map<String, Object>) he.getValue();
            sb.append(String.format("%n=== host %s ===%n", he.getKey()));
            sb.append("$ ip -s link\n");
            for (Map.Entry<String, Object> le : ((Map<String, Object>) h.get("links")).entrySet()) {
                Map<String, Object> l = (Map<String, Object>) le.getValue();
                sb.append(String.format("%s: %s: mtu %s link/ether %s (%s)%n", l.get("ifindex"), le.getKey(), l.get("mtu"), l.get("address"), l.get("kind")));
                sb.append("    RX:  bytes packets errors dropped  missed nohandler\n");
                sb.append(String.format("    %10s %7s %6s %7s %7s %9s%n", l.get("rx_bytes"), l.get("rx_packets"), l.get("rx_errors"),
                        l.get("rx_dropped"), l.get("rx_missed_errors"), l.get("rx_nohandler")));
                sb.append("    TX:  bytes packets errors dropped\n");
                sb.append(String.format("    %10s %7s %6s %7s%n", l.get("tx_bytes"), l.get("tx_packets"), l.get("tx_errors"), l.get("tx_dropped")));
            }
            sb.append("$ tc -s qdisc\n");
            for (Object o : (List<Object>) h.get("qdiscs")) {
                Map<String, Object> q = (Map<String, Object>) o;
                String parent = "root".equals(q.get("parent")) ? "root" : "parent " + q.get("parent");
                sb.append(String.format("qdisc %s %s dev %s %s %s%n", q.get("kind"), q.get("handle"), q.get("dev"), parent, q.get("options")));
                sb.append(String.format(" Sent %s bytes %s pkt (dropped %s, overlimits %s requeues %s)%n", q.get("sent_bytes"), q.get("sent_packets"),
                        q.get("dropped"), q.get("overlimits"), q.get("requeues")));
                sb.append(String.format(" backlog %sb %sp requeues %s%n", q.get("backlog_bytes"), q.get("qlen"), q.get("requeues")));
                if (q.get("xstats") instanceof Map<?, ?> xstats) {
                    StringBuilder line = new StringBuilder(" ");
                    xstats.forEach((k, v) -> line.append(' ').append(k).append(' ').append(v));
                    sb.append(line).append('\n');
                }
            }
            Object fl = h.get("filters");
            if (fl instanceof List<?> filters && !filters.isEmpty()) {
                String last = null;
                for (Object o : filters) {
                    Map<String, Object> f = (Map<String, Object>) o;
                    if (!f.get("dev").equals(last)) {
                        last = (String) f.get("dev");
                        sb.append(String.format("$ tc -s filter show dev %s ingress%n", last));
                    }
                    sb.append(String.format("filter parent %s protocol %s pref %s %s %s%n", f.get("parent"), f.get("protocol"), f.get("pref"),
                            f.get("kind"), f.get("match")));
                    sb.append(String.format("\taction order 1: %s%n", f.get("action")));
                    sb.append(String.format("\t Sent %s bytes %s pkt (dropped %s, overlimits %s requeues 0)%n", f.get("sent_bytes"),
                            f.get("sent_packets"), f.get("dropped"), f.get("overlimits")));
                }
            }
            Map<String, Object> nstat = (Map<String, Object>) h.get("nstat");
            if (nstat.values().stream().anyMatch(v -> ((Number) v).longValue() != 0)) {
                sb.append("$ nstat -a   (counters that are not zero; the JSON has them all)\n");
                nstat.forEach((k, v) -> {
                    if (((Number) v).longValue() != 0) {
                        sb.append(String.format("%-32s %12s%n", k, v));
                    }
                });
            }
            sb.append("$ cat /proc/net/softnet_stat   (cpu: processed dropped time_squeeze received_rps flow_limit_count)\n");
            for (Object o : (List<Object>) h.get("softnet")) {
                Map<String, Object> s = (Map<String, Object>) o;
                sb.append(String.format("cpu%s: %10s %10s %10s %10s %10s%n", s.get("cpu"), s.get("processed"), s.get("dropped"),
                        s.get("time_squeeze"), s.get("received_rps"), s.get("flow_limit_count")));
            }
            List<Object> irqs = (List<Object>) h.get("interrupts");
            if (!irqs.isEmpty()) {
                sb.append("$ cat /proc/interrupts\n");
                for (Object o : irqs) {
                    Map<String, Object> i = (Map<String, Object>) o;
                    sb.append(String.format("%4s: %s  %s%n", i.get("irq"), i.get("per_cpu"), i.get("name")));
                }
            }
            sb.append("$ cat /proc/softirqs\n");
            ((Map<String, Object>) h.get("softirqs")).forEach((k, v) -> {
                if (((List<Long>) v).stream().anyMatch(x -> x != 0)) {
                    sb.append(String.format("%10s: %s%n", k, v));
                }
            });
            sb.append("CPU time (ns):   hardirq    softirq  ksoftirqd    process       idle\n");
            for (Object o : (List<Object>) h.get("cpu")) {
                Map<String, Object> c = (Map<String, Object>) o;
                sb.append(String.format("  cpu%-4s %11s %10s %10s %10s %10s%n", c.get("cpu"), c.get("hardirq_ns"), c.get("softirq_ns"),
                        c.get("ksoftirqd_ns"), c.get("process_ns"), c.get("idle_ns")));
            }
            Map<String, Object> drops = (Map<String, Object>) h.get("drop_reasons");
            sb.append("drop reasons (kfree_skb_reason):").append(drops.isEmpty() ? " none\n" : "\n");
            drops.forEach((k, v) -> sb.append(String.format("  %-24s %12s%n", k, v)));
            for (ReportSection section : world.host(he.getKey()).reportSections()) {
                section.text(sb);
            }
            Map<String, Object> apps = (Map<String, Object>) h.get("apps");
            apps.forEach((k, v) -> sb.append("app ").append(k).append(": ").append(v).append('\n'));
            Map<String, Object> skb = (Map<String, Object>) h.get("skb");
            sb.append(String.format("skb: allocated %s freed %s live %s%n", skb.get("allocated"), skb.get("freed"), skb.get("live")));
        }
        return sb.toString();
    }

    private static String seconds(long ns) {
        return String.format(java.util.Locale.ROOT, "%.3fs", ns / 1e9);
    }
}
