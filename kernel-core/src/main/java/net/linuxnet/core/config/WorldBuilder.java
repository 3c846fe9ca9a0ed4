package net.linuxnet.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.OptionException;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.plugin.NetProtocolProvider;
import net.linuxnet.api.plugin.NfHookProvider;
import net.linuxnet.api.plugin.PacketTypeProvider;
import net.linuxnet.api.plugin.PernetProvider;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.core.dev.QdiscGraft;
import net.linuxnet.core.cpu.CpuSet;
import net.linuxnet.core.cpu.IrqDescImpl;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.plugin.PluginRegistry;
import net.linuxnet.core.sim.Scheduler;
import net.linuxnet.core.sysctl.SysctlTable;

/**
 * Builds a {@link World} from a merged scenario, checking every key on the way: unknown keys,
 * unknown plugin names, bad types and bad values are collected, each with file and line and
 * the accepted choices, and reported together before anything runs.
 *
 * <p>Devices are made in two passes, as {@code rtnl_newlink} would for a batch: every device
 * of every host is allocated and set up first, then each driver completes its devices
 * ({@code newlink}), so a veth may name its peer on another host. Every host also gets
 * {@code lo} as ifindex 1, as Linux does.
 */
public final class WorldBuilder {
    private static final Map<String, String> FUTURE_HOST_KEYS = Map.of(
            "routes", "routing is not built yet (it comes with IPv4)",
            "netfilter", "netfilter rules are not built yet",
            "neigh", "the neighbour table is not built yet (it comes with ARP)");
    private static final Map<String, String> FUTURE_DEVICE_KEYS = Map.of(
            "addresses", "IP addresses are not built yet (they come with IPv4)",
            "rps-cpus", "RPS is not built yet",
            "xps-cpus", "XPS is not built yet");
    private static final Map<String, String> FUTURE_TOP_KEYS = Map.of(
            "links", "links with rate and delay are not built yet; join hosts with a veth pair (peer = host.dev)");

    private final PluginRegistry plugins;
    private final ConfigErrors errors = new ConfigErrors();
    private final boolean debugPool;
    private final List<OptionsView> views = new ArrayList<>();
    private final Map<NetDevice, OptionsView> deviceViews = new LinkedHashMap<>();
    private final Map<NetDevice, NetDeviceDriver> drivers = new LinkedHashMap<>();
    private World world;

    private WorldBuilder(PluginRegistry plugins, boolean debugPool) {
        this.plugins = plugins;
        this.debugPool = debugPool;
    }

    /**
     * Builds the world of a merged scenario.
     *
     * @param debugPool poison freed skbs (tests)
     * @throws ConfigException listing every problem
     */
    public static World build(Config merged, PluginRegistry plugins, boolean debugPool) {
        WorldBuilder b = new WorldBuilder(plugins, debugPool);
        b.build(merged);
        return b.world;
    }

    /** Loads a file with overrides and builds its world. */
    public static World build(Path file, Map<String, String> overrides, PluginRegistry plugins, boolean debugPool) {
        return build(ScenarioLoader.merge(ScenarioLoader.parseFile(file), overrides, plugins.referenceConfig()), plugins, debugPool);
    }

    private OptionsView view(OptionsView v) {
        views.add(v);
        return v;
    }

    private void build(Config merged) {
        OptionsView root = view(new OptionsView(merged.root(), ""));
        OptionsView ln = view(new OptionsView(root.object("linuxnet").raw(), "linuxnet", FUTURE_TOP_KEYS));
        if (!root.has("linuxnet")) {
            errors.add(root.where(null) + ": the scenario must have a linuxnet { } block");
        }
        OptionsView run = view(ln.object("run"));
        long duration = guard(() -> run.getDurationNs("duration", 1_000_000_000L, 1, Long.MAX_VALUE / 4), 1_000_000_000L);
        long drain = guard(() -> run.getDurationNs("drain", 1_000_000_000L, 0, Long.MAX_VALUE / 4), 0L);
        long seed = guard(() -> run.getLong("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE), 1L);
        String mode = guard(() -> run.getChoice("mode", "simulated", "simulated", "live"), "simulated");

        Map<String, String> sysctlDefaults = readSysctlDefaults(view(ln.object("sysctl")));
        Map<String, CostStage> costDefaults = readCosts(view(ln.object("costs")), Map.of());

        Scheduler scheduler = new Scheduler();
        CpuSet cpus = new CpuSet(scheduler);
        world = new World(scheduler, cpus, seed, duration, drain, mode.equals("live"));
        SplittableRandom random = new SplittableRandom(seed);

        OptionsView hostsView = view(ln.object("hosts"));
        Map<Host, OptionsView> hostViews = new LinkedHashMap<>();
        int firstIrq = 24;
        for (String name : new TreeSet<>(hostsView.raw().keySet())) {
            OptionsView hv = view(new OptionsView(hostsView.object(name).raw(), "linuxnet.hosts." + name,
                    unclaimed(FUTURE_HOST_KEYS, PernetProvider::hostKeys)));
            int ncpu = guard(() -> hv.getInt("cpus", 1, 1, 1024), 1);
            SysctlTable sysctl = new SysctlTable(sysctlDefaults);
            OptionsView sv = view(hv.object("sysctl"));
            for (String key : new TreeSet<>(sv.raw().keySet())) {
                sv.accept(key);
                if (!sysctl.contains(key)) {
                    errors.add(sv.where(key) + ": " + sv.path() + ".\"" + key + "\": unknown sysctl (known: "
                            + String.join(", ", sysctl.names()) + ")");
                    continue;
                }
                try {
                    sysctl.set(key, String.valueOf(sv.raw().get(key).unwrapped()));
                } catch (IllegalArgumentException e) {
                    errors.add(sv.where(key) + ": " + sv.path() + ".\"" + key + "\": " + e.getMessage());
                }
            }
            Map<String, CostStage> costs = readCosts(view(hv.object("costs")), costDefaults);
            Host host = new Host(name, ncpu, cpus, sysctl, costs, random, debugPool, firstIrq);
            world.addHost(host);
            hostViews.put(host, hv);
            for (PacketTypeProvider p : plugins.packetTypeProviders()) {
                p.packetTypes(host).forEach(host::devAddPack);
            }
            for (NetProtocolProvider p : plugins.netProtocolProviders()) {
                try {
                    p.protocols(host).forEach(host::inetAddProtocol);
                } catch (IllegalArgumentException e) {
                    // a protocol refused a sysctl value ("net.ipv4.x = v: why"): point at where it was set
                    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                    String where = hv.where(null) + ": " + hv.path();
                    for (String key : sv.raw().keySet()) {
                        if (msg.startsWith(key + " ")) {
                            where = sv.where(key) + ": " + sv.path() + ".\"" + key + "\"";
                        }
                    }
                    errors.add(where + ": " + msg);
                }
            }
            for (NfHookProvider p : plugins.nfHookProviders()) {
                p.hooks(host).forEach(host::nfRegisterNetHook);
            }
        }
        if (hostViews.isEmpty()) {
            errors.add(ln.where("hosts") + ": linuxnet.hosts: no hosts (expected: at least one host { devices { ... } })");
        }

        hostViews.forEach(this::allocateDevices);
        for (Map.Entry<NetDevice, OptionsView> e : deviceViews.entrySet()) {
            NetDevice dev = e.getKey();
            OptionsView dv = e.getValue();
            try {
                drivers.get(dev).newLink(dev, dv, this::lookupDevice);
            } catch (OptionException ex) {
                errors.add(ex.getMessage());
            }
        }
        for (Map.Entry<NetDevice, OptionsView> e : deviceViews.entrySet()) {
            openDevice(e.getKey(), e.getValue());
        }
        hostViews.forEach(this::setIrqAffinity);
        if (errors.isEmpty()) {
            hostViews.forEach(this::initPernet);
        } else {
            // the providers did not read their keys this time: do not call those keys unknown too
            for (PernetProvider p : plugins.pernetProviders()) {
                hostViews.values().forEach(hv -> p.hostKeys().forEach(hv::accept));
                deviceViews.values().forEach(dv -> p.deviceKeys().forEach(dv::accept));
            }
        }
        hostViews.forEach(this::attachQdiscs);
        hostViews.forEach(this::readTcCommands);
        hostViews.forEach(this::createApps);
        readOutput(view(ln.object("output")));

        for (OptionsView v : views) {
            v.checkUnused(errors);
        }
        errors.throwIfAny();
    }

    private interface Getter<T> {
        T get();
    }

    private <T> T guard(Getter<T> g, T fallback) {
        try {
            return g.get();
        } catch (OptionException e) {
            errors.add(e.getMessage());
            return fallback;
        }
    }

    private Map<String, String> readSysctlDefaults(OptionsView v) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : new TreeSet<>(v.raw().keySet())) {
            v.accept(key);
            ConfigValue val = v.raw().get(key);
            out.put(key, String.valueOf(val.unwrapped()));
        }
        return out;
    }

    private Map<String, CostStage> readCosts(OptionsView v, Map<String, CostStage> defaults) {
        Map<String, CostStage> out = new LinkedHashMap<>(defaults);
        for (String stage : new TreeSet<>(v.raw().keySet())) {
            OptionsView sv;
            try {
                sv = view(v.object(stage));
            } catch (OptionException e) {
                errors.add(e.getMessage());
                continue;
            }
            CostStage base = defaults.get(stage);
            long packetPs = guard(() -> sv.getDurationPs("packet", base == null ? 0 : base.perPacketNs() * 1000), 0L);
            long bytePs = guard(() -> sv.getDurationPs("byte", base == null ? 0 : base.perBytePs()), 0L);
            if (!defaults.isEmpty() && base == null) {
                errors.add(v.where(stage) + ": " + v.path() + "." + stage + ": unknown cost stage (known: "
                        + String.join(", ", new TreeSet<>(defaults.keySet())) + ")");
            }
            out.put(stage, new CostStage(stage, packetPs / 1000, bytePs));
        }
        return out;
    }

    private NetDevice lookupDevice(String spec) {
        int dot = spec.indexOf('.');
        if (dot < 0) {
            return null;
        }
        Host h = world.host(spec.substring(0, dot));
        return h == null ? null : h.devGetByName(spec.substring(dot + 1));
    }

    private void allocateDevices(Host host, OptionsView hv) {
        OptionsView devs = view(hv.object("devices"));
        List<String> names = new ArrayList<>(new TreeSet<>(devs.raw().keySet()));
        if (names.remove("lo")) {
            names.addFirst("lo");
        } else if (plugins.driver("loopback") != null) {
            names.addFirst("lo");
        }
        for (String name : names) {
            boolean implicitLo = name.equals("lo") && !devs.raw().containsKey("lo");
            OptionsView dv = view(implicitLo
                    ? new OptionsView(com.typesafe.config.ConfigFactory.parseMap(Map.of("driver", "loopback"),
                            "implicit lo of host " + host.hostname()).root(), hv.path() + ".devices.lo")
                    : new OptionsView(devs.object(name).raw(), hv.path() + ".devices." + name,
                            unclaimed(FUTURE_DEVICE_KEYS, PernetProvider::deviceKeys)));
            if (!implicitLo) {
                devs.accept(name);
            }
            String kind;
            try {
                kind = dv.getString("driver");
            } catch (OptionException e) {
                errors.add(e.getMessage() + " (registered drivers: " + String.join(", ", plugins.driverKinds()) + ")");
                continue;
            }
            NetDeviceDriver driver = plugins.driver(kind);
            if (driver == null) {
                errors.add(dv.where("driver") + ": " + dv.path() + ".driver: unknown driver '" + kind
                        + "' (registered: " + String.join(", ", plugins.driverKinds()) + ")");
                continue;
            }
            int queues = guard(() -> dv.getInt("queues", 1, 1, driver.maxQueues()), 1);
            NetDevice dev = new NetDevice(host, name, host.nextIfindex(), queues, queues);
            dev.setKind(kind);
            driver.setup(dev);
            try {
                if (dv.has("mtu")) {
                    int mtu = dv.getInt("mtu", dev.mtu(), dev.minMtu(), dev.maxMtu());
                    dev.setMtu(mtu);
                }
                dev.setTxQueueLen((int) dv.getLong("txqueuelen", dev.txQueueLen(), 0, Integer.MAX_VALUE));
                if (dv.has("mac")) {
                    try {
                        dev.setDevAddr(IfEther.parseMac(dv.getString("mac")));
                    } catch (IllegalArgumentException e) {
                        throw dv.error("mac", e.getMessage());
                    }
                }
            } catch (OptionException e) {
                errors.add(e.getMessage());
            }
            host.registerDevice(dev);
            deviceViews.put(dev, dv);
            drivers.put(dev, driver);
        }
    }

    private void openDevice(NetDevice dev, OptionsView dv) {
        int rc = dev.ops().ndoInit(dev);
        if (rc == 0) {
            rc = dev.ops().ndoOpen(dev);
        }
        if (rc != 0) {
            errors.add(dv.where(null) + ": " + dv.path() + ": cannot bring " + dev.name() + " up: " + Errno.name(-rc)
                    + (dev.kind().equals("veth") ? " (a veth needs a peer: set peer = \"host.dev\" on one side)" : ""));
            return;
        }
        dev.setFlags(dev.flags() | NetDevice.IFF_UP);
    }

    /** The future keys that no {@link PernetProvider} claims. */
    private Map<String, String> unclaimed(Map<String, String> future, Function<PernetProvider, Set<String>> keys) {
        Map<String, String> out = new LinkedHashMap<>(future);
        for (PernetProvider p : plugins.pernetProviders()) {
            out.keySet().removeAll(keys.apply(p));
        }
        return out;
    }

    /** Each {@link PernetProvider} sets up its state on the host from the keys it claims. */
    private void initPernet(Host host, OptionsView hv) {
        Map<NetDevice, Options> devs = new LinkedHashMap<>();
        deviceViews.forEach((dev, dv) -> {
            if (dev.kernel() == host) {
                devs.put(dev, dv);
            }
        });
        for (PernetProvider p : plugins.pernetProviders()) {
            try {
                p.init(host, hv, devs);
                host.addPernetExit(() -> p.exit(host));
            } catch (OptionException e) {
                errors.add(e.getMessage());
            }
        }
    }

    /**
     * {@code irq-affinity { "<irq name>" = <cpu> }}: what {@code echo CPU >
     * /proc/irq/N/smp_affinity_list} does, for the IRQ lines the drivers requested when their
     * devices opened.
     */
    private void setIrqAffinity(Host host, OptionsView hv) {
        OptionsView av = view(hv.object("irq-affinity"));
        for (String irqName : new TreeSet<>(av.raw().keySet())) {
            av.accept(irqName);
            IrqDescImpl irq = host.irqs().stream().filter(d -> d.name().equals(irqName)).findFirst().orElse(null);
            if (irq == null) {
                errors.add(av.where(irqName) + ": " + av.path() + ".\"" + irqName + "\": no such IRQ on host "
                        + host.hostname() + " (IRQs: " + String.join(", ", host.irqs().stream().map(IrqDescImpl::name).toList())
                        + ")");
                continue;
            }
            guard(() -> {
                irq.setAffinityCpu(av.getInt(irqName, 0, 0, host.numCpus() - 1));
                return null;
            }, null);
        }
    }

    /**
     * Builds each device's qdisc tree from {@code qdiscs { <dev> { <parent> { kind = ..., ... } } }}:
     * {@code root}, {@code ingress}, or a class id {@code "M:m"} of the root (for {@code mq},
     * {@code m} = TX queue + 1), as {@code tc qdisc add dev X parent M:m ...}. Devices without a
     * configured root get {@code attach_default_qdiscs}' choice: nothing for {@code IFF_NO_QUEUE},
     * {@code mq} with default children on a multiqueue device, else {@code net.core.default_qdisc}.
     */
    private void attachQdiscs(Host host, OptionsView hv) {
        OptionsView qv = view(hv.object("qdiscs"));
        for (String devName : new TreeSet<>(qv.raw().keySet())) {
            qv.accept(devName);
            NetDevice dev = host.devGetByName(devName);
            if (dev == null) {
                errors.add(qv.where(devName) + ": " + qv.path() + "." + devName + ": no such device on host "
                        + host.hostname() + " (devices: " + String.join(", ", host.devices().stream().map(NetDevice::name).toList()) + ")");
                continue;
            }
            OptionsView parents;
            try {
                parents = view(new OptionsView(qv.object(devName).raw(), qv.path() + "." + devName));
            } catch (OptionException e) {
                errors.add(e.getMessage());
                continue;
            }
            if (parents.has("root")) {
                OptionsView rv = view(parents.object("root"));
                String kind = guard(() -> rv.getString("kind"), null);
                QdiscOps<?> ops = kind == null ? null : plugins.qdisc(kind);
                if (kind != null && ops == null) {
                    errors.add(rv.where("kind") + ": " + rv.path() + ".kind: unknown qdisc '" + kind + "' (registered: "
                            + String.join(", ", plugins.qdiscKinds()) + ")");
                }
                if (ops != null && (ops.staticFlags() & Qdisc.TCQ_F_INGRESS) != 0) {
                    errors.add(rv.where("kind") + ": " + rv.path() + ".kind: " + kind + " attaches at ingress only (qdiscs." + devName + ".ingress)");
                    ops = null;
                }
                if (ops != null) {
                    int handle = guard(() -> parseHandle(rv), 0x10000);
                    attachRoot(host, dev, ops, handle, rv, parents);
                }
            }
            if (parents.has("ingress")) {
                OptionsView iv = view(parents.object("ingress"));
                String kind = guard(() -> iv.getString("kind", "ingress"), "ingress");
                QdiscOps<?> ops = plugins.qdisc(kind);
                if (ops == null || (ops.staticFlags() & Qdisc.TCQ_F_INGRESS) == 0) {
                    errors.add(iv.where("kind") + ": " + iv.path() + ".kind: '" + kind + "' is not an ingress qdisc (expected: ingress)");
                } else {
                    attachIngress(dev, ops, iv);
                }
            }
            for (String key : new TreeSet<>(parents.raw().keySet())) {
                if (!key.equals("root") && !key.equals("ingress") && !isGraftedClass(dev, key)) {
                    parents.accept(key);
                    Qdisc<?> root = dev.qdisc();
                    if (key.matches("[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}") && root != null
                            && (root.ops().staticFlags() & Qdisc.TCQ_F_MQROOT) == 0) {
                        attachChild(dev, key, view(parents.object(key)));
                        continue;
                    }
                    errors.add(parents.where(key) + ": " + parents.path() + ".\"" + key + "\": no such parent (expected: root, ingress"
                            + (dev.qdisc() != null && dev.qdisc().children().length > 0
                                    ? ", or a class of " + dev.qdisc().ops().id() + " " + Qdisc.classid(dev.qdisc().handle()) + " from "
                                            + Qdisc.classid(dev.qdisc().children()[0].parent()) + " to "
                                            + Qdisc.classid(dev.qdisc().children()[dev.qdisc().children().length - 1].parent())
                                    : "") + ")");
                }
            }
        }
        for (NetDevice dev : host.devices()) {
            if (dev.qdisc() == null && !dev.noQueue()) {
                OptionsView empty = new OptionsView(com.typesafe.config.ConfigFactory.empty().root(), hv.path() + ".qdiscs." + dev.name() + ".root");
                QdiscOps<?> mq = plugins.qdisc("mq");
                if (dev.realNumTxQueues() > 1 && mq != null) {
                    attachRoot(host, dev, mq, 0, empty, empty);
                    continue;
                }
                QdiscOps<?> ops = defaultQdisc(host, hv, dev);
                if (ops != null) {
                    attachRoot(host, dev, ops, 0, empty, empty);
                }
            }
        }
    }

    /**
     * The host's {@code tc} commands at given times: {@code tc = [ { at = 500ms, qdisc = replace,
     * dev = eth0, parent = root, kind = pfifo, limit = 10 } ]} is {@code tc qdisc replace dev
     * eth0 root pfifo limit 10} at 500 ms. {@code parent} is {@code root} (default) or a class
     * of the configured {@code mq} root ({@code "1:2"}); {@code handle} is optional; every other
     * key is an option of the new qdisc. The new qdisc is created and checked now, before the
     * run, and grafted at its time ({@code qdisc_graft}); the old one is reset and destroyed.
     * {@code qdisc = delete} (root only) puts back what {@code attach_default_qdiscs} gives:
     * nothing ({@code noqueue}) for an {@code IFF_NO_QUEUE} device.
     */
    private void readTcCommands(Host host, OptionsView hv) {
        List<Options> cmds = guard(() -> hv.getObjectList("tc"), List.of());
        for (Options o : cmds) {
            OptionsView cv = view((OptionsView) o);
            try {
                long at = cv.getDurationNs("at", -1, 0, Long.MAX_VALUE);
                if (at < 0) {
                    throw cv.error("at", cv.path() + ".at: missing (expected: when to run it, such as 500ms)");
                }
                String cmd = cv.getChoice("qdisc", null, "replace", "delete");
                if (cmd == null) {
                    throw cv.error("qdisc", cv.path() + ".qdisc: missing (expected: replace or delete)");
                }
                String devName = cv.getString("dev");
                NetDevice dev = host.devGetByName(devName);
                if (dev == null) {
                    throw cv.error("dev", cv.path() + ".dev: no such device '" + devName + "' on host " + host.hostname());
                }
                if (cmd.equals("delete")) {
                    String parent = cv.getString("parent", "root");
                    if (!parent.equals("root")) {
                        throw cv.error("parent", cv.path() + ".parent: qdisc delete takes the root only (expected: root)");
                    }
                    // qdisc_graft(NULL) then dev_activate: attach_default_qdiscs puts the default back
                    Qdisc<?> dflt = null;
                    if (!dev.noQueue()) {
                        QdiscOps<?> mq = plugins.qdisc("mq");
                        OptionsView empty = new OptionsView(com.typesafe.config.ConfigFactory.empty().root(), cv.path());
                        if (dev.realNumTxQueues() > 1 && mq != null) {
                            dflt = createRoot(host, dev, mq, 0, empty, empty);
                        } else {
                            QdiscOps<?> ops = defaultQdisc(host, cv, dev);
                            dflt = ops == null ? null : createRoot(host, dev, ops, 0, empty, empty);
                        }
                    }
                    Qdisc<?> d = dflt;
                    scheduleTc(at, () -> logFreed(host, dev, "delete", QdiscGraft.graftRoot(dev, d)));
                    continue;
                }
                String kind = cv.getString("kind");
                QdiscOps<?> ops = plugins.qdisc(kind);
                if (ops == null || (ops.staticFlags() & Qdisc.TCQ_F_INGRESS) != 0) {
                    throw cv.error("kind", cv.path() + ".kind: unknown qdisc '" + kind + "' (registered: "
                            + String.join(", ", plugins.qdiscKinds().stream().filter(k -> !k.equals("ingress")).toList()) + ")");
                }
                String parent = cv.getString("parent", "root");
                if (parent.equals("root")) {
                    int handle = cv.has("handle") ? parseHandle(cv) : 0x80010000; // qdisc_alloc_handle's first
                    Qdisc<?> q = createRoot(host, dev, ops, handle, cv, cv);
                    if (q != null) {
                        scheduleTc(at, () -> logFreed(host, dev, "replace", QdiscGraft.graftRoot(dev, q)));
                    }
                } else {
                    if (!isGraftedClass(dev, parent)) {
                        throw cv.error("parent", cv.path() + ".parent: '" + parent + "' is not a class of " + dev.name()
                                + "'s root (expected: root" + (dev.qdisc() != null && dev.qdisc().children().length > 0
                                        ? ", or " + Qdisc.classid(dev.qdisc().children()[0].parent()) + " to "
                                                + Qdisc.classid(dev.qdisc().children()[dev.qdisc().children().length - 1].parent())
                                        : "") + ")");
                    }
                    if ((ops.staticFlags() & Qdisc.TCQ_F_MQROOT) != 0) {
                        throw cv.error("kind", cv.path() + ".kind: mq is a root qdisc only");
                    }
                    cv.accept("handle");
                    int classid = 0;
                    int queue = 0;
                    for (Qdisc<?> c : dev.qdisc().children()) {
                        if (Qdisc.classid(c.parent()).equals(parent)) {
                            classid = c.parent();
                            queue = c.devQueue().index();
                        }
                    }
                    Qdisc<?> child = newChild(dev, ops, queue, classid, cv);
                    int cid = classid;
                    if (child != null) {
                        scheduleTc(at, () -> {
                            long freed = QdiscGraft.graftClass(dev, cid, child);
                            if (freed > 0) {
                                logFreed(host, dev, "replace", freed);
                            }
                            if (freed < 0) {
                                TC_LOG.log(System.Logger.Level.WARNING, "{0}: tc qdisc replace dev {1} parent {2}: no such class (the root was replaced)",
                                        host.hostname(), dev.name(), parent);
                                QdiscGraft.destroyTree(child);
                            }
                        });
                    }
                }
            } catch (OptionException e) {
                errors.add(e.getMessage());
            }
        }
    }

    private static final System.Logger TC_LOG = System.getLogger("net.linuxnet.core.sched");

    private static void logFreed(Host host, NetDevice dev, String cmd, long freed) {
        if (freed > 0) {
            TC_LOG.log(System.Logger.Level.INFO, "{0}: tc qdisc {1} dev {2}: {3} queued packets freed (QUEUE_PURGE)",
                    host.hostname(), cmd, dev.name(), freed);
        }
    }

    private void scheduleTc(long at, Runnable r) {
        world.scheduler().schedule(new net.linuxnet.core.sim.Event() {
            @Override
            protected void fire() {
                r.run();
            }
        }, at);
    }

    private boolean isGraftedClass(NetDevice dev, String key) {
        Qdisc<?> root = dev.qdisc();
        if (root == null) {
            return false;
        }
        for (Qdisc<?> c : root.children()) {
            if (Qdisc.classid(c.parent()).equals(key)) {
                return true;
            }
        }
        return false;
    }

    private QdiscOps<?> defaultQdisc(Host host, OptionsView hv, NetDevice dev) {
        String kind = host.sysctlTable().getString("net.core.default_qdisc");
        QdiscOps<?> ops = plugins.qdisc(kind);
        if (ops == null || (ops.staticFlags() & (Qdisc.TCQ_F_INGRESS | Qdisc.TCQ_F_MQROOT)) != 0) {
            errors.add(hv.where(null) + ": " + hv.path() + ": device " + dev.name() + " needs a qdisc, but net.core.default_qdisc = "
                    + kind + " is not a registered classless qdisc (registered: " + String.join(", ", plugins.qdiscKinds()) + ")");
            return null;
        }
        return ops;
    }

    /**
     * {@code tc qdisc add dev DEV parent MAJ:MIN KIND ...}: a qdisc grafted onto a class of the
     * root ({@code qdisc_graft} through the root's {@code Qdisc_class_ops.graft}).
     */
    private void attachChild(NetDevice dev, String classKey, OptionsView cv) {
        String kind = guard(() -> cv.getString("kind"), null);
        if (kind == null) {
            return;
        }
        QdiscOps<?> ops = plugins.qdisc(kind);
        if (ops == null) {
            errors.add(cv.where("kind") + ": " + cv.path() + ".kind: unknown qdisc '" + kind + "' (registered: "
                    + String.join(", ", plugins.qdiscKinds()) + ")");
            return;
        }
        Qdisc<?> root = dev.qdisc();
        int classid = (Integer.parseInt(classKey.substring(0, classKey.indexOf(':')), 16) << 16)
                | Integer.parseInt(classKey.substring(classKey.indexOf(':') + 1), 16);
        if (root == null || root.handle() >>> 16 != classid >>> 16) {
            errors.add(cv.where(null) + ": " + cv.path() + ": no class " + classKey + " (expected: a class of the root qdisc"
                    + (root == null ? ", and there is none" : " " + Integer.toHexString(root.handle() >>> 16) + ":, such as "
                    + Integer.toHexString(root.handle() >>> 16) + ":1") + ")");
            return;
        }
        int handle = cv.has("handle") ? guard(() -> parseHandle(cv), 0) : 0;
        graftChild(root, ops, handle, classid, cv);
    }

    private <P> void graftChild(Qdisc<?> root, QdiscOps<P> ops, int handle, int classid, OptionsView cv) {
        Qdisc<P> child = new Qdisc<>(ops, root.dev(), root.devQueue(), handle, classid);
        try {
            child.init(cv);
        } catch (OptionException e) {
            errors.add(e.getMessage());
            return;
        }
        String err = graft(root, classid, child);
        if (err != null) {
            errors.add(cv.where(null) + ": " + cv.path() + ": " + err);
        }

    }

    private static <P> String graft(Qdisc<P> root, int classid, Qdisc<?> child) {
        return root.ops().graft(root, classid, child);
    }

    static int parseHandle(OptionsView rv) {
        String h = rv.getString("handle", "1:");
        if (!h.matches("[0-9a-fA-F]{1,4}:0*")) {
            throw rv.error("handle", "'" + h + "' is not a qdisc handle (expected: major: in hex, such as 1: or 8001:)");
        }
        return Integer.parseInt(h.substring(0, h.indexOf(':')), 16) << 16;
    }

    /**
     * {@code qdisc_create} + {@code dev_graft_qdisc} at the root. A {@code TCQ_F_MQROOT} qdisc
     * ({@code mq}) gets one child per TX queue as {@code mq_init}/{@code mq_attach} make them:
     * parent {@code M:(queue+1)}, handle {@code 0:}, flags {@code TCQ_F_ONETXQUEUE |
     * TCQ_F_NOPARENT}, kind from the class's own entry in {@code parents} or
     * {@code net.core.default_qdisc}; any other root serves every TX queue.
     */
    private <P> Qdisc<P> createRoot(Host host, NetDevice dev, QdiscOps<P> ops, int handle, OptionsView options, OptionsView parents) {
        Qdisc<P> q = new Qdisc<>(ops, dev, dev.txQueue(0), handle, Qdisc.TC_H_ROOT);
        try {
            q.init(options);
        } catch (OptionException e) {
            errors.add(e.getMessage());
            return null;
        }
        if ((ops.staticFlags() & Qdisc.TCQ_F_MQROOT) == 0) {
            return q;
        }
        if (dev.numTxQueues() <= 1) {
            errors.add(options.where("kind") + ": " + options.path() + ".kind: mq needs a multiqueue device (" + dev.name()
                    + " has 1 TX queue; mq_init returns EOPNOTSUPP)");
            return null;
        }
        Qdisc<?>[] children = new Qdisc<?>[dev.numTxQueues()];
        for (int i = 0; i < children.length; i++) {
            int parent = Qdisc.tcHMake(handle, i + 1);
            String key = Qdisc.classid(parent);
            OptionsView cv = parents.has(key) ? view(parents.object(key)) : null;
            QdiscOps<?> cops;
            if (cv != null) {
                String kind = guard(() -> cv.getString("kind"), null);
                cops = kind == null ? null : plugins.qdisc(kind);
                if (kind != null && (cops == null || (cops.staticFlags() & (Qdisc.TCQ_F_INGRESS | Qdisc.TCQ_F_MQROOT)) != 0)) {
                    errors.add(cv.where("kind") + ": " + cv.path() + ".kind: '" + kind + "' cannot be a class of mq (registered: "
                            + String.join(", ", plugins.qdiscKinds()) + ")");
                    cops = null;
                }
            } else {
                cops = defaultQdisc(host, options, dev);
            }
            if (cops == null) {
                return null;
            }
            OptionsView co = cv != null ? cv : new OptionsView(com.typesafe.config.ConfigFactory.empty().root(), parents.path() + ".\"" + key + "\"");
            Qdisc<?> child = newChild(dev, cops, i, parent, co);
            if (child == null) {
                return null;
            }
            children[i] = child;
        }
        q.setChildren(children);
        return q;
    }

    private <P> void attachRoot(Host host, NetDevice dev, QdiscOps<P> ops, int handle, OptionsView options, OptionsView parents) {
        Qdisc<P> q = createRoot(host, dev, ops, handle, options, parents);
        if (q != null) {
            QdiscGraft.graftRoot(dev, q);
        }
    }

    private <P> Qdisc<P> newChild(NetDevice dev, QdiscOps<P> ops, int queue, int parent, OptionsView options) {
        Qdisc<P> c = new Qdisc<>(ops, dev, dev.txQueue(queue), 0, parent);
        c.setFlags(c.flags() | Qdisc.TCQ_F_ONETXQUEUE | Qdisc.TCQ_F_NOPARENT);
        try {
            c.init(options);
        } catch (OptionException e) {
            errors.add(e.getMessage());
            return null;
        }
        return c;
    }

    /** {@code tc qdisc add dev X ingress}: handle {@code ffff:}, parent {@code ffff:fff1}, with its filters. */
    private <P> void attachIngress(NetDevice dev, QdiscOps<P> ops, OptionsView options) {
        Qdisc<P> q = new Qdisc<>(ops, dev, null, 0xFFFF0000, Qdisc.TC_H_INGRESS);
        try {
            q.init(options);
        } catch (OptionException e) {
            errors.add(e.getMessage());
            return;
        }
        dev.setIngressQdisc(q);
    }

    private void createApps(Host host, OptionsView hv) {
        OptionsView av = view(hv.object("apps"));
        for (String name : new TreeSet<>(av.raw().keySet())) {
            OptionsView ov;
            try {
                ov = view(av.object(name));
            } catch (OptionException e) {
                errors.add(e.getMessage());
                continue;
            }
            String kind = guard(() -> ov.getString("kind"), null);
            if (kind == null) {
                continue;
            }
            ApplicationType type = plugins.application(kind);
            if (type == null) {
                errors.add(ov.where("kind") + ": " + ov.path() + ".kind: unknown application '" + kind + "' (registered: "
                        + String.join(", ", plugins.applicationKinds()) + ")");
                continue;
            }
            try {
                Application app = type.create(name, host, ov);
                world.addApp(new World.App(name, kind, host, app));
            } catch (OptionException e) {
                errors.add(e.getMessage());
            } catch (IllegalArgumentException e) {
                errors.add(ov.where(null) + ": " + ov.path() + ": " + e.getMessage());
            }
        }
    }

    private void readOutput(OptionsView ov) {
        String json = guard(() -> ov.getString("json", null), null);
        if (json != null) {
            world.setJsonOutput(Path.of(json));
        }
        List<String> pcaps = guard(() -> ov.getStringList("pcap"), List.of());
        String dir = guard(() -> ov.getString("pcap-dir", "out"), "out");
        for (String spec : pcaps) {
            NetDevice dev = lookupDevice(spec);
            if (dev == null) {
                errors.add(ov.where("pcap") + ": " + ov.path() + ".pcap: no device '" + spec + "' (expected: host.dev, one of "
                        + String.join(", ", deviceViews.keySet().stream().map(d -> d.kernel().hostname() + "." + d.name()).toList()) + ")");
                continue;
            }
            if (errors.isEmpty()) {
                world.capture((Host) dev.kernel(), dev, Path.of(dir, spec + ".pcap"));
            }
        }
    }

    /** For tests: the raw object of a path. */
    static ConfigObject object(Config c, String path) {
        return c.getObject(path);
    }
}
