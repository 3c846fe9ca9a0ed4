package net.linuxnet.protocols.ping;

import static net.linuxnet.api.sock.SockConst.*;

import net.linuxnet.api.filter.BpfRunContext;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sock.InetSock;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.PingRcv;
import net.linuxnet.protocols.inet.Rtable;

/**
 * ICMP datagram sockets ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}) after
 * {@code net/ipv4/ping.c}: {@code ping_prot} and {@code ping_rcv}.
 *
 * <p>A socket is allowed when the caller's group is in {@code net.ipv4.ping_group_range}
 * ({@code ping_init_sock}; programs here run as gid 0). Its "port" is the ICMP echo
 * identifier: {@code bind} or the first send picks one ({@code ping_get_port}, a free
 * identifier from a rover). A send ({@code ping_v4_sendmsg}) takes an ICMP header and payload
 * from the program, refuses anything but an echo request with code 0 ({@code -EINVAL}),
 * writes the socket's identifier and the checksum, and sends it with {@code Inet4.ipSendSkb},
 * charged to the send buffer. {@code ping_rcv} hands an echo reply to the socket whose
 * identifier it carries, through the socket's filter and the receive-buffer check of
 * {@code sock_queue_rcv_skb} ({@code sk_rmem_alloc >= sk_rcvbuf}: reason
 * {@code SOCKET_RCVBUFF}); a read returns the ICMP header and payload with the source address.
 */
public final class Ping implements Proto, PingRcv {
    /** {@code sizeof(struct icmphdr)}. */
    public static final int ICMP_HLEN = 8;
    public static final int ICMP_ECHOREPLY = 0;
    public static final int ICMP_ECHO = 8;

    private final Kernel kernel;
    /** {@code ping_table}, by identifier; one socket per identifier. */
    private final PingSock[] table = new PingSock[65536];
    private int rover;
    private final BpfRunContext bpfCtx;
    private final CostStage sendCost;
    private final CostStage recvCost;
    private final MibCounter icmpOutMsgs;
    private final MibCounter icmpOutEchos;
    private final MibCounter ipOutNoRoutes;

    /** {@code struct ping_sock}-like: an {@link InetSock} whose {@code inet_num} is the echo identifier. */
    public static final class PingSock extends InetSock {
        final Rtable rt = new Rtable();
        final Flowi4 fl4 = new Flowi4();

        PingSock(Kernel kernel, Proto prot) {
            super(kernel, prot);
            skType = SOCK_DGRAM;
            skProtocol = IPPROTO_ICMP;
        }
    }

    /** {@code net.ipv4.ip_default_ttl}, for sockets that did not set {@code IP_TTL}. */
    private final int defaultTtl;

    public Ping(Kernel kernel) {
        this.kernel = kernel;
        this.bpfCtx = BpfRunContext.of(kernel);
        this.sendCost = kernel.costStage("ping_sendmsg");
        this.recvCost = kernel.costStage("ping_recvmsg");
        this.rover = 1 + (kernel.random().nextInt() & 0x7fff);
        this.defaultTtl = kernel.sysctl().getInt("net.ipv4.ip_default_ttl");
        icmpOutMsgs = kernel.mib("IcmpOutMsgs");
        icmpOutEchos = kernel.mib("IcmpOutEchos");
        ipOutNoRoutes = kernel.mib("IpOutNoRoutes");
    }

    @Override
    public String name() {
        return "PING";
    }

    @Override
    public Sock skAlloc(Kernel k) {
        return new PingSock(k, this);
    }

    /** {@code ping_init_sock}: the group check against {@code ping_group_range}. */
    @Override
    public int init(Sock sk) {
        String[] r = kernel.sysctl().getString("net.ipv4.ping_group_range").trim().split("\\s+");
        long low = Long.parseLong(r[0]);
        long high = Long.parseLong(r[1]);
        return low <= 0 && 0 <= high ? 0 : -Errno.EACCES;
    }

    /** {@code ping_get_port}. */
    @Override
    public int getPort(Sock sk0, int ident) {
        PingSock sk = (PingSock) sk0;
        if (ident == 0) {
            for (int i = 0; i < 65536; i++) {
                int r = rover++ & 0xffff;
                if (r == 0) {
                    continue;
                }
                if (table[r] == null) {
                    ident = r;
                    break;
                }
            }
            if (ident == 0) {
                return -Errno.EADDRINUSE;
            }
        } else if (table[ident] != null && !(table[ident].skReuse && sk.skReuse)) {
            return -Errno.EADDRINUSE;
        }
        if (table[ident] != null) {
            return -Errno.EADDRINUSE; // one socket per identifier in this model
        }
        sk.inetNum = ident;
        sk.inetSport = ident;
        table[ident] = sk;
        return 0;
    }

    @Override
    public void unhash(Sock sk0) {
        InetSock sk = (InetSock) sk0;
        if (sk.inetNum != 0 && table[sk.inetNum] == sk) {
            table[sk.inetNum] = null;
        }
        sk.inetNum = 0;
        sk.inetSport = 0;
    }

    /** {@code ping_close} via {@code sk_common_release}. */
    @Override
    public void close(Sock sk) {
        unhash(sk);
        sk.sockDead = true;
        sk.skSocket = null;
        SkBuff skb;
        while ((skb = sk.skReceiveQueue.dequeue()) != null) {
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
        }
    }

    /** {@code ip4_datagram_connect}. */
    @Override
    public int connect(Sock sk0, SockaddrIn addr) {
        PingSock sk = (PingSock) sk0;
        if (addr.family != AF_INET) {
            return -Errno.EAFNOSUPPORT;
        }
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return -Errno.ENETUNREACH;
        }
        sk.fl4.init(sk.skBoundDevIf, sk.skMark, sk.tos, IPPROTO_ICMP, addr.addr, sk.inetSaddr, 0, 0);
        int err = inet4.ipRouteOutputKey(sk.fl4, sk.rt);
        if (err != 0) {
            return err;
        }
        if (sk.inetSaddr == 0) {
            sk.inetSaddr = sk.fl4.saddr;
        }
        if (sk.inetRcvSaddr == 0) {
            sk.inetRcvSaddr = sk.fl4.saddr;
        }
        sk.inetDaddr = addr.addr;
        sk.skState = TCP_ESTABLISHED;
        return 0;
    }

    @Override
    public int disconnect(Sock sk0, int flags) {
        PingSock sk = (PingSock) sk0;
        sk.skState = TCP_CLOSE;
        sk.inetDaddr = 0;
        return 0;
    }

    /** {@code ping_v4_sendmsg} with {@code ping_common_sendmsg} and {@code ping_v4_push_pending_frames}. */
    @Override
    public int sendmsg(Sock sk0, MsgHdr msg, int flags) {
        PingSock sk = (PingSock) sk0;
        int len = msg.len;
        kernel.charge(sendCost, len);
        if (len > 0xffff) {
            return -Errno.EMSGSIZE;
        }
        int daddr;
        if (msg.name != null) {
            if (msg.name.family != AF_INET && msg.name.family != AF_UNSPEC) {
                return -Errno.EAFNOSUPPORT;
            }
            daddr = msg.name.addr;
        } else {
            if (sk.skState != TCP_ESTABLISHED) {
                return -Errno.EDESTADDRREQ;
            }
            daddr = sk.inetDaddr;
        }
        if (len < ICMP_HLEN) {
            return -Errno.EINVAL;
        }
        if ((msg.buf[msg.off] & 0xff) != ICMP_ECHO || msg.buf[msg.off + 1] != 0) {
            return -Errno.EINVAL;
        }
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return -Errno.ENETUNREACH;
        }
        sk.fl4.init(sk.skBoundDevIf, sk.skMark, sk.tos, IPPROTO_ICMP, daddr, sk.inetSaddr, 0, 0);
        int err = inet4.ipRouteOutputKey(sk.fl4, sk.rt);
        if (err != 0) {
            if (err == -Errno.ENETUNREACH) {
                ipOutNoRoutes.inc();
            }
            return err;
        }
        if (sk.rt.rtType == Rtable.RTN_BROADCAST && !sk.sockBroadcast) {
            return -Errno.EACCES;
        }
        if (sk.skWmemAlloc >= sk.skSndbuf) {
            sk.sockNospace = true;
            return -Errno.EAGAIN;
        }
        SkBuff skb = kernel.allocSkb(Inet4.MAX_HEADER + len);
        skb.reserve(Inet4.MAX_HEADER);
        sk.skbSetOwnerW(skb);
        int ic = skb.put(len);
        System.arraycopy(msg.buf, msg.off, skb.head(), ic, len);
        skb.resetTransportHeader();
        skb.putU16(ic + 2, 0);
        skb.putU16(ic + 4, sk.inetSport); // the identifier is the socket's
        skb.putU16(ic + 2, Checksum.csumFold(Checksum.csumPartial(skb.head(), ic, len, 0)));
        icmpOutMsgs.inc();
        icmpOutEchos.inc();
        int ttl = sk.ttl >= 0 ? sk.ttl : defaultTtl;
        boolean df = sk.pmtudisc == IP_PMTUDISC_DO || (sk.pmtudisc == IP_PMTUDISC_WANT && len + 20 <= sk.rt.mtu);
        err = inet4.ipSendSkb(skb, sk.rt, sk.fl4.saddr, daddr, IPPROTO_ICMP, sk.tos, ttl, df, sk);
        if (err != 0 && !(err == -Errno.ENOBUFS && !sk.recverr)) {
            return err;
        }
        return len;
    }

    /** {@code ping_recvmsg}: the ICMP header and payload of one reply. */
    @Override
    public int recvmsg(Sock sk, MsgHdr msg, int flags) {
        SkBuff skb = sk.skReceiveQueue.peek();
        if (skb == null) {
            if (sk.skErr != 0) {
                return sk.sockError();
            }
            return -Errno.EAGAIN;
        }
        int len = skb.len();
        int copied = Math.min(len, msg.len);
        if (copied < len) {
            msg.flags |= MSG_TRUNC;
        }
        kernel.charge(recvCost, copied);
        System.arraycopy(skb.head(), skb.data(), msg.buf, msg.off, copied);
        if (msg.name != null) {
            int nh = skb.networkHeader();
            msg.name.family = AF_INET;
            msg.name.addr = nh == SkBuff.NO_HEADER ? 0 : skb.getU32(nh + 12);
            msg.name.port = 0;
        }
        if ((flags & MSG_PEEK) == 0) {
            sk.skReceiveQueue.unlink(skb);
            kernel.consumeSkb(skb);
        }
        return (flags & MSG_TRUNC) != 0 ? len : copied;
    }

    /** {@code ping_rcv}: {@code skb.data()} at the ICMP header of an echo reply. */
    @Override
    public boolean pingRcv(SkBuff skb) {
        if (!skb.mayPull(ICMP_HLEN)) {
            return false;
        }
        int ident = skb.getU16(skb.data() + 4);
        PingSock sk = table[ident];
        if (sk == null) {
            return false;
        }
        // ping_queue_rcv_skb → sock_queue_rcv_skb_reason
        if (sk.skFilter != null && sk.skFilter.skFilterTrimCap(skb, 1, bpfCtx) != 0) {
            sk.skDrops++;
            kernel.kfreeSkbReason(skb, SkbDropReason.SOCKET_FILTER);
            return true;
        }
        if (sk.skRmemAlloc >= sk.skRcvbuf) {
            sk.skDrops++;
            kernel.kfreeSkbReason(skb, SkbDropReason.SOCKET_RCVBUFF);
            return true;
        }
        sk.skbSetOwnerR(skb);
        sk.skReceiveQueue.queueTail(skb);
        if (!sk.sockDead) {
            sk.skDataReady.call(sk);
        }
        return true;
    }

}
