package net.linuxnet.api.kernel;

import java.util.List;
import java.util.random.RandomGenerator;
import net.linuxnet.api.filter.SockFprog;
import net.linuxnet.api.net.NapiStruct;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.NetdevQueue;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.netfilter.NfHookOps;
import net.linuxnet.api.netfilter.NfInetHooks;
import net.linuxnet.api.netfilter.NfOkfn;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.NetProtoFamily;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;

/**
 * The services of one modelled host (one kernel, one network namespace) that plugins may
 * call: the clock, skb allocation and freeing, the receive and transmit entry points, NAPI,
 * IRQs, timers, kernel threads, CPU cost accounting, sysctls and counters.
 *
 * <p>Every method is called from the engine's single thread, in the context the caller is
 * in (hard IRQ, softirq, process or timer); none blocks.
 */
public interface Kernel {

    /** The host's name in the scenario. */
    String hostname();

    // ---- time and randomness ---------------------------------------------------------------

    /**
     * The current time in nanoseconds of simulated time ({@code ktime_get_ns}). Inside work
     * that runs on a CPU, this includes the cost charged so far, so time moves on as the CPU
     * does work.
     */
    long ktimeGetNs();

    /** The run's one seeded random source; using it keeps a run reproducible. */
    RandomGenerator random();

    // ---- CPUs ------------------------------------------------------------------------------

    /** CPUs of this host. */
    int numCpus();

    /** The CPU running the caller ({@code smp_processor_id}). */
    int smpProcessorId();

    /**
     * Looks up a cost stage, as named in the {@code costs} section of the configuration.
     * Plugins look their stages up once, at setup, and {@link #charge} them on the hot path.
     *
     * @throws IllegalArgumentException if no such stage is configured
     */
    CostStage costStage(String name);

    /** Charges the current CPU, in its current context, one packet of {@code bytes} at {@code stage}. */
    void charge(CostStage stage, int bytes);

    // ---- skbs ------------------------------------------------------------------------------

    /** {@code alloc_skb}: an empty skb with {@code size} bytes of tailroom, from this host's pool. */
    SkBuff allocSkb(int size);

    /**
     * {@code netdev_alloc_skb}: an skb for receiving {@code len} bytes on {@code dev}, with
     * {@code NET_SKB_PAD} of headroom reserved and {@code skb.dev} set.
     */
    SkBuff netdevAllocSkb(NetDevice dev, int len);

    /** Frees an skb that was dropped, counting {@code reason} ({@code kfree_skb_reason}). */
    void kfreeSkbReason(SkBuff skb, SkbDropReason reason);

    /** Frees an skb that did its job ({@code consume_skb}); counts no drop. */
    void consumeSkb(SkBuff skb);

    // ---- receive ---------------------------------------------------------------------------

    /**
     * Queues a received frame to the current CPU's backlog for the NET_RX softirq
     * ({@code netif_rx}). {@code skb.dev} is the receiving device, {@code skb.data()} at the
     * network header, {@code skb.protocol()} set (see {@code ethTypeTrans}). When the
     * backlog holds {@code netdev_max_backlog} packets the skb is dropped with
     * {@link SkbDropReason#CPU_BACKLOG}.
     *
     * @return {@code NET_RX_SUCCESS} or {@code NET_RX_DROP}; the skb is consumed either way
     */
    int netifRx(SkBuff skb);

    /**
     * Passes a received frame up the stack now ({@code netif_receive_skb}), in softirq
     * context, as a NAPI poll does.
     *
     * @return {@code NET_RX_SUCCESS} or {@code NET_RX_DROP}; the skb is consumed either way
     */
    int netifReceiveSkb(SkBuff skb);

    /** {@code napi_gro_receive}: the NAPI entry point for received frames. */
    int napiGroReceive(NapiStruct napi, SkBuff skb);

    /**
     * Sets the MAC header at {@code skb.data()}, pulls it, and sets {@code protocol} and
     * {@code pkt_type} from it for {@code dev} ({@code eth_type_trans}).
     *
     * @return the ethertype, host order
     */
    int ethTypeTrans(SkBuff skb, NetDevice dev);

    /** Registers a NAPI context of a device ({@code netif_napi_add_weight}). */
    NapiStruct netifNapiAdd(NetDevice dev, NapiStruct.Poll poll, int weight);

    /** Puts a NAPI context on the current CPU's poll list and raises NET_RX ({@code napi_schedule}). */
    void napiSchedule(NapiStruct napi);

    /**
     * Ends a poll that did less than its budget ({@code napi_complete_done}).
     *
     * @return false if the context must stay scheduled (the driver then keeps its IRQ off)
     */
    boolean napiCompleteDone(NapiStruct napi, int workDone);

    /**
     * Registers an IP protocol handler ({@code inet_add_protocol}). The core registers the
     * handlers of every {@code NetProtocolProvider} at boot.
     *
     * @throws IllegalStateException if the protocol number is taken
     */
    void inetAddProtocol(NetProtocol prot);

    /** The handler of an IP protocol number ({@code inet_protos[protocol]}), or null. */
    NetProtocol inetProtocol(int protocol);

    /** Registers a frame handler ({@code dev_add_pack}). */
    void devAddPack(PacketType pt);

    /** Unregisters a frame handler ({@code dev_remove_pack}). */
    void devRemovePack(PacketType pt);

    // ---- transmit --------------------------------------------------------------------------

    /**
     * Transmits a frame through the device's qdisc layer ({@code dev_queue_xmit}), in process
     * or softirq context. {@code skb.dev} is the device; {@code skb.data()} at the MAC header.
     *
     * @return {@code NET_XMIT_SUCCESS}, {@code NET_XMIT_DROP} or {@code NET_XMIT_CN}, or a
     *     negative errno (such as {@code -ENETDOWN}); the skb is consumed either way
     */
    int devQueueXmit(SkBuff skb);

    /** Reschedules the qdisc of a TX queue for the NET_TX softirq ({@code netif_schedule_queue}). */
    void netifScheduleQueue(NetdevQueue txq);

    /** Frees an skb after transmission in any context ({@code dev_consume_skb_any}). */
    default void devConsumeSkbAny(SkBuff skb) {
        consumeSkb(skb);
    }

    // ---- devices ---------------------------------------------------------------------------

    /** {@code __dev_get_by_name}, or null. */
    NetDevice devGetByName(String name);

    /** The host's devices in ifindex order. */
    List<NetDevice> devices();

    // ---- IRQs, timers, threads -------------------------------------------------------------

    /**
     * Allocates an IRQ line with its handler ({@code request_irq}); it shows in the report's
     * {@code interrupts} rows under {@code name}. Its affinity starts on CPU
     * {@code irqIndex % numCpus} unless the configuration says otherwise.
     */
    IrqDesc requestIrq(String name, IrqHandler handler);

    /** A timer that calls {@code fn} in softirq (TIMER) context when it expires ({@code timer_setup}). */
    TimerList timerSetup(TimerList.Callback fn);

    /**
     * Creates a kernel thread or application task bound to one CPU ({@code kthread_create_on_cpu});
     * it runs in process context when woken, competing for the CPU with softirqs and other tasks.
     */
    Task taskCreate(String comm, int cpu, Task.Body body);

    // ---- netfilter -------------------------------------------------------------------------

    /** Registers an IPv4 netfilter hook ({@code nf_register_net_hook}). */
    void nfRegisterNetHook(NfHookOps ops);

    /** Unregisters an IPv4 netfilter hook ({@code nf_unregister_net_hook}). */
    void nfUnregisterNetHook(NfHookOps ops);

    /**
     * {@code NF_HOOK}: runs the IPv4 hooks registered at {@code hook} in priority order
     * ({@code nf_hook_slow}) and, if every one accepts, calls {@code okfn}.
     *
     * <ul>
     *   <li>{@code NF_ACCEPT}: the next hook; after the last, {@code okfn(skb)} and its result.
     *   <li>{@code NF_DROP}: the skb is freed with {@code NETFILTER_DROP}; returns the
     *       verdict's negated errno, or {@code -EPERM} when it has none.
     *   <li>{@code NF_STOLEN}: the hook owns the skb now; returns 0.
     *   <li>{@code NF_QUEUE}: no queue handler exists, so, as {@code nf_queue} without a
     *       listener, the skb is dropped ({@code NETFILTER_DROP}, counted in
     *       {@code NfQueueDrops}); returns {@code -ESRCH}.
     *   <li>{@code NF_REPEAT}: the same hook is called again.
     * </ul>
     *
     * @param in the input device (PRE_ROUTING, LOCAL_IN, FORWARD), or null
     * @param out the output device (FORWARD, LOCAL_OUT, POST_ROUTING), or null
     */
    int nfHook(NfInetHooks hook, SkBuff skb, NetDevice in, NetDevice out, NfOkfn okfn);

    // ---- per-host protocol state and the report ---------------------------------------------

    /**
     * Stores a protocol's per-host state under its class ({@code net_generic} with the id
     * {@code register_pernet_subsys} hands out).
     *
     * @throws IllegalStateException if state of that class is already stored
     */
    <T> void setNetGeneric(Class<T> key, T state);

    /** A protocol's per-host state, or null. */
    <T> T netGeneric(Class<T> key);

    /** Adds a section to this host's report (IPv4's {@code routes}, {@code neigh}). */
    void registerReportSection(ReportSection section);

    // ---- configuration and counters --------------------------------------------------------

    /** The host's sysctls ({@code /proc/sys}). */
    Sysctl sysctl();

    /**
     * A counter of the host, by its {@code nstat} name ({@code IpInReceives}) or its
     * {@code /proc/net/softnet_stat} role; created on first use, reported when non-zero or
     * when registered by a protocol.
     */
    MibCounter mib(String name);

    // ---- sockets (net/socket.c) -------------------------------------------------------------
    //
    // The system calls a program makes, in process context on its task's CPU, which they
    // charge. A descriptor indexes the host's socket table. Blocking in the event-driven model:
    // a call that cannot make progress returns -EAGAIN on a non-blocking socket (SOCK_NONBLOCK,
    // or MSG_DONTWAIT); on a blocking one the calling task is put to sleep on the socket's wait
    // queue and the call returns -ERESTARTSYS. The task is woken when data or send-buffer space
    // arrives (sk_data_ready, sk_write_space) and its body, which runs again, retries the call.
    // So a program is a state machine over its task's steps.

    /** {@code sock_register}: makes an address family's sockets creatable. */
    void sockRegister(NetProtoFamily family);

    /** {@code socket(2)}: a descriptor, or {@code -EAFNOSUPPORT}, {@code -ESOCKTNOSUPPORT}, ... */
    int socket(int family, int type, int protocol);

    /** {@code bind(2)}. */
    int bind(int fd, SockaddrIn addr);

    /** {@code connect(2)}. */
    int connect(int fd, SockaddrIn addr);

    /**
     * {@code connect(2)} from a task: a blocking stream socket sleeps until the handshake ends
     * ({@code -ERESTARTSYS}; the retried call returns 0 or the error); a non-blocking one
     * returns {@code -EINPROGRESS}, then {@code -EALREADY} until it is done.
     */
    int connect(Task task, int fd, SockaddrIn addr);

    /** {@code listen(2)}. */
    int listen(int fd, int backlog);

    /**
     * {@code accept4(2)}: a new descriptor for the head of the accept queue, with the peer in
     * {@code peer} if not null; {@code -EAGAIN} (non-blocking) or {@code -ERESTARTSYS} (the
     * task sleeps) when the queue is empty. {@code flags}: {@code SOCK_NONBLOCK}.
     */
    int accept(Task task, int fd, SockaddrIn peer, int flags);

    /** {@code sendto(2)}: bytes sent, or a negative errno ({@code -ERESTARTSYS}: the task sleeps). */
    int sendto(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn to);

    /** {@code sendmsg(2)}. */
    int sendmsg(Task task, int fd, MsgHdr msg, int flags);

    /** {@code recvfrom(2)}: bytes received, or a negative errno ({@code -ERESTARTSYS}: the task sleeps). */
    int recvfrom(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn from);

    /** {@code recvmsg(2)}. */
    int recvmsg(Task task, int fd, MsgHdr msg, int flags);

    /** {@code setsockopt(2)} with an {@code int} value. */
    int setsockopt(int fd, int level, int optname, int val);

    /** {@code setsockopt(2)} with a {@code struct sock_fprog} ({@code SO_ATTACH_FILTER}). */
    int setsockopt(int fd, int level, int optname, SockFprog fprog);

    /** {@code getsockopt(2)} of an {@code int} option: its value, or a negative errno. */
    int getsockopt(int fd, int level, int optname);

    /** {@code setsockopt(2)} of a struct option ({@code SO_LINGER}), {@code optval} holding the C struct's bytes. */
    int setsockopt(int fd, int level, int optname, byte[] optval);

    /** {@code getsockopt(2)} of a struct option ({@code SO_LINGER}, {@code TCP_INFO}): the length written, or a negative errno. */
    int getsockopt(int fd, int level, int optname, byte[] optval);

    /** {@code getsockname(2)}. */
    int getsockname(int fd, SockaddrIn addr);

    /** {@code shutdown(2)}. */
    int shutdown(int fd, int how);

    /** {@code close(2)} of a socket. */
    int close(int fd);

    /** {@code sockfd_lookup}: the socket behind a descriptor, or null. */
    Socket sockfdLookup(int fd);
}
