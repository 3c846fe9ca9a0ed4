package net.linuxnet.protocols.udp;

import net.linuxnet.api.net.Checksum;
import static net.linuxnet.api.sock.SockConst.*;

import net.linuxnet.api.filter.BpfRunContext;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sock.InetSock;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;
import net.linuxnet.protocols.inet.SysctlVectors;

/**
 * UDP of one host, after {@code net/ipv4/udp.c} of Linux 6.18: {@code udp_prot} (the
 * {@link Proto} of AF_INET datagram sockets), the receive handler registered for
 * {@code IPPROTO_UDP} ({@code udp_rcv}, {@code udp_err}) and the socket table
 * ({@code udp_table}).
 *
 * <p>Receive ({@code __udp4_lib_rcv}): the length is checked ({@code ulen} within the packet
 * and at least 8, else {@code PKT_TOO_SMALL} and {@code UdpInErrors}) and the packet trimmed
 * to it; a non-zero checksum is verified over the pseudo header (a bad one counts
 * {@code UdpInCsumErrors} and {@code UdpInErrors}, reason {@code UDP_CSUM}); the kernel defers
 * this check to the copy in {@code udp_recvmsg} or to a socket filter, the model does it at once.
 * Then the socket lookup ({@code __udp4_lib_lookup}): sockets bound to the destination address
 * are scored before wildcard ones ({@code udp4_lib_lookup2} on the address, then on
 * {@code INADDR_ANY}); within a pass {@code compute_score} prefers a connected socket (+4 for
 * a matching peer address, +4 for a matching peer port) and a device-bound one (+4); a
 * winner in an SO_REUSEPORT group hands the datagram to a member chosen by the 4-tuple hash
 * ({@code udp_ehashfn}, {@code reuseport_select_sock}). No socket: {@code UdpNoPorts}, an ICMP
 * port unreachable ({@code icmp_send}) and reason {@code NO_SOCKET}. The socket's filter runs
 * next ({@code sk_filter_trim_cap} with the UDP header as the least to keep, so BPF offsets
 * count from the UDP header; a drop counts {@code UdpInErrors}, {@code sk_drops}, reason
 * {@code SOCKET_FILTER}), the header is pulled, and {@code __udp_enqueue_schedule_skb} queues
 * it unless {@code sk_rmem_alloc + truesize > sk_rcvbuf} with a non-empty queue (then
 * {@code UdpRcvbufErrors}, {@code UdpInErrors}, {@code sk_drops}, reason
 * {@code SOCKET_RCVBUFF}); {@code sk_data_ready} wakes the reader. {@code UdpInDatagrams}
 * counts when a program reads the datagram, as in {@code udp_recvmsg}.
 *
 * <p>Send ({@code udp_sendmsg}): the destination is the message's or the connected peer's
 * ({@code -EDESTADDRREQ}); the route comes from {@code Inet4.ipRouteOutputKey} (a connected
 * socket keeps it); the skb is allocated against the send buffer as
 * {@code sock_alloc_send_pskb} does (allowed while {@code sk_wmem_alloc < sk_sndbuf}; else
 * {@code -EAGAIN}, which the socket layer turns into sleeping for a blocking socket), charged
 * to the socket until it is freed ({@code sock_wfree}), and given its UDP header and checksum
 * ({@code udp_send_skb}) before {@code Inet4.ipSendSkb}. {@code -ENOBUFS} from below counts
 * {@code UdpSndbufErrors} and is not reported unless IP_RECVERR is set; success counts
 * {@code UdpOutDatagrams}.
 */
public final class Udp implements NetProtocol, Proto {

    /** {@code sizeof(struct udphdr)}. */
    public static final int UDP_HLEN = 8;
    private static final int JHASH_INITVAL = 0xdeadbeef;

    private final Kernel kernel;
    /** {@code udp_table}: one slot per port, chained through {@link UdpSock#next}. */
    private final UdpSock[] hash = new UdpSock[65536];
    private final int udpEhashSecret;
    private final BpfRunContext bpfCtx;
    private final CostStage udpRcvCost;
    private final CostStage udpSendmsgCost;
    private final CostStage udpRecvmsgCost;
    private final int defaultTtl;

    final MibCounter udpInDatagrams;
    final MibCounter udpNoPorts;
    final MibCounter udpInErrors;
    final MibCounter udpOutDatagrams;
    final MibCounter udpRcvbufErrors;
    final MibCounter udpSndbufErrors;
    final MibCounter udpInCsumErrors;
    final MibCounter udpIgnoredMulti;
    final MibCounter udpMemErrors;
    private final MibCounter ipOutNoRoutes;

    public Udp(Kernel kernel) {
        this.kernel = kernel;
        this.udpEhashSecret = kernel.random().nextInt();
        this.bpfCtx = BpfRunContext.of(kernel);
        this.udpRcvCost = kernel.costStage("udp_rcv");
        this.udpSendmsgCost = kernel.costStage("udp_sendmsg");
        this.udpRecvmsgCost = kernel.costStage("udp_recvmsg");
        this.defaultTtl = kernel.sysctl().getInt("net.ipv4.ip_default_ttl");
        udpInDatagrams = kernel.mib("UdpInDatagrams");
        udpNoPorts = kernel.mib("UdpNoPorts");
        udpInErrors = kernel.mib("UdpInErrors");
        udpOutDatagrams = kernel.mib("UdpOutDatagrams");
        udpRcvbufErrors = kernel.mib("UdpRcvbufErrors");
        udpSndbufErrors = kernel.mib("UdpSndbufErrors");
        udpInCsumErrors = kernel.mib("UdpInCsumErrors");
        udpIgnoredMulti = kernel.mib("UdpIgnoredMulti");
        udpMemErrors = kernel.mib("UdpMemErrors");
        ipOutNoRoutes = kernel.mib("IpOutNoRoutes");
    }

    // ---- NetProtocol ---------------------------------------------------------------------

    @Override
    public int protocol() {
        return IPPROTO_UDP;
    }

    /** {@code udp_rcv} → {@code __udp4_lib_rcv}, in softirq context; owns the skb. */
    @Override
    public int handler(SkBuff skb) {
        kernel.charge(udpRcvCost, skb.len());
        if (!skb.mayPull(UDP_HLEN)) {
            return drop(skb, null, SkbDropReason.PKT_TOO_SMALL);
        }
        int uh = skb.data();
        int ulen = skb.getU16(uh + 4);
        if (ulen > skb.len() || ulen < UDP_HLEN) {
            return drop(skb, null, SkbDropReason.PKT_TOO_SMALL);
        }
        skb.trim(ulen);
        int nh = skb.networkHeader();
        int saddr = skb.getU32(nh + 12);
        int daddr = skb.getU32(nh + 16);
        int sport = skb.getU16(uh);
        int dport = skb.getU16(uh + 2);
        if (skb.getU16(uh + 6) != 0 && skb.ipSummed() != SkBuff.CHECKSUM_UNNECESSARY) {
            // udp4_csum_init + udp_lib_checksum_complete
            if (udpCsum(skb.head(), uh, ulen, saddr, daddr) != 0) {
                udpInCsumErrors.inc();
                return drop(skb, null, SkbDropReason.UDP_CSUM);
            }
            skb.setIpSummed(SkBuff.CHECKSUM_UNNECESSARY);
        }
        int dif = skb.skbIif() != 0 ? skb.skbIif() : (skb.dev() != null ? skb.dev().ifindex() : 0);
        if (skb.pktType() == SkBuff.PACKET_BROADCAST || skb.pktType() == SkBuff.PACKET_MULTICAST) {
            return mcastDeliver(skb, saddr, sport, daddr, dport, dif);
        }
        UdpSock sk = lookup(saddr, sport, daddr, dport, dif, true);
        if (sk != null) {
            queueRcvSkb(sk, skb);
            return 0;
        }
        udpNoPorts.inc();
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 != null) {
            inet4.icmpSend(skb, Inet4.ICMP_DEST_UNREACH, Inet4.ICMP_PORT_UNREACH, 0);
        }
        kernel.kfreeSkbReason(skb, SkbDropReason.NO_SOCKET);
        return 0;
    }

    /** The {@code drop:} label of {@code __udp4_lib_rcv}: {@code UdpInErrors} and the reason. */
    private int drop(SkBuff skb, Sock sk, SkbDropReason reason) {
        udpInErrors.inc();
        if (sk != null) {
            sk.skDrops++;
        }
        kernel.kfreeSkbReason(skb, reason);
        return 0;
    }

    /**
     * {@code __udp4_lib_mcast_deliver}: every socket bound to the port (and to the address or
     * to any) gets a copy; none: {@code UdpIgnoredMulti}.
     */
    private int mcastDeliver(SkBuff skb, int saddr, int sport, int daddr, int dport, int dif) {
        UdpSock first = null;
        for (UdpSock sk = hash[dport]; sk != null; sk = sk.next) {
            if (computeScore(sk, saddr, sport, daddr, dport, dif, sk.inetRcvSaddr == 0 ? 0 : daddr) < 0) {
                continue;
            }
            if (first == null) {
                first = sk;
            } else {
                queueRcvSkb(sk, skb.clone());
            }
        }
        if (first == null) {
            udpIgnoredMulti.inc();
            kernel.consumeSkb(skb);
        } else {
            queueRcvSkb(first, skb);
        }
        return 0;
    }

    /**
     * {@code udp_queue_rcv_one_skb} → {@code __udp_queue_rcv_skb} →
     * {@code __udp_enqueue_schedule_skb}; {@code skb.data()} is at the UDP header.
     */
    private void queueRcvSkb(UdpSock sk, SkBuff skb) {
        if (sk.skFilter != null && sk.skFilter.skFilterTrimCap(skb, UDP_HLEN, bpfCtx) != 0) {
            drop(skb, sk, SkbDropReason.SOCKET_FILTER);
            return;
        }
        skb.pull(UDP_HLEN); // udp_csum_pull_header
        int rmem = sk.skRmemAlloc;
        int rcvbuf = sk.skRcvbuf;
        int size = skb.truesize();
        if ((long) rmem + size > Integer.toUnsignedLong(rcvbuf)) {
            // Accept the packet if the queue is empty (Linux 6.18).
            if (rcvbuf > (Integer.MAX_VALUE >> 1) || rmem != 0) {
                udpRcvbufErrors.inc();
                drop(skb, sk, SkbDropReason.SOCKET_RCVBUFF);
                return;
            }
        }
        sk.skbSetOwnerR(skb);
        sk.skReceiveQueue.queueTail(skb);
        if (!sk.sockDead) {
            sk.skDataReady.call(sk);
        }
    }

    /**
     * {@code udp_err} → {@code __udp4_lib_err}: an ICMP error about a datagram we sent.
     * {@code skb.data()} is at the quoted IPv4 header, {@code skb.transportHeader()} at the
     * ICMP header. Sets {@code sk_err} of the sending socket when it is connected (hard errors)
     * or has IP_RECVERR, and wakes it.
     */
    @Override
    public int errHandler(SkBuff skb, int info) {
        int iph = skb.data();
        if (!skb.mayPull(20)) {
            return 0;
        }
        int ihl = (skb.getU8(iph) & 0xf) * 4;
        if (!skb.mayPull(ihl + UDP_HLEN)) {
            return 0;
        }
        int uh = iph + ihl;
        int isaddr = skb.getU32(iph + 12);
        int idaddr = skb.getU32(iph + 16);
        int dif = skb.dev() != null ? skb.dev().ifindex() : 0;
        // __udp4_lib_lookup(net, iph->daddr, uh->dest, iph->saddr, uh->source, ...)
        UdpSock sk = lookup(idaddr, skb.getU16(uh + 2), isaddr, skb.getU16(uh), dif, false);
        if (sk == null) {
            return -Errno.ENOENT;
        }
        int icmp = skb.transportHeader();
        int type = icmp == SkBuff.NO_HEADER ? Inet4.ICMP_DEST_UNREACH : skb.getU8(icmp);
        int code = icmp == SkBuff.NO_HEADER ? Inet4.ICMP_PORT_UNREACH : skb.getU8(icmp + 1);
        int err;
        boolean harderr = false;
        if (type == Inet4.ICMP_DEST_UNREACH) {
            if (code == Inet4.ICMP_FRAG_NEEDED) {
                if (sk.pmtudisc == IP_PMTUDISC_DONT) {
                    return 0;
                }
                err = Errno.EMSGSIZE;
                harderr = true;
            } else if (code == Inet4.ICMP_PORT_UNREACH) {
                err = Errno.ECONNREFUSED;
                harderr = true;
            } else {
                // icmp_err_convert: net, host unreachable and the rest
                err = code == 0 ? Errno.ENETUNREACH : Errno.EHOSTUNREACH;
                harderr = code == 2 || code == 9 || code == 10 || code == 13;
            }
        } else {
            err = Errno.EHOSTUNREACH; // ICMP_TIME_EXCEEDED, ICMP_PARAMETERPROB, ...
        }
        if (!sk.recverr && (!harderr || sk.skState != TCP_ESTABLISHED)) {
            return 0;
        }
        sk.skErr = err;
        sk.skErrorReport.call(sk);
        return 0;
    }

    // ---- lookup ----------------------------------------------------------------------------

    /**
     * {@code __udp4_lib_lookup}: the address pass ({@code udp4_lib_lookup2} on {@code daddr}),
     * then the wildcard pass ({@code INADDR_ANY}).
     */
    UdpSock lookup(int saddr, int sport, int daddr, int dport, int dif, boolean reuseport) {
        UdpSock sk = lookup2(saddr, sport, daddr, dport, dif, daddr, reuseport);
        if (sk == null && daddr != INADDR_ANY) {
            sk = lookup2(saddr, sport, daddr, dport, dif, INADDR_ANY, reuseport);
        }
        return sk;
    }

    private UdpSock lookup2(int saddr, int sport, int daddr, int dport, int dif, int rcvSaddr, boolean reuseport) {
        UdpSock result = null;
        int badness = 0;
        for (UdpSock sk = hash[dport]; sk != null; sk = sk.next) {
            int score = computeScore(sk, saddr, sport, daddr, dport, dif, rcvSaddr);
            if (score > badness) {
                badness = score;
                result = sk;
                if (sk.skState == TCP_ESTABLISHED || !reuseport) {
                    continue;
                }
                if (sk.skReuseport && sk.reuseport != null) {
                    // inet_lookup_reuseport with udp_ehashfn
                    UdpSock r = sk.reuseport.selectByHash(udpEhashfn(daddr, dport, saddr, sport));
                    if (r != null) {
                        return r;
                    }
                }
            }
        }
        return result;
    }

    /** {@code compute_score}, the address pass given by {@code rcvSaddr}; -1 for no match. */
    private static int computeScore(UdpSock sk, int saddr, int sport, int daddr, int hnum, int dif, int rcvSaddr) {
        if (sk.udpPortHash != hnum || sk.inetRcvSaddr != rcvSaddr) {
            return -1;
        }
        int score = 2; // PF_INET
        if (sk.inetDaddr != 0) {
            if (sk.inetDaddr != saddr) {
                return -1;
            }
            score += 4;
        }
        if (sk.inetDport != 0) {
            if (sk.inetDport != sport) {
                return -1;
            }
            score += 4;
        }
        if (sk.skBoundDevIf != 0) {
            if (sk.skBoundDevIf != dif) {
                return -1;
            }
            score += 4;
        }
        return score;
    }

    /** {@code udp_ehashfn}: {@code jhash_3words(laddr, faddr, lport << 16 | fport, secret)}. */
    int udpEhashfn(int laddr, int lport, int faddr, int fport) {
        return jhash3words(laddr, faddr, (lport << 16) | fport, udpEhashSecret);
    }

    /** {@code jhash_3words} of {@code include/linux/jhash.h}. */
    static int jhash3words(int a, int b, int c, int initval) {
        int iv = initval + JHASH_INITVAL + (3 << 2);
        a += iv;
        b += iv;
        c += iv;
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    // ---- binding ---------------------------------------------------------------------------

    /**
     * {@code udp_lib_lport_inuse}: whether another socket holds {@code num} on an overlapping
     * address and device, unless both set SO_REUSEADDR, or both set SO_REUSEPORT (same
     * owner: every program here runs as root).
     */
    private boolean lportInuse(UdpSock sk, int num) {
        for (UdpSock sk2 = hash[num]; sk2 != null; sk2 = sk2.next) {
            if (sk2 == sk) {
                continue;
            }
            if ((!sk2.skReuse || !sk.skReuse)
                    && (sk2.skBoundDevIf == 0 || sk.skBoundDevIf == 0 || sk2.skBoundDevIf == sk.skBoundDevIf)
                    && (sk2.inetRcvSaddr == 0 || sk.inetRcvSaddr == 0 || sk2.inetRcvSaddr == sk.inetRcvSaddr)) {
                if (sk2.skReuseport && sk.skReuseport) {
                    continue;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * {@code udp_lib_get_port}: with {@code snum} 0, an ephemeral port from
     * {@code net.ipv4.ip_local_port_range}, searched from a random start (the kernel walks the
     * range in strides of the table size; the model walks it one by one from the random
     * start); then hashes the socket and joins or creates its SO_REUSEPORT group.
     */
    @Override
    public int getPort(Sock sk0, int snum) {
        UdpSock sk = (UdpSock) sk0;
        if (snum == 0) {
            int[] range = SysctlVectors.localPortRange(kernel);
            int low = range[0];
            int remaining = range[1] - low + 1;
            int first = (int) (((kernel.random().nextInt() & 0xffffffffL) * remaining) >>> 32) + low;
            int found = 0;
            for (int i = 0; i < remaining; i++) {
                int p = low + ((first - low + i) % remaining);
                if (!lportInuse(sk, p)) {
                    found = p;
                    break;
                }
            }
            if (found == 0) {
                return -Errno.EADDRINUSE;
            }
            snum = found;
        } else if (lportInuse(sk, snum)) {
            return -Errno.EADDRINUSE;
        }
        sk.inetNum = snum;
        sk.udpPortHash = snum;
        hash(sk);
        return 0;
    }

    private void hash(UdpSock sk) {
        if (sk.skReuseport) {
            // reuseport_add_sock: join the group of a socket bound to the same address and device
            for (UdpSock o = hash[sk.udpPortHash]; o != null; o = o.next) {
                if (o.skReuseport && o.reuseport != null && o.inetRcvSaddr == sk.inetRcvSaddr
                        && o.skBoundDevIf == sk.skBoundDevIf) {
                    o.reuseport.add(sk);
                    break;
                }
            }
            if (sk.reuseport == null) {
                new SockReuseport().add(sk);
            }
        }
        // hlist_add_tail: a later socket is found later, as with the kernel's tail insertion
        sk.next = null;
        UdpSock h = hash[sk.udpPortHash];
        if (h == null) {
            hash[sk.udpPortHash] = sk;
        } else {
            while (h.next != null) {
                h = h.next;
            }
            h.next = sk;
        }
        sk.hashed = true;
    }

    /** {@code udp_lib_unhash}. */
    @Override
    public void unhash(Sock sk0) {
        UdpSock sk = (UdpSock) sk0;
        if (!sk.hashed) {
            return;
        }
        if (sk.reuseport != null) {
            sk.reuseport.detach(sk);
        }
        UdpSock prev = null;
        for (UdpSock s = hash[sk.udpPortHash]; s != null; prev = s, s = s.next) {
            if (s == sk) {
                if (prev == null) {
                    hash[sk.udpPortHash] = s.next;
                } else {
                    prev.next = s.next;
                }
                break;
            }
        }
        sk.next = null;
        sk.hashed = false;
        sk.inetNum = 0;
        sk.inetSport = 0;
        sk.udpPortHash = 0;
    }

    // ---- Proto ------------------------------------------------------------------------------

    @Override
    public String name() {
        return "UDP";
    }

    @Override
    public Sock skAlloc(Kernel k) {
        UdpSock sk = new UdpSock(k, this);
        sk.skType = SOCK_DGRAM;
        sk.skProtocol = IPPROTO_UDP;
        return sk;
    }

    /** {@code udp_lib_close} → {@code sk_common_release}: unhash, orphan, purge the receive queue. */
    @Override
    public void close(Sock sk) {
        unhash(sk);
        sk.sockDead = true;
        sk.skSocket = null;
        SkBuff skb;
        while ((skb = sk.skReceiveQueue.dequeue()) != null) {
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED); // kfree_skb in udp_destruct_common
        }
    }

    /** {@code ip4_datagram_connect}. */
    @Override
    public int connect(Sock sk0, SockaddrIn addr) {
        UdpSock sk = (UdpSock) sk0;
        if (addr.family != AF_INET) {
            return -Errno.EAFNOSUPPORT;
        }
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return -Errno.ENETUNREACH;
        }
        sk.dstCached = false;
        sk.fl4.init(sk.skBoundDevIf, sk.skMark, sk.tos, IPPROTO_UDP, addr.addr, sk.inetSaddr, addr.port, sk.inetSport);
        int err = inet4.ipRouteOutputKey(sk.fl4, sk.dst);
        if (err != 0) {
            if (err == -Errno.ENETUNREACH) {
                ipOutNoRoutes.inc();
            }
            return err;
        }
        if (sk.dst.rtType == Rtable.RTN_BROADCAST && !sk.sockBroadcast) {
            return -Errno.EACCES;
        }
        if (sk.inetSaddr == 0) {
            sk.inetSaddr = sk.fl4.saddr;
        }
        if (sk.inetRcvSaddr == 0) {
            sk.inetRcvSaddr = sk.fl4.saddr; // udp_v4_rehash: the slot is by port, nothing moves
        }
        sk.inetDaddr = addr.addr;
        sk.inetDport = addr.port;
        sk.skState = TCP_ESTABLISHED;
        sk.inetId = kernel.random().nextInt() & 0xffff;
        sk.dstCached = true;
        return 0;
    }

    /** {@code udp_disconnect}. */
    @Override
    public int disconnect(Sock sk0, int flags) {
        UdpSock sk = (UdpSock) sk0;
        sk.skState = TCP_CLOSE;
        sk.inetDaddr = 0;
        sk.inetDport = 0;
        sk.skBoundDevIf = 0;
        if ((sk.skUserlocks & SOCK_BINDADDR_LOCK) == 0) {
            sk.inetRcvSaddr = 0;
            sk.inetSaddr = 0;
        }
        if ((sk.skUserlocks & SOCK_BINDPORT_LOCK) == 0) {
            unhash(sk);
        }
        sk.dstCached = false;
        return 0;
    }

    /** {@code udp_sendmsg} with {@code ip_make_skb} and {@code udp_send_skb}. */
    @Override
    public int sendmsg(Sock sk0, MsgHdr msg, int flags) {
        UdpSock sk = (UdpSock) sk0;
        int len = msg.len;
        kernel.charge(udpSendmsgCost, len);
        if (len > 0xffff - UDP_HLEN - 20) {
            return -Errno.EMSGSIZE;
        }
        if ((sk.skShutdown & SEND_SHUTDOWN) != 0) {
            return -Errno.EPIPE;
        }
        int daddr;
        int dport;
        boolean connected = false;
        SockaddrIn to = msg.name;
        if (to != null) {
            if (to.family != AF_INET) {
                if (to.family != AF_UNSPEC) {
                    return -Errno.EAFNOSUPPORT;
                }
            }
            daddr = to.addr;
            dport = to.port;
            if (dport == 0) {
                return -Errno.EINVAL;
            }
        } else {
            if (sk.skState != TCP_ESTABLISHED) {
                return -Errno.EDESTADDRREQ;
            }
            daddr = sk.inetDaddr;
            dport = sk.inetDport;
            connected = true;
        }
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return -Errno.ENETUNREACH;
        }
        Rtable rt;
        int saddr;
        if (connected && sk.dstCached) {
            rt = sk.dst;
            saddr = sk.inetSaddr;
        } else {
            rt = sk.rt;
            sk.fl4.init(sk.skBoundDevIf, sk.skMark, sk.tos, IPPROTO_UDP, daddr, sk.inetSaddr, dport, sk.inetSport);
            int err = inet4.ipRouteOutputKey(sk.fl4, rt);
            if (err != 0) {
                if (err == -Errno.ENETUNREACH) {
                    ipOutNoRoutes.inc();
                }
                return err;
            }
            if (rt.rtType == Rtable.RTN_BROADCAST && !sk.sockBroadcast) {
                return -Errno.EACCES;
            }
            saddr = sk.fl4.saddr;
        }
        // sock_alloc_send_pskb
        if (sk.skWmemAlloc >= sk.skSndbuf) {
            sk.sockNospace = true;
            if ((flags & MSG_DONTWAIT) != 0) {
                udpSndbufErrors.inc(); // the out: label with SOCK_NOSPACE set
            }
            return -Errno.EAGAIN;
        }
        int ulen = len + UDP_HLEN;
        SkBuff skb = kernel.allocSkb(Inet4.MAX_HEADER + ulen);
        skb.reserve(Inet4.MAX_HEADER);
        sk.skbSetOwnerW(skb);
        int uh = skb.put(ulen);
        byte[] h = skb.head();
        System.arraycopy(msg.buf, msg.off, h, uh + UDP_HLEN, len);
        skb.resetTransportHeader();
        skb.setPriority(sk.skPriority);
        skb.setMark(sk.skMark);
        // udp_send_skb: the header and udp4_hwcsum-less checksum
        skb.putU16(uh, sk.inetSport);
        skb.putU16(uh + 2, dport);
        skb.putU16(uh + 4, ulen);
        skb.putU16(uh + 6, 0);
        int csum = udpCsum(h, uh, ulen, saddr, daddr);
        skb.putU16(uh + 6, csum == 0 ? 0xffff : csum);
        int ttl = sk.ttl >= 0 ? sk.ttl : defaultTtl;
        boolean df = sk.pmtudisc == IP_PMTUDISC_DO
                || (sk.pmtudisc == IP_PMTUDISC_WANT && ulen + 20 <= rt.mtu);
        int err = inet4.ipSendSkb(skb, rt, saddr, daddr, IPPROTO_UDP, sk.tos, ttl, df, sk);
        if (err != 0) {
            if (err == -Errno.ENOBUFS) {
                udpSndbufErrors.inc();
                if (!sk.recverr) {
                    return len;
                }
            }
            return err;
        }
        udpOutDatagrams.inc();
        return len;
    }

    /** {@code udp_recvmsg}: one datagram; {@code MSG_TRUNC} when it did not fit. */
    @Override
    public int recvmsg(Sock sk, MsgHdr msg, int flags) {
        SkBuff skb = sk.skReceiveQueue.peek();
        if (skb == null) {
            if (sk.skErr != 0) {
                return sk.sockError();
            }
            if ((sk.skShutdown & RCV_SHUTDOWN) != 0) {
                return 0;
            }
            return -Errno.EAGAIN;
        }
        int ulen = skb.len();
        int copied = Math.min(msg.len, ulen);
        if (copied < ulen) {
            msg.flags |= MSG_TRUNC;
        }
        kernel.charge(udpRecvmsgCost, copied);
        System.arraycopy(skb.head(), skb.data(), msg.buf, msg.off, copied);
        if (msg.name != null) {
            int nh = skb.networkHeader();
            int th = skb.transportHeader();
            msg.name.family = AF_INET;
            msg.name.addr = nh == SkBuff.NO_HEADER ? 0 : skb.getU32(nh + 12);
            msg.name.port = th == SkBuff.NO_HEADER ? 0 : skb.getU16(th);
        }
        if ((flags & MSG_PEEK) == 0) {
            udpInDatagrams.inc();
            sk.skReceiveQueue.unlink(skb);
            kernel.consumeSkb(skb);
        }
        return (flags & MSG_TRUNC) != 0 ? ulen : copied;
    }

    @Override
    public int setsockopt(Sock sk, int level, int optname, int val) {
        InetSock inet = (InetSock) sk;
        if (level != SOL_IP) {
            return -Errno.ENOPROTOOPT;
        }
        switch (optname) {
            case IP_TOS -> { // __ip_sock_set_tos: a datagram socket keeps the ECN bits it is given
                int tos = val & 0xff;
                if (inet.tos != tos) {
                    inet.tos = tos;
                    inet.skPriority = Rtable.rtTos2priority(tos);
                    ((UdpSock) inet).dstCached = false; // sk_dst_reset
                }
            }
            case IP_TTL -> {
                if (val != -1 && (val < 1 || val > 255)) {
                    return -Errno.EINVAL;
                }
                inet.ttl = val;
            }
            case IP_RECVERR -> inet.recverr = val != 0;
            case IP_MTU_DISCOVER -> {
                if (val < IP_PMTUDISC_DONT || val > 5) {
                    return -Errno.EINVAL;
                }
                inet.pmtudisc = val;
            }
            default -> {
                return -Errno.ENOPROTOOPT;
            }
        }
        return 0;
    }

    @Override
    public int getsockopt(Sock sk, int level, int optname) {
        InetSock inet = (InetSock) sk;
        if (level != SOL_IP) {
            return -Errno.ENOPROTOOPT;
        }
        return switch (optname) {
            case IP_TOS -> inet.tos;
            case IP_TTL -> inet.ttl >= 0 ? inet.ttl : defaultTtl;
            case IP_RECVERR -> inet.recverr ? 1 : 0;
            case IP_MTU_DISCOVER -> inet.pmtudisc;
            default -> -Errno.ENOPROTOOPT;
        };
    }

    // ---- checksum -----------------------------------------------------------------------

    /**
     * The UDP checksum over the pseudo header and {@code len} bytes at {@code off}
     * ({@code csum_tcpudp_magic} of {@code csum_partial}): 0 when a received datagram's
     * checksum is right; for a datagram being built with its check field 0, the value to
     * store (0 is sent as {@code CSUM_MANGLED_0}, 0xffff).
     */
    static int udpCsum(byte[] b, int off, int len, int saddr, int daddr) {
        return Checksum.csumTcpudpMagic(saddr, daddr, len, IPPROTO_UDP, Checksum.csumPartial(b, off, len, 0));
    }

    /** The device of a route, for tests and the report. */
    static String devName(NetDevice dev) {
        return dev == null ? "*" : dev.name();
    }
}
