package net.linuxnet.core.socket;

import static net.linuxnet.api.sock.SockConst.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.linuxnet.api.filter.BpfCheckException;
import net.linuxnet.api.filter.BpfProg;
import net.linuxnet.api.filter.SockFprog;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.ReportSection;
import net.linuxnet.api.kernel.Task;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sock.InetConnectionSock;
import net.linuxnet.api.sock.InetSock;
import net.linuxnet.api.sock.InetTimewaitSock;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.NetProtoFamily;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;

/**
 * The socket layer of one host: the descriptor table and the system calls of
 * {@code net/socket.c}, and the generic socket options of {@code sock_setsockopt} in
 * {@code net/core/sock.c}.
 *
 * <p>Each call runs in process context on the calling task's CPU and charges it: the
 * {@code sys_sendmsg} and {@code sys_recvmsg} stages per call (syscall entry and exit, the
 * descriptor lookup, the copy of the {@code msghdr}), the protocol its own stages.
 *
 * <p>Blocking. The kernel sleeps inside the protocol ({@code sock_wait_for_wmem},
 * {@code __skb_wait_for_more_packets}); the model cannot suspend a Java call, so the protocol
 * returns {@code -EAGAIN} and this layer decides: when the file has {@code O_NONBLOCK} (so
 * {@code ____sys_sendmsg} adds {@code MSG_DONTWAIT}) or the caller passed
 * {@code MSG_DONTWAIT}, {@code -EAGAIN} goes back to the program; otherwise the task is added
 * to the socket's wait queue and the call returns {@code -ERESTARTSYS}. {@code sk_data_ready}
 * and {@code sk_write_space} wake the task, and its body calls again. Nothing is lost: the
 * call had no effect.
 *
 * <p>{@code SO_RCVBUF}/{@code SO_SNDBUF} follow {@code sk_setsockopt}: the value is clamped to
 * {@code net.core.rmem_max}/{@code wmem_max}, doubled (for the kernel's bookkeeping overhead)
 * and raised to {@code SOCK_MIN_RCVBUF}/{@code SOCK_MIN_SNDBUF}; the {@code *FORCE}
 * variants skip the clamp. New sockets get {@code net.core.rmem_default}/{@code wmem_default}
 * ({@code sock_init_data}).
 */
public final class SocketCore implements ReportSection {
    private final Kernel kernel;
    private final NetProtoFamily[] families = new NetProtoFamily[AF_MAX];
    private final List<Socket> fdTable = new ArrayList<>();
    private final CostStage sysSendmsg;
    private final CostStage sysRecvmsg;
    private final MsgHdr scratch = new MsgHdr();
    /** The lowest descriptor that may be free. */
    private int nextFd = 3;
    /** The protocols whose sockets were created here, asked for their orphans by the report. */
    private final java.util.Set<Proto> protos = new java.util.LinkedHashSet<>();

    public SocketCore(Kernel kernel, CostStage sysSendmsg, CostStage sysRecvmsg) {
        this.kernel = kernel;
        this.sysSendmsg = sysSendmsg;
        this.sysRecvmsg = sysRecvmsg;
    }

    /** {@code sock_register}. */
    public void sockRegister(NetProtoFamily ops) {
        int f = ops.family();
        if (f <= 0 || f >= AF_MAX) {
            throw new IllegalArgumentException("family: " + f + " (expected: 1.." + (AF_MAX - 1) + ")");
        }
        if (families[f] != null) {
            throw new IllegalStateException("address family " + f + " is registered already by " + families[f]);
        }
        families[f] = ops;
    }

    /** {@code __sys_socket}: {@code sock_create}, then {@code sock_map_fd} to the lowest free descriptor (from 3). */
    public int socket(int family, int type, int protocol) {
        int flags = type & ~SOCK_TYPE_MASK;
        type &= SOCK_TYPE_MASK;
        if ((flags & ~SOCK_NONBLOCK) != 0) {
            return -Errno.EINVAL;
        }
        if (family < 0 || family >= AF_MAX) {
            return -Errno.EAFNOSUPPORT;
        }
        NetProtoFamily pf = families[family];
        if (pf == null) {
            return -Errno.EAFNOSUPPORT;
        }
        Socket sock = new Socket(type);
        int err = pf.create(kernel, sock, protocol);
        if (err < 0) {
            return err;
        }
        sockInitData(sock.sk);
        sock.sk.skSocket = sock;
        if ((flags & SOCK_NONBLOCK) != 0) {
            sock.fFlags |= O_NONBLOCK;
        }
        return mapFd(sock);
    }

    /** {@code sock_map_fd}: the lowest free descriptor from 3 ({@code next_fd} of {@code struct files_struct} is where the search starts). */
    private int mapFd(Socket sock) {
        int fd = Math.max(3, nextFd);
        while (fd < fdTable.size() && fdTable.get(fd) != null) {
            fd++;
        }
        while (fdTable.size() <= fd) {
            fdTable.add(null);
        }
        fdTable.set(fd, sock);
        sock.fd = fd;
        nextFd = fd + 1;
        return fd;
    }

    /** {@code __sys_connect} from a task: {@code -EAGAIN} from a blocking socket's protocol puts the task to sleep. */
    public int connect(Task task, int fd, SockaddrIn addr) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        int r = sock.ops.connect(sock, addr, sock.fFlags);
        return block(task, sock, r, sock.nonblocking() ? MSG_DONTWAIT : 0);
    }

    /** {@code __sys_listen}: the backlog is clamped by {@code net.core.somaxconn}. */
    public int listen(int fd, int backlog) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        int somaxconn = kernel.sysctl().getInt("net.core.somaxconn");
        if (Integer.compareUnsigned(backlog, somaxconn) > 0) {
            backlog = somaxconn;
        }
        return sock.ops.listen(sock, backlog);
    }

    /**
     * {@code __sys_accept4}: {@code sock_alloc} of the new socket, {@code ops->accept}, then
     * {@code getname} of the peer and {@code fd_install}.
     */
    public int accept(Task task, int fd, SockaddrIn peer, int flags) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if ((flags & ~SOCK_NONBLOCK) != 0) {
            return -Errno.EINVAL;
        }
        Socket newsock = new Socket(sock.type);
        newsock.ops = sock.ops;
        int r = sock.ops.accept(sock, newsock, sock.nonblocking() ? MSG_DONTWAIT : 0);
        if (r < 0) {
            return block(task, sock, r, sock.nonblocking() ? MSG_DONTWAIT : 0);
        }
        if ((flags & SOCK_NONBLOCK) != 0) {
            newsock.fFlags |= O_NONBLOCK;
        }
        if (peer != null) {
            newsock.ops.getname(newsock, peer, true);
        }
        return mapFd(newsock);
    }

    /**
     * The buffer sizes of {@code sock_init_data}, which runs before the protocol's {@code init}:
     * a protocol that sized them itself ({@code tcp_init_sock}: {@code tcp_wmem[1]},
     * {@code tcp_rmem[1]}) keeps its sizes.
     */
    private void sockInitData(Sock sk) {
        if (sk.skRcvbuf == 0) {
            sk.skRcvbuf = kernel.sysctl().getInt("net.core.rmem_default");
        }
        if (sk.skSndbuf == 0) {
            sk.skSndbuf = kernel.sysctl().getInt("net.core.wmem_default");
        }
        protos.add(sk.skProt);
    }

    /** {@code sockfd_lookup}. */
    public Socket sockfdLookup(int fd) {
        return fd >= 0 && fd < fdTable.size() ? fdTable.get(fd) : null;
    }

    public int bind(int fd, SockaddrIn addr) {
        Socket sock = sockfdLookup(fd);
        return sock == null ? -Errno.EBADF : sock.ops.bind(sock, addr);
    }

    public int connect(int fd, SockaddrIn addr) {
        Socket sock = sockfdLookup(fd);
        return sock == null ? -Errno.EBADF : sock.ops.connect(sock, addr, sock.fFlags);
    }

    public int getsockname(int fd, SockaddrIn addr) {
        Socket sock = sockfdLookup(fd);
        return sock == null ? -Errno.EBADF : sock.ops.getname(sock, addr, false);
    }

    public int shutdown(int fd, int how) {
        Socket sock = sockfdLookup(fd);
        return sock == null ? -Errno.EBADF : sock.ops.shutdown(sock, how);
    }

    /** {@code __sys_sendto} / {@code ____sys_sendmsg}, with the blocking rule of the class comment. */
    public int sendmsg(Task task, int fd, MsgHdr msg, int flags) {
        kernel.charge(sysSendmsg, 0);
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if (sock.nonblocking()) {
            flags |= MSG_DONTWAIT;
        }
        int r = sock.ops.sendmsg(sock, msg, flags);
        return block(task, sock, r, flags);
    }

    public int sendto(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn to) {
        return sendmsg(task, fd, scratch.set(to, buf, off, len), flags);
    }

    /** {@code __sys_recvfrom} / {@code ____sys_recvmsg}. */
    public int recvmsg(Task task, int fd, MsgHdr msg, int flags) {
        kernel.charge(sysRecvmsg, 0);
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if (sock.nonblocking()) {
            flags |= MSG_DONTWAIT;
        }
        msg.flags = 0;
        int r = sock.ops.recvmsg(sock, msg, flags);
        return block(task, sock, r, flags);
    }

    public int recvfrom(Task task, int fd, byte[] buf, int off, int len, int flags, SockaddrIn from) {
        return recvmsg(task, fd, scratch.set(from, buf, off, len), flags);
    }

    private static int block(Task task, Socket sock, int r, int flags) {
        if (r == -Errno.EAGAIN && (flags & MSG_DONTWAIT) == 0 && task != null) {
            sock.sk.skWq.add(task);
            return -Errno.ERESTARTSYS;
        }
        return r;
    }

    /** {@code __sys_close} of a socket: {@code sock_close} → {@code ops->release}. */
    public int close(int fd) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        fdTable.set(fd, null);
        nextFd = Math.min(nextFd, fd);
        sock.fd = -1;
        return sock.ops.release(sock);
    }

    /** {@code __sys_setsockopt}: {@code SOL_SOCKET} here ({@code sk_setsockopt}), other levels to the family. */
    public int setsockopt(int fd, int level, int optname, int val) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if (level != SOL_SOCKET) {
            return sock.ops.setsockopt(sock, level, optname, val);
        }
        Sock sk = sock.sk;
        switch (optname) {
            case SO_REUSEADDR -> sk.skReuse = val != 0;
            case SO_REUSEPORT -> sk.skReuseport = val != 0;
            case SO_BROADCAST -> sk.sockBroadcast = val != 0;
            case SO_PRIORITY -> sk.skPriority = val;
            case SO_MARK -> sk.skMark = val;
            case SO_BINDTOIFINDEX -> sk.skBoundDevIf = val;
            case SO_KEEPALIVE -> {
                sk.skProt.keepalive(sk, val != 0);
                sk.sockKeepopen = val != 0;
            }
            case SO_SNDBUF, SO_SNDBUFFORCE -> {
                // __sock_set_sndbuf
                long v = optname == SO_SNDBUF ? Math.min(Integer.toUnsignedLong(val), kernel.sysctl().getLong("net.core.wmem_max"))
                        : Math.max(val, 0);
                v = Math.min(v, Integer.MAX_VALUE / 2);
                sk.skUserlocks |= SOCK_SNDBUF_LOCK;
                sk.skSndbuf = (int) Math.max(v * 2, Sock.SOCK_MIN_SNDBUF);
                sk.skWriteSpace.call(sk);
            }
            case SO_RCVBUF, SO_RCVBUFFORCE -> {
                // __sock_set_rcvbuf
                long v = optname == SO_RCVBUF ? Math.min(Integer.toUnsignedLong(val), kernel.sysctl().getLong("net.core.rmem_max"))
                        : Math.max(val, 0);
                v = Math.min(v, Integer.MAX_VALUE / 2);
                sk.skUserlocks |= SOCK_RCVBUF_LOCK;
                sk.skRcvbuf = (int) Math.max(v * 2, Sock.SOCK_MIN_RCVBUF);
            }
            case SO_DETACH_FILTER -> {
                // sk_detach_filter
                if (sk.skFilter == null) {
                    return -Errno.ENOENT;
                }
                sk.skFilter = null;
            }
            default -> {
                return -Errno.ENOPROTOOPT;
            }
        }
        return 0;
    }

    /**
     * {@code __sys_setsockopt} of a struct option: {@code SO_LINGER} here ({@code sock_setsockopt}:
     * {@code -EINVAL} for fewer than 8 bytes; the time is clamped to {@code MAX_SCHEDULE_TIMEOUT}
     * seconds), other levels to the family.
     */
    public int setsockopt(int fd, int level, int optname, byte[] optval) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if (optval == null) {
            return -Errno.EFAULT;
        }
        if (level != SOL_SOCKET) {
            return sock.ops.setsockopt(sock, level, optname, optval);
        }
        if (optname != SO_LINGER) {
            return optval.length >= 4 ? setsockopt(fd, level, optname, leInt(optval, 0)) : -Errno.EINVAL;
        }
        if (optval.length < 8) {
            return -Errno.EINVAL;
        }
        Sock sk = sock.sk;
        int onoff = leInt(optval, 0);
        long linger = Integer.toUnsignedLong(leInt(optval, 4));
        sk.sockLinger = onoff != 0;
        sk.skLingertimeNs = onoff != 0 ? linger * 1_000_000_000L : 0;
        return 0;
    }

    /** {@code sk_getsockopt} of a struct option ({@code SO_LINGER}), other levels to the family: the length written. */
    public int getsockopt(int fd, int level, int optname, byte[] optval) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if (optval == null) {
            return -Errno.EFAULT;
        }
        if (level != SOL_SOCKET) {
            return sock.ops.getsockopt(sock, level, optname, optval);
        }
        if (optname != SO_LINGER) {
            int v = getsockopt(fd, level, optname);
            if (v < 0 || optval.length < 4) {
                return v < 0 ? v : -Errno.EINVAL;
            }
            putLeInt(optval, 0, v);
            return 4;
        }
        Sock sk = sock.sk;
        int n = Math.min(optval.length, 8);
        byte[] lg = new byte[8];
        putLeInt(lg, 0, sk.sockLinger ? 1 : 0);
        putLeInt(lg, 4, (int) (sk.skLingertimeNs / 1_000_000_000L));
        System.arraycopy(lg, 0, optval, 0, n);
        return n;
    }

    private static int leInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putLeInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    /** {@code SO_ATTACH_FILTER} ({@code sk_attach_filter}): {@code -EINVAL} for a program the checker refuses. */
    public int setsockopt(int fd, int level, int optname, SockFprog fprog) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if (level != SOL_SOCKET || optname != SO_ATTACH_FILTER) {
            return -Errno.ENOPROTOOPT;
        }
        if (fprog == null) {
            return -Errno.EFAULT;
        }
        try {
            sock.sk.skFilter = BpfProg.create(fprog);
        } catch (BpfCheckException e) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /** {@code sk_getsockopt} of the {@code int} options. */
    public int getsockopt(int fd, int level, int optname) {
        Socket sock = sockfdLookup(fd);
        if (sock == null) {
            return -Errno.EBADF;
        }
        if (level != SOL_SOCKET) {
            return sock.ops.getsockopt(sock, level, optname);
        }
        Sock sk = sock.sk;
        return switch (optname) {
            case SO_REUSEADDR -> sk.skReuse ? 1 : 0;
            case SO_REUSEPORT -> sk.skReuseport ? 1 : 0;
            case SO_BROADCAST -> sk.sockBroadcast ? 1 : 0;
            case SO_TYPE -> sock.type;
            case SO_ERROR -> -sk.sockError();
            case SO_SNDBUF -> sk.skSndbuf;
            case SO_RCVBUF -> sk.skRcvbuf;
            case SO_PRIORITY -> sk.skPriority;
            case SO_MARK -> sk.skMark;
            case SO_BINDTOIFINDEX -> sk.skBoundDevIf;
            case SO_KEEPALIVE -> sk.sockKeepopen ? 1 : 0;
            default -> -Errno.ENOPROTOOPT;
        };
    }

    /**
     * The end of a run: frees what every open socket still has queued with
     * {@code QUEUE_PURGE}, after noting it in {@link Sock#purgedQlen} and {@link Sock#purgedRmem}.
     *
     * @return the skbs freed
     */
    public long purge() {
        long n = 0;
        for (Socket sock : fdTable) {
            if (sock == null) {
                continue;
            }
            Sock sk = sock.sk;
            sk.purgedQlen = sk.skReceiveQueue.qlen();
            sk.purgedRmem = sk.skRmemAlloc;
            SkBuff skb;
            while ((skb = sk.skReceiveQueue.dequeue()) != null) {
                kernel.kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
                n++;
            }
        }
        return n;
    }

    /** The open sockets, by descriptor. */
    public List<Socket> sockets() {
        List<Socket> out = new ArrayList<>();
        for (Socket s : fdTable) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    // ---- report: ss -tuanm ----------------------------------------------------------------

    @Override
    public String key() {
        return "sockets";
    }

    @Override
    public Object json() {
        List<Object> rows = new ArrayList<>();
        List<Sock> socks = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        rows(socks, fds);
        for (int i = 0; i < socks.size(); i++) {
            Sock sk = socks.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fd", fds.get(i));
            m.put("netid", netid(sk));
            m.put("proto", sk.skProt.name());
            m.put("state", state(sk));
            m.put("recv_q", recvQ(sk));
            m.put("send_q", sendQ(sk));
            m.put("local", local(sk));
            m.put("peer", peer(sk));
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("r", rmem(sk));
            mem.put("rb", sk.skRcvbuf);
            mem.put("t", sk.skWmemAlloc);
            mem.put("tb", sk.skSndbuf);
            mem.put("w", sk.skWmemQueued);
            mem.put("d", sk.skDrops);
            m.put("skmem", mem);
            rows.add(m);
        }
        return rows;
    }

    @Override
    public void text(StringBuilder out) {
        List<Socket> socks = sockets();
        if (socks.isEmpty()) {
            return;
        }
        out.append("$ ss -tuanm\n");
        out.append(String.format("%-6s %-6s %8s %8s %-21s %-21s%n", "Netid", "State", "Recv-Q", "Send-Q",
                "Local Address:Port", "Peer Address:Port"));
        List<Sock> rows = new ArrayList<>();
        rows(rows, new ArrayList<>());
        for (Sock sk : rows) {
            out.append(String.format("%-6s %-6s %8d %8d %-21s %-21s%n", netid(sk), state(sk), recvQ(sk), sendQ(sk),
                    local(sk), peer(sk)));
            out.append(String.format("\t skmem:(r%d,rb%d,t%d,tb%d,w%d,d%d)%n", rmem(sk), sk.skRcvbuf, sk.skWmemAlloc,
                    sk.skSndbuf, sk.skWmemQueued, sk.skDrops));
        }
    }

    /** {@code inet_sk_diag_fill}: the protocol's Recv-Q (a listener: its accept queue; TCP: unread bytes). */
    private static int recvQ(Sock sk) {
        return sk.diagRqueue();
    }

    private static int sendQ(Sock sk) {
        return sk.diagWqueue();
    }

    /** {@code SK_MEMINFO_RMEM_ALLOC}, or what the end-of-run purge found. */
    private static int rmem(Sock sk) {
        return sk.skRmemAlloc != 0 || sk.purgedRmem == 0 ? sk.skRmemAlloc : sk.purgedRmem;
    }

    /**
     * The report's rows: every open socket by descriptor, and after a listener the children in
     * its accept queue (established, not yet accepted, descriptor -1), as {@code ss -tan} lists them;
     * then the sockets without a descriptor the protocols still keep (orphans closing, TIME-WAIT).
     */
    private void rows(List<Sock> socks, List<Integer> fds) {
        rowsOpen(socks, fds);
        for (Proto p : protos) {
            p.forEachOrphan(sk -> {
                socks.add(sk);
                fds.add(-1);
            });
        }
    }

    private void rowsOpen(List<Sock> socks, List<Integer> fds) {
        for (Socket s : sockets()) {
            socks.add(s.sk);
            fds.add(s.fd);
            if (s.sk.skState == TCP_LISTEN && s.sk instanceof InetConnectionSock icsk) {
                for (Sock child : icsk.icskAcceptQueue.acceptQueueView()) {
                    socks.add(child);
                    fds.add(-1);
                }
            }
        }
    }

    private static String netid(Sock sk) {
        return switch (sk.skProtocol) {
            case IPPROTO_UDP -> "udp";
            case IPPROTO_TCP -> "tcp";
            case IPPROTO_ICMP -> "icmp";
            default -> sk.skProt.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String state(Sock sk) {
        if (sk.skProtocol != IPPROTO_TCP) {
            return sk.skState == TCP_ESTABLISHED ? "ESTAB" : "UNCONN";
        }
        return ssStateName(sk instanceof InetTimewaitSock tw ? tw.twSubstate : sk.skState);
    }

    private static String local(Sock sk) {
        if (sk instanceof InetSock inet) {
            return addr(inet.inetRcvSaddr, inet.inetNum);
        }
        return "*";
    }

    private static String peer(Sock sk) {
        if (sk instanceof InetSock inet) {
            return addr(inet.inetDaddr, inet.inetDport);
        }
        return "*";
    }

    private static String addr(int a, int port) {
        return (a == 0 ? "0.0.0.0" : SockaddrIn.ntoa(a)) + ":" + (port == 0 ? "*" : Integer.toString(port));
    }
}
