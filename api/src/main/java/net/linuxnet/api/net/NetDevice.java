package net.linuxnet.api.net;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sched.Qdisc;

/**
 * A network device, as {@code struct net_device}: its name and index in one host, its
 * addresses and MTU, its TX and RX queues, its counters, the driver's ops and the driver's
 * private state ({@code netdev_priv}).
 *
 * <p>The core allocates the device ({@code alloc_netdev_mqs}), the driver fills it in its
 * setup (ops, flags, defaults), the configuration overrides the defaults, and the core
 * registers and opens it. {@link #kernel()} is the host the device belongs to.
 */
public final class NetDevice {

    /** {@code dev->flags} bits from {@code include/uapi/linux/if.h}. */
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_POINTOPOINT = 0x10;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    /** {@code dev->priv_flags} bits from {@code enum netdev_priv_flags}. */
    public static final long IFF_NO_QUEUE = 1L << 21;
    public static final long IFF_LIVE_ADDR_CHANGE = 1L << 15;

    /** {@code DEFAULT_TX_QUEUE_LEN}. */
    public static final int DEFAULT_TX_QUEUE_LEN = 1000;

    private final Kernel kernel;
    private final String name;
    private final int ifindex;
    private final NetdevQueue[] tx;
    private final int numRxQueues;
    private final RtnlLinkStats64 stats = new RtnlLinkStats64();
    private final byte[] devAddr = new byte[IfEther.ETH_ALEN];
    private final byte[] broadcast = {-1, -1, -1, -1, -1, -1};
    private String kind;
    private NetDeviceOps ops;
    private EthtoolOps ethtoolOps;
    private Object priv;
    private int flags;
    private long privFlags;
    private int type = IfEther.ARPHRD_ETHER;
    private int mtu = IfEther.ETH_DATA_LEN;
    private int minMtu = 68;
    private int maxMtu = IfEther.ETH_DATA_LEN;
    private int hardHeaderLen = IfEther.ETH_HLEN;
    private int txQueueLen = DEFAULT_TX_QUEUE_LEN;
    private int realNumTxQueues;
    private Qdisc<?> qdisc;
    private Qdisc<?> ingressQdisc;
    /** Core drop counters added to the driver's by {@code dev_get_stats} ({@code dev->core_stats}). */
    public long coreRxDropped;
    public long coreTxDropped;
    public long coreRxNohandler;

    /**
     * Allocates a device ({@code alloc_netdev_mqs}). Called by the core.
     *
     * @throws IllegalArgumentException if a queue count is below 1
     */
    public NetDevice(Kernel kernel, String name, int ifindex, int numTxQueues, int numRxQueues) {
        if (numTxQueues < 1 || numRxQueues < 1) {
            throw new IllegalArgumentException("queues: tx=" + numTxQueues + " rx=" + numRxQueues + " (expected: >= 1)");
        }
        this.kernel = kernel;
        this.name = name;
        this.ifindex = ifindex;
        this.tx = new NetdevQueue[numTxQueues];
        for (int i = 0; i < numTxQueues; i++) {
            tx[i] = new NetdevQueue(this, i);
        }
        this.realNumTxQueues = numTxQueues;
        this.numRxQueues = numRxQueues;
    }

    /** The host this device belongs to ({@code dev_net(dev)}). */
    public Kernel kernel() {
        return kernel;
    }

    public String name() {
        return name;
    }

    public int ifindex() {
        return ifindex;
    }

    /** The link kind, as {@code ip -d link} prints it ({@code veth}, {@code loopback}). */
    public String kind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public NetDeviceOps ops() {
        return ops;
    }

    public void setOps(NetDeviceOps ops) {
        this.ops = ops;
    }

    public EthtoolOps ethtoolOps() {
        return ethtoolOps;
    }

    public void setEthtoolOps(EthtoolOps ethtoolOps) {
        this.ethtoolOps = ethtoolOps;
    }

    /** The driver's private state ({@code netdev_priv}). */
    @SuppressWarnings("unchecked")
    public <T> T priv() {
        return (T) priv;
    }

    public void setPriv(Object priv) {
        this.priv = priv;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int flags) {
        this.flags = flags;
    }

    /** {@code netif_running}: the device is up. */
    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    public long privFlags() {
        return privFlags;
    }

    public void setPrivFlags(long privFlags) {
        this.privFlags = privFlags;
    }

    /** Whether the device transmits without a qdisc ({@code IFF_NO_QUEUE}). */
    public boolean noQueue() {
        return (privFlags & IFF_NO_QUEUE) != 0;
    }

    /** {@code ARPHRD_*}. */
    public int type() {
        return type;
    }

    public void setType(int type) {
        this.type = type;
    }

    public int mtu() {
        return mtu;
    }

    public void setMtu(int mtu) {
        this.mtu = mtu;
    }

    public int minMtu() {
        return minMtu;
    }

    public int maxMtu() {
        return maxMtu;
    }

    public void setMtuRange(int min, int max) {
        this.minMtu = min;
        this.maxMtu = max;
    }

    public int hardHeaderLen() {
        return hardHeaderLen;
    }

    public void setHardHeaderLen(int len) {
        this.hardHeaderLen = len;
    }

    /** {@code dev->tx_queue_len}, the default limit of a fifo qdisc on this device. */
    public int txQueueLen() {
        return txQueueLen;
    }

    public void setTxQueueLen(int len) {
        this.txQueueLen = len;
    }

    /** The hardware address ({@code dev->dev_addr}); the array is the device's own. */
    public byte[] devAddr() {
        return devAddr;
    }

    public void setDevAddr(byte[] mac) {
        System.arraycopy(mac, 0, devAddr, 0, IfEther.ETH_ALEN);
    }

    public byte[] broadcast() {
        return broadcast;
    }

    /** The driver's counters ({@code dev->stats}). */
    public RtnlLinkStats64 stats() {
        return stats;
    }

    public int numTxQueues() {
        return tx.length;
    }

    public int realNumTxQueues() {
        return realNumTxQueues;
    }

    /** {@code netif_set_real_num_tx_queues}. */
    public void setRealNumTxQueues(int n) {
        if (n < 1 || n > tx.length) {
            throw new IllegalArgumentException("real_num_tx_queues: " + n + " (expected: 1.." + tx.length + ")");
        }
        realNumTxQueues = n;
    }

    public int numRxQueues() {
        return numRxQueues;
    }

    /** {@code netdev_get_tx_queue}. */
    public NetdevQueue txQueue(int index) {
        return tx[index];
    }

    /** The root qdisc ({@code dev->qdisc}); noqueue devices have none. */
    public Qdisc<?> qdisc() {
        return qdisc;
    }

    public void setQdisc(Qdisc<?> qdisc) {
        this.qdisc = qdisc;
    }

    /** The ingress qdisc ({@code dev->ingress_queue->qdisc_sleeping}), or null. */
    public Qdisc<?> ingressQdisc() {
        return ingressQdisc;
    }

    public void setIngressQdisc(Qdisc<?> q) {
        this.ingressQdisc = q;
    }

    /** {@code netif_stop_queue}: stops TX queue 0. */
    public void stopQueue() {
        tx[0].stopQueue();
    }

    /** {@code netif_wake_queue}: wakes TX queue 0. */
    public void wakeQueue() {
        tx[0].wakeQueue();
    }

    /** {@code dev_get_stats}: the driver's counters plus the core's drop counters. */
    public RtnlLinkStats64 getStats(RtnlLinkStats64 out) {
        ops.ndoGetStats64(this, out);
        out.rxDropped += coreRxDropped;
        out.txDropped += coreTxDropped;
        out.rxNohandler += coreRxNohandler;
        return out;
    }

    @Override
    public String toString() {
        return name + "(ifindex " + ifindex + ", " + kind + ", " + IfEther.formatMac(devAddr, 0) + ")";
    }
}
