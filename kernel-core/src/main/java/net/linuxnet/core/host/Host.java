package net.linuxnet.core.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import net.linuxnet.api.filter.SockFprog;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.IrqDesc;
import net.linuxnet.api.kernel.IrqHandler;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.kernel.ReportSection;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NapiStruct;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.NetdevQueue;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffPool;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.netfilter.NfHookOps;
import net.linuxnet.api.netfilter.NfInetHooks;
import net.linuxnet.api.netfilter.NfOkfn;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.NetProtoFamily;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;
import net.linuxnet.core.cpu.Cpu;
import net.linuxnet.core.cpu.CpuSet;
import net.linuxnet.core.cpu.IrqDescImpl;
import net.linuxnet.core.cpu.TaskImpl;
import net.linuxnet.core.cpu.TimerImpl;
import net.linuxnet.core.dev.NetCore;
import net.linuxnet.core.netfilter.NfCore;
import net.linuxnet.core.socket.SocketCore;
import net.linuxnet.core.sysctl.SysctlTable;

/**
 * One modelled machine: its CPUs, its devices, its sysctls and counters, its skb pool, and
 * the device layer ({@link NetCore}). It is the {@link Kernel} its plugins talk to.
 */
public final class Host implements Kernel {
    private final String name;
    private final CpuSet cpus;
    private final Cpu[] cpuArray;
    private final SysctlTable sysctl;
    private final Map<String, CostStage> costs;
    private final RandomGenerator random;
    private final SkBuffPool pool;
    private final NetCore net;
    private final List<NetDevice> devices = new ArrayList<>();
    private final Map<String, NetDevice> devicesByName = new LinkedHashMap<>();
    private final List<IrqDescImpl> irqs = new ArrayList<>();
    private final Map<String, MibCounter> mib = new LinkedHashMap<>();
    private final long[] drops = new long[SkbDropReason.values().length];
    private final List<TaskImpl> tasks = new ArrayList<>();
    /** {@code inet_protos}. */
    private final NetProtocol[] inetProtos = new NetProtocol[256];
    private final NfCore nf;
    private final Map<Class<?>, Object> netGeneric = new LinkedHashMap<>();
    private final List<ReportSection> reportSections = new ArrayList<>();
    private int nextIrq;
    private final SocketCore sockets;

    /**
     * @param costs the cost stages, by name, for this host
     * @param debugPool poison freed skbs (tests)
     */
    public Host(String name, int numCpus, CpuSet cpus, SysctlTable sysctl, Map<String, CostStage> costs,
                RandomGenerator random, boolean debugPool, int firstIrq) {
        this.name = name;
        this.cpus = cpus;
        this.sysctl = sysctl;
        this.costs = Map.copyOf(costs);
        this.random = random;
        this.pool = new SkBuffPool(debugPool);
        this.nextIrq = firstIrq;
        cpuArray = new Cpu[numCpus];
        for (int i = 0; i < numCpus; i++) {
            cpuArray[i] = cpus.newCpu(i, costStage("hardirq"), costStage("softirq"), costStage("context_switch"));
        }
        this.net = new NetCore(this);
        this.nf = new NfCore(this);
        this.sockets = new SocketCore(this, costStage("sys_sendmsg"), costStage("sys_recvmsg"));
        reportSections.add(sockets);
    }

    /** The host's socket layer ({@code net/socket.c}). */
    public SocketCore sockets() {
        return sockets;
    }

    // ---- sockets ---------------------------------------------------------------------------

    @Override
    public void sockRegister(NetProtoFamily family) {
        sockets.sockRegister(family);
    }

    @Override
    public int socket(int family, int type, int protocol) {
        return sockets.socket(family, type, protocol);
    }

    @Override
    public int bind(int fd, SockaddrIn addr) {
        return sockets.bind(fd, addr);
    }

    @Override
    public int connect(int fd, SockaddrIn addr) {
        return sockets.connect(fd, addr);
    }

    @Override
    public int connect(Task task, int fd, SockaddrIn addr) {
        return sockets.connect(task, fd, addr);
    }

    @Override
    public int listen(int fd, int backlog) {
        return sockets.listen(fd, backlog);
    }

    @Override
    public int accept(Task task, int fd, SockaddrIn peer, int flags) {
        return sockets.accept(task, fd, peer, flags);
    }

    @Override
    public int sendto(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn to) {
        return sockets.sendto(task, fd, buf, off, len, flags, to);
    }

    @Override
    public int sendmsg(Task task, int fd, MsgHdr msg, int flags) {
        return sockets.sendmsg(task, fd, msg, flags);
    }

    @Override
    public int recvfrom(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn from) {
        return sockets.recvfrom(task, fd, buf, off, len, flags, from);
    }

    @Override
    public int recvmsg(Task task, int fd, MsgHdr msg, int flags) {
        return sockets.recvmsg(task, fd, msg, flags);
    }

    @Override
    public int setsockopt(int fd, int level, int optname, int val) {
        return sockets.setsockopt(fd, level, optname, val);
    }

    @Override
    public int setsockopt(int fd, int level, int optname, SockFprog fprog) {
        return sockets.setsockopt(fd, level, optname, fprog);
    }

    @Override
    public int getsockopt(int fd, int level, int optname) {
        return sockets.getsockopt(fd, level, optname);
    }

    @Override
    public int setsockopt(int fd, int level, int optname, byte[] optval) {
        return sockets.setsockopt(fd, level, optname, optval);
    }

    @Override
    public int getsockopt(int fd, int level, int optname, byte[] optval) {
        return sockets.getsockopt(fd, level, optname, optval);
    }

    @Override
    public int getsockname(int fd, SockaddrIn addr) {
        return sockets.getsockname(fd, addr);
    }

    @Override
    public int shutdown(int fd, int how) {
        return sockets.shutdown(fd, how);
    }

    @Override
    public int close(int fd) {
        return sockets.close(fd);
    }

    @Override
    public Socket sockfdLookup(int fd) {
        return sockets.sockfdLookup(fd);
    }

    @Override
    public String hostname() {
        return name;
    }

    public CpuSet cpus() {
        return cpus;
    }

    public Cpu cpu(int i) {
        return cpuArray[i];
    }

    public NetCore net() {
        return net;
    }

    public SysctlTable sysctlTable() {
        return sysctl;
    }

    public SkBuffPool pool() {
        return pool;
    }

    // ---- Kernel ----------------------------------------------------------------------------

    @Override
    public long ktimeGetNs() {
        return cpus.nowCursor();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public int numCpus() {
        return cpuArray.length;
    }

    @Override
    public int smpProcessorId() {
        Cpu c = cpus.current();
        return c == null ? 0 : c.index() % cpuArray.length;
    }

    @Override
    public CostStage costStage(String stage) {
        CostStage c = costs.get(stage);
        if (c == null) {
            throw new IllegalArgumentException("no cost stage '" + stage + "' (configured: " + costs.keySet()
                    + "); a plugin declares its stages under linuxnet.costs in its reference.conf");
        }
        return c;
    }

    @Override
    public void charge(CostStage stage, int bytes) {
        Cpu c = cpus.current();
        if (c != null) {
            c.charge(stage, bytes);
        }
    }

    @Override
    public SkBuff allocSkb(int size) {
        return pool.allocSkb(size);
    }

    @Override
    public SkBuff netdevAllocSkb(NetDevice dev, int len) {
        SkBuff skb = pool.allocSkb(len + IfEther.NET_SKB_PAD + IfEther.NET_IP_ALIGN);
        skb.reserve(IfEther.NET_SKB_PAD + IfEther.NET_IP_ALIGN);
        skb.setDev(dev);
        return skb;
    }

    @Override
    public void kfreeSkbReason(SkBuff skb, SkbDropReason reason) {
        if (skb.unref()) {
            drops[reason.ordinal()]++;
            skb.pool().release(skb);
        }
    }

    @Override
    public void consumeSkb(SkBuff skb) {
        if (skb.unref()) {
            skb.pool().release(skb);
        }
    }

    @Override
    public int netifRx(SkBuff skb) {
        return net.netifRx(skb);
    }

    @Override
    public int netifReceiveSkb(SkBuff skb) {
        return net.netifReceiveSkb(skb);
    }

    @Override
    public int napiGroReceive(NapiStruct napi, SkBuff skb) {
        return net.netifReceiveSkb(skb);
    }

    @Override
    public int ethTypeTrans(SkBuff skb, NetDevice dev) {
        skb.setDev(dev);
        skb.resetMacHeader();
        int mac = skb.data();
        skb.pull(IfEther.ETH_HLEN);
        byte[] h = skb.head();
        if (IfEther.isMulticastEtherAddr(h, mac)) {
            skb.setPktType(IfEther.isBroadcastEtherAddr(h, mac) ? SkBuff.PACKET_BROADCAST : SkBuff.PACKET_MULTICAST);
        } else if (!IfEther.etherAddrEqual(h, mac, dev.devAddr(), 0)) {
            skb.setPktType(SkBuff.PACKET_OTHERHOST);
        } else {
            skb.setPktType(SkBuff.PACKET_HOST);
        }
        int proto = skb.getU16(mac + 12);
        if (proto < IfEther.ETH_P_802_3_MIN) {
            proto = 0x0004; // ETH_P_802_2: a length field, not an ethertype
        }
        skb.setProtocol(proto);
        return proto;
    }

    @Override
    public NapiStruct netifNapiAdd(NetDevice dev, NapiStruct.Poll poll, int weight) {
        return new NapiStruct(dev, dev.name(), poll, weight);
    }

    @Override
    public void napiSchedule(NapiStruct napi) {
        net.napiSchedule(napi);
    }

    @Override
    public boolean napiCompleteDone(NapiStruct napi, int workDone) {
        return net.napiCompleteDone(napi, workDone);
    }

    @Override
    public void inetAddProtocol(NetProtocol prot) {
        int p = prot.protocol();
        if (p < 0 || p > 255) {
            throw new IllegalArgumentException("protocol: " + p + " (expected: 0..255)");
        }
        if (inetProtos[p] != null) {
            throw new IllegalStateException("IP protocol " + p + " is taken by " + inetProtos[p]);
        }
        inetProtos[p] = prot;
    }

    @Override
    public NetProtocol inetProtocol(int protocol) {
        return protocol >= 0 && protocol < 256 ? inetProtos[protocol] : null;
    }

    @Override
    public void nfRegisterNetHook(NfHookOps ops) {
        nf.register(ops);
    }

    @Override
    public void nfUnregisterNetHook(NfHookOps ops) {
        nf.unregister(ops);
    }

    @Override
    public int nfHook(NfInetHooks hook, SkBuff skb, NetDevice in, NetDevice out, NfOkfn okfn) {
        return nf.nfHook(hook, skb, in, out, okfn);
    }

    /** The host's netfilter hook lists. */
    public NfCore nf() {
        return nf;
    }

    @Override
    public <T> void setNetGeneric(Class<T> key, T state) {
        if (netGeneric.putIfAbsent(key, key.cast(state)) != null) {
            throw new IllegalStateException("per-host state " + key.getName() + " is already set on host " + name);
        }
    }

    @Override
    public <T> T netGeneric(Class<T> key) {
        return key.cast(netGeneric.get(key));
    }

    @Override
    public void registerReportSection(ReportSection section) {
        reportSections.add(section);
    }

    /** The report sections plugins added, in registration order. */
    public List<ReportSection> reportSections() {
        return Collections.unmodifiableList(reportSections);
    }

    @Override
    public void devAddPack(PacketType pt) {
        net.devAddPack(pt);
    }

    @Override
    public void devRemovePack(PacketType pt) {
        net.devRemovePack(pt);
    }

    @Override
    public int devQueueXmit(SkBuff skb) {
        return net.devQueueXmit(skb);
    }

    @Override
    public void netifScheduleQueue(NetdevQueue txq) {
        net.netifScheduleQueue(txq);
    }

    @Override
    public NetDevice devGetByName(String devName) {
        return devicesByName.get(devName);
    }

    @Override
    public List<NetDevice> devices() {
        return Collections.unmodifiableList(devices);
    }

    /** Adds a device; called by the world builder ({@code register_netdevice}). */
    public void registerDevice(NetDevice dev) {
        devices.add(dev);
        devicesByName.put(dev.name(), dev);
    }

    /** The ifindex the next device gets. */
    public int nextIfindex() {
        return devices.size() + 1;
    }

    @Override
    public IrqDesc requestIrq(String irqName, IrqHandler handler) {
        int irq = nextIrq++;
        IrqDescImpl d = new IrqDescImpl(irq, irqName, handler, cpuArray.length, irqs.size() % cpuArray.length, i -> cpuArray[i]);
        irqs.add(d);
        return d;
    }

    public List<IrqDescImpl> irqs() {
        return Collections.unmodifiableList(irqs);
    }

    @Override
    public TimerList timerSetup(TimerList.Callback fn) {
        return new TimerImpl(cpus, cpuArray[0], fn);
    }

    @Override
    public Task taskCreate(String comm, int cpu, Task.Body body) {
        if (cpu < 0 || cpu >= cpuArray.length) {
            throw new IllegalArgumentException("cpu: " + cpu + " (expected: 0.." + (cpuArray.length - 1) + ")");
        }
        TaskImpl t = TaskImpl.create(cpus, cpuArray[cpu], comm, body);
        tasks.add(t);
        return t;
    }

    @Override
    public SysctlTable sysctl() {
        return sysctl;
    }

    @Override
    public MibCounter mib(String counterName) {
        return mib.computeIfAbsent(counterName, MibCounter::new);
    }

    /** Every counter asked for so far, in the order first asked. */
    public Map<String, MibCounter> mibCounters() {
        return Collections.unmodifiableMap(mib);
    }

    /** Drops per reason on this host. */
    public Map<SkbDropReason, Long> dropReasons() {
        Map<SkbDropReason, Long> out = new EnumMap<>(SkbDropReason.class);
        for (SkbDropReason r : SkbDropReason.values()) {
            if (drops[r.ordinal()] != 0) {
                out.put(r, drops[r.ordinal()]);
            }
        }
        return out;
    }

    public long drops(SkbDropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Adds what a pernet provider frees at the end of a run ({@code pernet_operations.exit}). */
    public void addPernetExit(LongSupplier exit) {
        pernetExits.add(exit);
    }

    /** Runs the pernet exits; returns how many skbs they freed. */
    public long pernetExit() {
        long n = 0;
        for (LongSupplier e : pernetExits) {
            n += e.getAsLong();
        }
        return n;
    }

    private final List<LongSupplier> pernetExits = new ArrayList<>();

    @Override
    public String toString() {
        return "host " + name;
    }
}
