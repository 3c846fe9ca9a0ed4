package net.linuxnet.apps.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import net.linuxnet.api.filter.SockFprog;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.IrqDesc;
import net.linuxnet.api.kernel.IrqHandler;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.kernel.ReportSection;
import net.linuxnet.api.kernel.Sysctl;
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
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.NetProtoFamily;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;

/**
 * A hand-written kernel for application tests: a clock that charges move, a debug skb pool,
 * one task at a time run by {@link #runUntil}, and a {@code dev_queue_xmit} that answers
 * {@link #queueXmitResult}; a seeded random source, MIB counters, per-host state and report
 * sections kept in maps. Everything else is unsupported.
 */
public final class TestingKernel implements Kernel {
    public final SkBuffPool pool = new SkBuffPool(true);
    public final List<NetDevice> devices = new ArrayList<>();
    public final List<PacketType> packetTypes = new ArrayList<>();
    public final List<byte[]> queueXmitted = new ArrayList<>();
    public int queueXmitResult = NetXmit.NET_XMIT_SUCCESS;
    public long now;
    public long perPacketNs = 150;
    public TestingTask task;
    /** The run's random source, seeded. */
    public final java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    public final java.util.Map<String, MibCounter> mibs = new java.util.LinkedHashMap<>();
    public final java.util.Map<Class<?>, Object> netGeneric = new java.util.HashMap<>();
    public final List<ReportSection> reportSections = new ArrayList<>();

    public final class TestingTask implements Task {
        final String comm;
        final int cpu;
        final Task.Body body;
        public boolean runnable;
        long wakeAt = -1;
        public boolean stopped;
        public int runs;

        TestingTask(String comm, int cpu, Task.Body body) {
            this.comm = comm;
            this.cpu = cpu;
            this.body = body;
        }

        @Override
        public String comm() {
            return comm;
        }

        @Override
        public int cpu() {
            return cpu;
        }

        @Override
        public void wakeUp() {
            runnable = true;
        }

        @Override
        public void wakeUpAt(long ns) {
            wakeAt = ns;
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    /** Runs the task whenever it is runnable or its wake time has come, while the clock is below {@code endNs}. */
    public void runUntil(long endNs) {
        while (task != null && !task.stopped) {
            if (!task.runnable) {
                if (task.wakeAt < 0 || task.wakeAt >= endNs) {
                    break;
                }
                now = Math.max(now, task.wakeAt);
            }
            if (now >= endNs) {
                break;
            }
            task.runnable = false;
            task.wakeAt = -1;
            task.runs++;
            task.body.run(task);
        }
        now = Math.max(now, endNs);
    }

    public NetDevice addDevice(String name, byte[] mac) {
        NetDevice dev = new NetDevice(this, name, devices.size() + 1, 1, 1);
        dev.setDevAddr(mac);
        dev.setFlags(NetDevice.IFF_UP);
        devices.add(dev);
        return dev;
    }

    void free(SkBuff skb) {
        if (skb.unref()) {
            pool.release(skb);
        }
    }

    @Override
    public String hostname() {
        return "test";
    }

    @Override
    public long ktimeGetNs() {
        return now;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public int numCpus() {
        return 2;
    }

    @Override
    public int smpProcessorId() {
        return 0;
    }

    @Override
    public CostStage costStage(String name) {
        return new CostStage(name, perPacketNs, 0);
    }

    @Override
    public void charge(CostStage stage, int bytes) {
        now += stage.costNs(bytes);
    }

    @Override
    public SkBuff allocSkb(int size) {
        return pool.allocSkb(size);
    }

    @Override
    public SkBuff netdevAllocSkb(NetDevice dev, int len) {
        SkBuff skb = pool.allocSkb(len + IfEther.NET_SKB_PAD);
        skb.reserve(IfEther.NET_SKB_PAD);
        skb.setDev(dev);
        return skb;
    }

    @Override
    public void kfreeSkbReason(SkBuff skb, SkbDropReason reason) {
        free(skb);
    }

    @Override
    public void consumeSkb(SkBuff skb) {
        free(skb);
    }

    @Override
    public int netifRx(SkBuff skb) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int netifReceiveSkb(SkBuff skb) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int napiGroReceive(NapiStruct napi, SkBuff skb) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int ethTypeTrans(SkBuff skb, NetDevice dev) {
        throw new UnsupportedOperationException();
    }

    @Override
    public NapiStruct netifNapiAdd(NetDevice dev, NapiStruct.Poll poll, int weight) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void napiSchedule(NapiStruct napi) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean napiCompleteDone(NapiStruct napi, int workDone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void devAddPack(PacketType pt) {
        packetTypes.add(pt);
    }

    @Override
    public void devRemovePack(PacketType pt) {
        packetTypes.remove(pt);
    }

    @Override
    public int devQueueXmit(SkBuff skb) {
        queueXmitted.add(skb.toByteArray());
        free(skb);
        return queueXmitResult;
    }

    @Override
    public void netifScheduleQueue(NetdevQueue txq) {
    }

    @Override
    public NetDevice devGetByName(String name) {
        for (NetDevice dev : devices) {
            if (dev.name().equals(name)) {
                return dev;
            }
        }
        return null;
    }

    @Override
    public List<NetDevice> devices() {
        return devices;
    }

    @Override
    public IrqDesc requestIrq(String name, IrqHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TimerList timerSetup(TimerList.Callback fn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Task taskCreate(String comm, int cpu, Task.Body body) {
        task = new TestingTask(comm, cpu, body);
        return task;
    }

    @Override
    public Sysctl sysctl() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MibCounter mib(String name) {
        return mibs.computeIfAbsent(name, MibCounter::new);
    }

    @Override
    public void inetAddProtocol(NetProtocol prot) {
        throw new UnsupportedOperationException();
    }

    @Override
    public NetProtocol inetProtocol(int protocol) {
        return null;
    }

    @Override
    public void nfRegisterNetHook(NfHookOps ops) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void nfUnregisterNetHook(NfHookOps ops) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int nfHook(NfInetHooks hook, SkBuff skb, NetDevice in, NetDevice out, NfOkfn okfn) {
        return okfn.ok(skb);
    }

    @Override
    public <T> void setNetGeneric(Class<T> key, T state) {
        if (netGeneric.putIfAbsent(key, state) != null) {
            throw new IllegalStateException(key.getName() + " is already set");
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

    // ---- no socket layer: pktgen and af-packet make no socket calls ----

    @Override
    public void sockRegister(NetProtoFamily family) {
        throw new UnsupportedOperationException("no socket layer in the testing kernel");
    }

    @Override
    public int socket(int family, int type, int protocol) {
        return -Errno.ENOSYS;
    }

    @Override
    public int bind(int fd, SockaddrIn addr) {
        return -Errno.ENOSYS;
    }

    @Override
    public int connect(int fd, SockaddrIn addr) {
        return -Errno.ENOSYS;
    }

    @Override
    public int connect(Task task, int fd, SockaddrIn addr) {
        return -Errno.ENOSYS;
    }

    @Override
    public int listen(int fd, int backlog) {
        return -Errno.ENOSYS;
    }

    @Override
    public int accept(Task task, int fd, SockaddrIn peer, int flags) {
        return -Errno.ENOSYS;
    }

    @Override
    public int sendto(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn to) {
        return -Errno.ENOSYS;
    }

    @Override
    public int sendmsg(Task task, int fd, MsgHdr msg, int flags) {
        return -Errno.ENOSYS;
    }

    @Override
    public int recvfrom(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn from) {
        return -Errno.ENOSYS;
    }

    @Override
    public int recvmsg(Task task, int fd, MsgHdr msg, int flags) {
        return -Errno.ENOSYS;
    }

    @Override
    public int setsockopt(int fd, int level, int optname, int val) {
        return -Errno.ENOSYS;
    }

    @Override
    public int setsockopt(int fd, int level, int optname, SockFprog fprog) {
        return -Errno.ENOSYS;
    }

    @Override
    public int getsockopt(int fd, int level, int optname) {
        return -Errno.ENOSYS;
    }

    @Override
    public int setsockopt(int fd, int level, int optname, byte[] optval) {
        return -Errno.ENOSYS;
    }

    @Override
    public int getsockopt(int fd, int level, int optname, byte[] optval) {
        return -Errno.ENOSYS;
    }

    @Override
    public int getsockname(int fd, SockaddrIn addr) {
        return -Errno.ENOSYS;
    }

    @Override
    public int shutdown(int fd, int how) {
        return -Errno.ENOSYS;
    }

    @Override
    public int close(int fd) {
        return -Errno.ENOSYS;
    }

    @Override
    public Socket sockfdLookup(int fd) {
        return null;
    }
}
