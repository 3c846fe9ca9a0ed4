package net.linuxnet.api.sock;

import net.linuxnet.api.filter.BpfProg;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffHead;

/**
 * The network layer representation of a socket, {@code struct sock} of
 * {@code include/net/sock.h} (with its {@code sock_common} head). Protocols extend it:
 * {@code Sock} → {@link InetSock} → {@code UdpSock}, as the kernel embeds the structs.
 *
 * <p>Memory accounting follows {@code net/core/sock.c}: an skb a socket sends is charged to
 * {@link #skWmemAlloc} by its truesize ({@link #skbSetOwnerW}) and uncharged when it is freed,
 * wherever that happens ({@code sock_wfree}, run by the skb's destructor), which then calls
 * {@link #skWriteSpace}. A received skb is charged to {@link #skRmemAlloc}
 * ({@link #skbSetOwnerR}) and uncharged when it is freed ({@code sock_rfree}).
 *
 * <pre>
 *   sendmsg ──▶ skb (sk_wmem_alloc += truesize) ──▶ IP ──▶ qdisc ──▶ driver ──▶ freed
 *                                                                    └─ sock_wfree ─▶ sk_write_space
 *   softirq ──▶ sk_receive_queue (sk_rmem_alloc += truesize) ──▶ sk_data_ready ──▶ recvmsg
 *                                                      freed by recvmsg ─▶ sock_rfree
 * </pre>
 */
public class Sock {

    /** {@code SOCK_MIN_SNDBUF}: {@code 2 * TCP_SKB_MIN_TRUESIZE} = 2 * (2048 + 256) on x86_64. */
    public static final int SOCK_MIN_SNDBUF = 4608;
    /** {@code SOCK_MIN_RCVBUF}: {@code TCP_SKB_MIN_TRUESIZE} = 2048 + 256 on x86_64. */
    public static final int SOCK_MIN_RCVBUF = 2304;

    /** A socket callback ({@code sk_data_ready}, {@code sk_write_space}, {@code sk_error_report}). */
    @FunctionalInterface
    public interface Callback {
        void call(Sock sk);
    }

    /** The host whose socket this is ({@code sock_net}). */
    public final Kernel kernel;
    /** {@code sk_prot}. */
    public final Proto skProt;
    /** {@code sk_socket}: the socket this sock belongs to, or null once orphaned. */
    public Socket skSocket;

    // ---- sock_common -------------------------------------------------------------------------
    /** {@code skc_family}. */
    public int skFamily;
    /** {@code skc_state}. */
    public int skState = SockConst.TCP_CLOSE;
    /** {@code skc_reuse}: SO_REUSEADDR. */
    public boolean skReuse;
    /** {@code skc_reuseport}: SO_REUSEPORT. */
    public boolean skReuseport;
    /** {@code skc_bound_dev_if}: SO_BINDTOIFINDEX / SO_BINDTODEVICE, 0 for none. */
    public int skBoundDevIf;

    // ---- sock ------------------------------------------------------------------------------
    /** {@code sk_type}. */
    public int skType;
    /** {@code sk_protocol}. */
    public int skProtocol;
    /** {@code sk_receive_queue}. */
    public final SkBuffHead skReceiveQueue = new SkBuffHead();
    /** {@code sk_write_queue}: a stream socket's data not sent yet. */
    public final SkBuffHead skWriteQueue = new SkBuffHead();
    /** {@code sk_wmem_queued}: truesize of the write and retransmit queues of a stream socket. */
    public int skWmemQueued;
    /** {@code sk_rcvbuf}, bytes of truesize. */
    public int skRcvbuf;
    /** {@code sk_sndbuf}, bytes of truesize. */
    public int skSndbuf;
    /** {@code sk_rmem_alloc}. */
    public int skRmemAlloc;
    /** {@code sk_wmem_alloc} (without the kernel's bias of 1). */
    public int skWmemAlloc;
    /** {@code sk_drops}. */
    public long skDrops;
    /** {@code sk_err}: a pending error, positive, reported once by the next call. */
    public int skErr;
    /** {@code sk_shutdown}: {@code RCV_SHUTDOWN} | {@code SEND_SHUTDOWN}. */
    public int skShutdown;
    /** {@code sk_userlocks}: {@code SOCK_SNDBUF_LOCK}, {@code SOCK_RCVBUF_LOCK}, ... */
    public int skUserlocks;
    /** {@code sk_mark}: SO_MARK. */
    public int skMark;
    /** {@code sk_priority}: SO_PRIORITY. */
    public int skPriority;
    /** {@code sk_filter}: SO_ATTACH_FILTER, or null. */
    public BpfProg skFilter;
    /** {@code SOCK_BROADCAST}: SO_BROADCAST. */
    public boolean sockBroadcast;
    /** {@code SOCK_LINGER}: SO_LINGER is on. */
    public boolean sockLinger;
    /** {@code sk_lingertime}: the SO_LINGER time, ns. */
    public long skLingertimeNs;
    /** {@code SOCK_KEEPOPEN}: SO_KEEPALIVE. */
    public boolean sockKeepopen;
    /** {@code SOCK_DEAD}: orphaned by close. */
    public boolean sockDead;
    /** {@code SOCK_NOSPACE} of the socket's flags: a sender found the send buffer full. */
    public boolean sockNospace;
    /** {@code sk_wq}: tasks sleeping on this socket. */
    public final WaitQueueHead skWq = new WaitQueueHead();
    /** {@code sk_data_ready}: called in softirq context when data was queued; default {@link #sockDefReadable}. */
    public Callback skDataReady = Sock::sockDefReadable;
    /** {@code sk_write_space}: called when send-buffer space was freed; default {@link #sockDefWriteSpace}. */
    public Callback skWriteSpace = Sock::sockDefWriteSpace;
    /** {@code sk_error_report}: called when {@link #skErr} was set; default wakes the sleepers. */
    public Callback skErrorReport = Sock::sockDefReadable;
    /**
     * Model-only: datagrams still queued when the run ended and the engine purged the socket
     * ({@code QUEUE_PURGE}), so that an application's result and the {@code sockets} report
     * can still say what was left.
     */
    public int purgedQlen;
    /** Model-only: {@link #skRmemAlloc} at that purge. */
    public int purgedRmem;

    public Sock(Kernel kernel, Proto prot) {
        this.kernel = kernel;
        this.skProt = prot;
    }

    /** {@code sock_def_readable}: wakes the tasks sleeping on the socket. */
    public static void sockDefReadable(Sock sk) {
        sk.skWq.wakeUp();
    }

    /** {@code sock_writeable}: less than half the send buffer is in use. */
    public boolean sockWriteable() {
        return skWmemAlloc < (skSndbuf >> 1);
    }

    /** {@code sock_def_write_space}: wakes the sleepers once the socket is writeable. */
    public static void sockDefWriteSpace(Sock sk) {
        if (sk.sockWriteable()) {
            sk.skWq.wakeUp();
        }
    }

    /** {@code sock_wfree}, the destructor of an skb a socket sends. */
    public static final SkBuff.Destructor SOCK_WFREE = skb -> {
        Sock sk = (Sock) skb.sk();
        sk.skWmemAlloc -= skb.truesize();
        if (!sk.sockDead) {
            sk.skWriteSpace.call(sk);
        }
    };

    /** {@code sock_rfree}, the destructor of an skb on a receive queue. */
    public static final SkBuff.Destructor SOCK_RFREE = skb -> {
        Sock sk = (Sock) skb.sk();
        sk.skRmemAlloc -= skb.truesize();
    };

    /** {@code skb_set_owner_w}: charges {@code skb} to this socket's send buffer. */
    public void skbSetOwnerW(SkBuff skb) {
        skb.setSk(this);
        skb.setDestructor(SOCK_WFREE);
        skWmemAlloc += skb.truesize();
    }

    /** {@code skb_set_owner_r}: orphans {@code skb} ({@code skb_orphan}) and charges it to this socket's receive buffer. */
    public void skbSetOwnerR(SkBuff skb) {
        skb.orphan();
        skb.setSk(this);
        skb.setDestructor(SOCK_RFREE);
        skRmemAlloc += skb.truesize();
    }

    /** What {@code ss} prints as Recv-Q ({@code idiag_rqueue}): for a datagram socket the receive memory in use. */
    public int diagRqueue() {
        return skReceiveQueue.isEmpty() && purgedRmem != 0 ? purgedRmem : skRmemAlloc;
    }

    /** What {@code ss} prints as Send-Q ({@code idiag_wqueue}): for a datagram socket the send memory in use. */
    public int diagWqueue() {
        return skWmemAlloc;
    }

    /** {@code sock_error}: takes and clears the pending error, as a negative errno, or 0. */
    public int sockError() {
        int e = skErr;
        skErr = 0;
        return -e;
    }
}
