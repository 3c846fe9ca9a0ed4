package net.linuxnet.protocols.tcp;

import static net.linuxnet.api.sock.SockConst.*;

import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * TCP of one host, first slice: the connection set-up of Linux 6.18 ({@code net/ipv4/tcp_ipv4.c},
 * {@code tcp_input.c}, {@code tcp_minisocks.c}, {@code tcp_output.c}, {@code tcp_timer.c},
 * {@code inet_connection_sock.c}): {@code tcp_prot} (the {@link Proto} of AF_INET stream
 * sockets) and the receive handler registered for {@code IPPROTO_TCP} ({@code tcp_v4_rcv}).
 *
 * <p>The listen path. A SYN to a listener goes through {@code tcp_conn_request}: when the SYN
 * queue is full ({@code qlen > sk_max_ack_backlog}) the SYN is dropped ({@code TCPReqQFullDrop};
 * or, with {@code tcp_syncookies} 1 (the default) or 2, answered with a SYN cookie
 * ({@code syncookies.c}: {@code msstab} index, minute counter, options in the TSval; no request
 * is kept, {@code cookie_v4_check} rebuilds it from the final ACK)); when the accept queue is full
 * ({@code sk_ack_backlog > sk_max_ack_backlog}) it is dropped silently and counted in
 * {@code ListenOverflows}; both drops count {@code ListenDrops} ({@code tcp_listendrop}).
 * Otherwise a {@link TcpRequestSock} is hashed, counted in {@code qlen}, and answered with a
 * SYN-ACK that its timer retransmits ({@code reqsk_timer_handler}: 1 s doubling,
 * {@code tcp_synack_retries}). The final ACK ({@code tcp_check_req}) creates the child
 * ({@code tcp_v4_syn_recv_sock}) and moves it to the accept queue; if that queue is full the ACK
 * is dropped ({@code ListenOverflows}, {@code ListenDrops}) and the request is marked
 * {@code acked}, or, with {@code tcp_abort_on_overflow}, answered with RST
 * ({@code EmbryonicRsts}).
 *
 * <p>The connect path ({@code tcp_v4_connect}, {@code tcp_connect}): a SYN with MSS, SACK
 * permitted, timestamps and window scale as Linux sends them; retransmitted by
 * {@code tcp_retransmit_timer} at a constant 1 s for the first {@code tcp_syn_linear_timeouts}
 * + 1 retransmissions, then doubling; {@code tcp_write_timeout} allows {@code tcp_syn_retries} +
 * {@code tcp_syn_linear_timeouts} retransmissions: with the defaults at 1, 2, 3, 4, 5, 7, 11, 19,
 * 35 and 67 s, and {@code ETIMEDOUT} at 131 s.
 *
 * <p>Not in this slice: data transfer (a segment's payload is neither acknowledged nor
 * queued), the close
 * state machine (close of a connected socket sends RST), TIME-WAIT, congestion control.
 */
public final class Tcp implements NetProtocol, Proto {

    /** {@code sizeof(struct tcphdr)}. */
    public static final int TCP_HLEN = 20;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    /** {@code TCP_TIMEOUT_INIT}: 1 s. */
    public static final long TCP_TIMEOUT_INIT = 1_000_000_000L;
    /** {@code TCP_RTO_MAX}: 120 s. */
    public static final long TCP_RTO_MAX = 120_000_000_000L;
    /** {@code TCP_MSS_DEFAULT}: 536, when the peer announces none. */
    public static final int TCP_MSS_DEFAULT = 536;

    static final int TCPOPT_NOP = 1;
    static final int TCPOPT_EOL = 0;
    static final int TCPOPT_MSS = 2;
    static final int TCPOPT_WINDOW = 3;
    static final int TCPOPT_SACK_PERM = 4;
    static final int TCPOPT_TIMESTAMP = 8;

    private static final int EHASH_SIZE = 4096;

    private final Kernel kernel;
    private final TcpSock[] lhash = new TcpSock[65536];
    private final TcpSock[] bhash = new TcpSock[65536];
    private final TcpSock[] ehash = new TcpSock[EHASH_SIZE];
    private final TcpRequestSock[] reqHash = new TcpRequestSock[EHASH_SIZE];
    private final int ehashSecret;
    private final CostStage tcpRcvCost;
    private final CostStage tcpOutCost;
    private final int defaultTtl;
    private final Flowi4 fl4 = new Flowi4();
    private final Rtable rt = new Rtable();
    /** The options parsed from the segment being received ({@code tcp_options_received}). */
    private final RxOpt rx = new RxOpt();

    final MibCounter activeOpens;
    final MibCounter passiveOpens;
    final MibCounter attemptFails;
    final MibCounter estabResets;
    final MibCounter currEstab;
    final MibCounter inSegs;
    final MibCounter outSegs;
    final MibCounter retransSegs;
    final MibCounter inErrs;
    final MibCounter outRsts;
    final MibCounter inCsumErrors;
    final MibCounter listenOverflows;
    final MibCounter listenDrops;
    final MibCounter reqQFullDrop;
    final MibCounter reqQFullDoCookies;
    final MibCounter embryonicRsts;
    final MibCounter syncookiesSent;
    final MibCounter syncookiesRecv;
    final MibCounter syncookiesFailed;
    final MibCounter tcpTimeouts;
    final MibCounter synChallenge;
    final MibCounter synRetrans;
    final MibCounter challengeAck;
    final MibCounter ipOutNoRoutes;

    /** {@code struct tcp_options_received}, reused per segment. */
    static final class RxOpt {
        int mss;
        boolean sawTstamp;
        int tsval;
        int tsecr;
        boolean sackOk;
        boolean wscaleOk;
        int sndWscale;

        void clear() {
            mss = 0;
            sawTstamp = false;
            tsval = 0;
            tsecr = 0;
            sackOk = false;
            wscaleOk = false;
            sndWscale = 0;
        }
    }

    public Tcp(Kernel kernel) {
        this.kernel = kernel;
        this.ehashSecret = kernel.random().nextInt();
        this.tcpRcvCost = kernel.costStage("tcp_v4_rcv");
        this.tcpOutCost = kernel.costStage("tcp_transmit_skb");
        this.defaultTtl = kernel.sysctl().getInt("net.ipv4.ip_default_ttl");
        activeOpens = kernel.mib("TcpActiveOpens");
        passiveOpens = kernel.mib("TcpPassiveOpens");
        attemptFails = kernel.mib("TcpAttemptFails");
        estabResets = kernel.mib("TcpEstabResets");
        currEstab = kernel.mib("TcpCurrEstab");
        inSegs = kernel.mib("TcpInSegs");
        outSegs = kernel.mib("TcpOutSegs");
        retransSegs = kernel.mib("TcpRetransSegs");
        inErrs = kernel.mib("TcpInErrs");
        outRsts = kernel.mib("TcpOutRsts");
        inCsumErrors = kernel.mib("TcpInCsumErrors");
        listenOverflows = kernel.mib("TcpExtListenOverflows");
        listenDrops = kernel.mib("TcpExtListenDrops");
        reqQFullDrop = kernel.mib("TcpExtTCPReqQFullDrop");
        reqQFullDoCookies = kernel.mib("TcpExtTCPReqQFullDoCookies");
        embryonicRsts = kernel.mib("TcpExtEmbryonicRsts");
        syncookiesSent = kernel.mib("TcpExtSyncookiesSent");
        syncookiesRecv = kernel.mib("TcpExtSyncookiesRecv");
        syncookiesFailed = kernel.mib("TcpExtSyncookiesFailed");
        tcpTimeouts = kernel.mib("TcpExtTCPTimeouts");
        synChallenge = kernel.mib("TcpExtTCPSYNChallenge");
        synRetrans = kernel.mib("TcpExtTCPSynRetrans");
        challengeAck = kernel.mib("TcpExtTCPChallengeACK");
        ipOutNoRoutes = kernel.mib("IpOutNoRoutes");
    }

    // ---- sequence arithmetic ---------------------------------------------------------------

    /** {@code before(seq1, seq2)}. */
    public static boolean before(int seq1, int seq2) {
        return seq1 - seq2 < 0;
    }

    /** {@code after(seq2, seq1)}. */
    public static boolean after(int seq1, int seq2) {
        return before(seq2, seq1);
    }

    private int sysctl(String name) {
        return kernel.sysctl().getInt(name);
    }

    /** {@code tcp_clock_ms} as TSval ticks (1 ms, {@code TCP_TS_HZ}). */
    private int tcpClockMs() {
        return (int) (kernel.ktimeGetNs() / 1_000_000L);
    }

    // ---- NetProtocol -----------------------------------------------------------------------

    @Override
    public int protocol() {
        return IPPROTO_TCP;
    }

    /**
     * {@code tcp_v4_rcv}, in softirq context; owns the skb. Header and checksum checks
     * ({@code TcpInErrs}, {@code TcpInCsumErrors}), then the lookup: established and request
     * sockets ({@code __inet_lookup_established}), then listeners ({@code __inet_lookup_listener});
     * no socket: {@code tcp_v4_send_reset}.
     */
    @Override
    public int handler(SkBuff skb) {
        kernel.charge(tcpRcvCost, skb.len());
        if (skb.pktType() != SkBuff.PACKET_HOST) {
            kernel.kfreeSkbReason(skb, SkbDropReason.OTHERHOST);
            return 0;
        }
        if (!skb.mayPull(TCP_HLEN)) {
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_SMALL);
            return 0;
        }
        int th = skb.data();
        int doff = (skb.getU8(th + 12) >>> 4) * 4;
        if (doff < TCP_HLEN) {
            inErrs.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_SMALL);
            return 0;
        }
        if (!skb.mayPull(doff)) {
            kernel.kfreeSkbReason(skb, SkbDropReason.PKT_TOO_SMALL);
            return 0;
        }
        inSegs.inc();
        int nh = skb.networkHeader();
        int saddr = skb.getU32(nh + 12);
        int daddr = skb.getU32(nh + 16);
        int len = skb.len();
        if (skb.ipSummed() != SkBuff.CHECKSUM_UNNECESSARY) {
            // tcp_v4_checksum_init + tcp_checksum_complete
            int c = Checksum.csumTcpudpMagic(saddr, daddr, len, IPPROTO_TCP, Checksum.csumPartial(skb.head(), th, len, 0));
            if (c != 0) {
                inCsumErrors.inc();
                inErrs.inc();
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_CSUM);
                return 0;
            }
            skb.setIpSummed(SkBuff.CHECKSUM_UNNECESSARY);
        }
        int sport = skb.getU16(th);
        int dport = skb.getU16(th + 2);
        int seq = skb.getU32(th + 4);
        int ackSeq = skb.getU32(th + 8);
        int flags = skb.getU8(th + 13);
        int window = skb.getU16(th + 14);
        int dataLen = len - doff;
        parseOptions(skb, th, doff, (flags & SYN) != 0);

        TcpRequestSock req = lookupReq(daddr, dport, saddr, sport);
        if (req != null) {
            checkReq(req, skb, th, saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
            return 0;
        }
        TcpSock sk = lookupEstablished(daddr, dport, saddr, sport);
        if (sk != null) {
            rcvStateProcess(sk, skb, saddr, daddr, sport, dport, seq, ackSeq, flags, window, dataLen);
            return 0;
        }
        TcpSock lsk = lookupListener(daddr, dport, skb.skbIif() != 0 ? skb.skbIif() : (skb.dev() != null ? skb.dev().ifindex() : 0));
        if (lsk != null) {
            listenRcv(lsk, skb, saddr, daddr, sport, dport, seq, ackSeq, flags, window, dataLen);
            return 0;
        }
        // no_tcp_socket
        sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
        kernel.kfreeSkbReason(skb, SkbDropReason.NO_SOCKET);
        return 0;
    }

    /** {@code tcp_parse_options}: fills {@link #rx}; a malformed option ends the parse, as in Linux. */
    private void parseOptions(SkBuff skb, int th, int doff, boolean syn) {
        rx.clear();
        int p = th + TCP_HLEN;
        int end = th + doff;
        while (p < end) {
            int opcode = skb.getU8(p++);
            if (opcode == TCPOPT_EOL) {
                return;
            }
            if (opcode == TCPOPT_NOP) {
                continue;
            }
            if (p >= end) {
                return;
            }
            int opsize = skb.getU8(p++);
            if (opsize < 2 || opsize - 2 > end - p) {
                return; // "silly options" / "don't parse partial options"
            }
            switch (opcode) {
                case TCPOPT_MSS -> {
                    if (opsize == 4 && syn) {
                        int mss = skb.getU16(p);
                        if (mss != 0) {
                            rx.mss = mss;
                        }
                    }
                }
                case TCPOPT_WINDOW -> {
                    if (opsize == 3 && syn) {
                        rx.wscaleOk = true;
                        rx.sndWscale = Math.min(skb.getU8(p), 14);
                    }
                }
                case TCPOPT_TIMESTAMP -> {
                    if (opsize == 10) {
                        rx.sawTstamp = true;
                        rx.tsval = skb.getU32(p);
                        rx.tsecr = skb.getU32(p + 4);
                    }
                }
                case TCPOPT_SACK_PERM -> {
                    if (opsize == 2 && syn) {
                        rx.sackOk = true;
                    }
                }
                default -> {
                    // unknown options are skipped
                }
            }
            p += opsize - 2;
        }
    }

    // ---- hash tables -----------------------------------------------------------------------

    private int ehashfn(int laddr, int lport, int faddr, int fport) {
        return jhash3words(laddr, faddr, (lport << 16) | fport, ehashSecret) & (EHASH_SIZE - 1);
    }

    /** {@code jhash_3words} of {@code include/linux/jhash.h}. */
    static int jhash3words(int a, int b, int c, int initval) {
        int iv = initval + 0xdeadbeef + (3 << 2);
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

    private TcpRequestSock lookupReq(int laddr, int lport, int faddr, int fport) {
        for (TcpRequestSock r = reqHash[ehashfn(laddr, lport, faddr, fport)]; r != null; r = r.ehNext) {
            if (r.irLocAddr == laddr && r.irNum == lport && r.irRmtAddr == faddr && r.irRmtPort == fport) {
                return r;
            }
        }
        return null;
    }

    /** {@code __inet_lookup_established}. */
    private TcpSock lookupEstablished(int laddr, int lport, int faddr, int fport) {
        for (TcpSock s = ehash[ehashfn(laddr, lport, faddr, fport)]; s != null; s = s.ehNext) {
            if (s.inetRcvSaddr == laddr && s.inetNum == lport && s.inetDaddr == faddr && s.inetDport == fport) {
                return s;
            }
        }
        return null;
    }

    /** {@code __inet_lookup_listener}: a listener bound to the address beats a wildcard one. */
    private TcpSock lookupListener(int daddr, int dport, int dif) {
        TcpSock best = null;
        int bestScore = -1;
        for (TcpSock s = lhash[dport]; s != null; s = s.lhNext) {
            int score = 1;
            if (s.inetRcvSaddr != 0) {
                if (s.inetRcvSaddr != daddr) {
                    continue;
                }
                score += 4;
            }
            if (s.skBoundDevIf != 0) {
                if (s.skBoundDevIf != dif) {
                    continue;
                }
                score += 4;
            }
            if (score > bestScore) {
                bestScore = score;
                best = s;
            }
        }
        return best;
    }

    private void ehashInsert(TcpSock sk) {
        int h = ehashfn(sk.inetRcvSaddr, sk.inetNum, sk.inetDaddr, sk.inetDport);
        sk.ehNext = ehash[h];
        ehash[h] = sk;
        sk.ehashed = true;
    }

    private void ehashRemove(TcpSock sk) {
        if (!sk.ehashed) {
            return;
        }
        int h = ehashfn(sk.inetRcvSaddr, sk.inetNum, sk.inetDaddr, sk.inetDport);
        TcpSock prev = null;
        for (TcpSock s = ehash[h]; s != null; prev = s, s = s.ehNext) {
            if (s == sk) {
                if (prev == null) {
                    ehash[h] = s.ehNext;
                } else {
                    prev.ehNext = s.ehNext;
                }
                break;
            }
        }
        sk.ehNext = null;
        sk.ehashed = false;
    }

    private void reqInsert(TcpRequestSock r) {
        int h = ehashfn(r.irLocAddr, r.irNum, r.irRmtAddr, r.irRmtPort);
        r.ehNext = reqHash[h];
        reqHash[h] = r;
        r.hashed = true;
    }

    private void reqRemove(TcpRequestSock r) {
        if (!r.hashed) {
            return;
        }
        int h = ehashfn(r.irLocAddr, r.irNum, r.irRmtAddr, r.irRmtPort);
        TcpRequestSock prev = null;
        for (TcpRequestSock s = reqHash[h]; s != null; prev = s, s = s.ehNext) {
            if (s == r) {
                if (prev == null) {
                    reqHash[h] = s.ehNext;
                } else {
                    prev.ehNext = s.ehNext;
                }
                break;
            }
        }
        r.ehNext = null;
        r.hashed = false;
    }

    private void lhashInsert(TcpSock sk) {
        sk.lhNext = lhash[sk.inetNum];
        lhash[sk.inetNum] = sk;
        sk.lhashed = true;
    }

    private void lhashRemove(TcpSock sk) {
        if (!sk.lhashed) {
            return;
        }
        TcpSock prev = null;
        for (TcpSock s = lhash[sk.inetNum]; s != null; prev = s, s = s.lhNext) {
            if (s == sk) {
                if (prev == null) {
                    lhash[sk.inetNum] = s.lhNext;
                } else {
                    prev.lhNext = s.lhNext;
                }
                break;
            }
        }
        sk.lhNext = null;
        sk.lhashed = false;
    }

    private void bhashInsert(TcpSock sk) {
        sk.bhNext = bhash[sk.inetNum];
        bhash[sk.inetNum] = sk;
        sk.bhashed = true;
    }

    private void bhashRemove(TcpSock sk) {
        if (!sk.bhashed) {
            return;
        }
        TcpSock prev = null;
        for (TcpSock s = bhash[sk.inetNum]; s != null; prev = s, s = s.bhNext) {
            if (s == sk) {
                if (prev == null) {
                    bhash[sk.inetNum] = s.bhNext;
                } else {
                    prev.bhNext = s.bhNext;
                }
                break;
            }
        }
        sk.bhNext = null;
        sk.bhashed = false;
    }

    /**
     * {@code inet_csk_bind_conflict}: another socket on the port with an overlapping address
     * and device, unless both set SO_REUSEADDR and neither listens, or both SO_REUSEPORT.
     */
    private boolean bindConflict(TcpSock sk, int port) {
        for (TcpSock s = bhash[port]; s != null; s = s.bhNext) {
            if (s == sk) {
                continue;
            }
            if (s.skBoundDevIf != 0 && sk.skBoundDevIf != 0 && s.skBoundDevIf != sk.skBoundDevIf) {
                continue;
            }
            if (s.inetRcvSaddr != 0 && sk.inetRcvSaddr != 0 && s.inetRcvSaddr != sk.inetRcvSaddr) {
                continue;
            }
            if (s.skReuse && sk.skReuse && s.skState != TCP_LISTEN) {
                continue;
            }
            if (s.skReuseport && sk.skReuseport) {
                continue;
            }
            return true;
        }
        return false;
    }

    /**
     * {@code inet_csk_get_port}: binds {@code snum}, or with 0 an ephemeral port of
     * {@code ip_local_port_range} from a random start (the kernel prefers odd ports for bind and
     * even ones for connect; the model walks the range from its random start).
     */
    @Override
    public int getPort(Sock sk0, int snum) {
        TcpSock sk = (TcpSock) sk0;
        if (snum == 0) {
            snum = ephemeralPort(sk);
            if (snum == 0) {
                return -Errno.EADDRINUSE;
            }
        } else if (bindConflict(sk, snum)) {
            return -Errno.EADDRINUSE;
        }
        sk.inetNum = snum;
        bhashInsert(sk);
        return 0;
    }

    private int ephemeralPort(TcpSock sk) {
        String[] p = kernel.sysctl().getString("net.ipv4.ip_local_port_range").trim().split("\\s+");
        int low = Integer.parseInt(p[0]);
        int remaining = Integer.parseInt(p[1]) - low + 1;
        int first = (int) (((kernel.random().nextInt() & 0xffffffffL) * remaining) >>> 32);
        for (int i = 0; i < remaining; i++) {
            int port = low + (first + i) % remaining;
            if (bhash[port] == null && lhash[port] == null) {
                return port;
            }
        }
        return 0;
    }

    // ---- output ------------------------------------------------------------------------------

    /**
     * Builds and sends one segment without payload: the TCP header, the options of
     * {@code tcp_options_write} (MSS; SACK permitted and timestamps as one word when both;
     * NOP + window scale), the checksum over the pseudo header, then {@code ip_queue_xmit} /
     * {@code ip_build_and_send_pkt}. Counts {@code TcpOutSegs} ({@code tcp_transmit_skb}).
     *
     * @param mss the MSS option, 0 for none
     * @param wscale the window scale option, -1 for none
     * @param ts whether to send timestamps
     */
    private int transmit(Sock owner, int saddr, int daddr, int sport, int dport, int seq, int ack, int flags, int window,
            int mss, boolean sackPerm, boolean ts, int tsval, int tsecr, int wscale, int tos, int oif, int mark) {
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return -Errno.ENETUNREACH;
        }
        kernel.charge(tcpOutCost, 0);
        fl4.init(oif, mark, tos, IPPROTO_TCP, daddr, saddr, dport, sport);
        int err = inet4.ipRouteOutputKey(fl4, rt);
        if (err != 0) {
            if (err == -Errno.ENETUNREACH) {
                ipOutNoRoutes.inc();
            }
            return err;
        }
        if (saddr == 0) {
            saddr = fl4.saddr;
        }
        int optLen = 0;
        if (mss > 0) {
            optLen += 4;
        }
        if (ts) {
            optLen += 12;
        } else if (sackPerm) {
            optLen += 4;
        }
        if (wscale >= 0) {
            optLen += 4;
        }
        int hlen = TCP_HLEN + optLen;
        SkBuff skb = kernel.allocSkb(Inet4.MAX_HEADER + hlen);
        skb.reserve(Inet4.MAX_HEADER);
        int th = skb.put(hlen);
        skb.resetTransportHeader();
        skb.setPriority(owner != null ? owner.skPriority : 0);
        skb.setMark(mark);
        skb.putU16(th, sport);
        skb.putU16(th + 2, dport);
        skb.putU32(th + 4, seq);
        skb.putU32(th + 8, (flags & ACK) != 0 ? ack : 0);
        skb.putU8(th + 12, (hlen / 4) << 4);
        skb.putU8(th + 13, flags);
        skb.putU16(th + 14, window);
        skb.putU16(th + 16, 0);
        skb.putU16(th + 18, 0);
        int p = th + TCP_HLEN;
        if (mss > 0) {
            skb.putU8(p, TCPOPT_MSS);
            skb.putU8(p + 1, 4);
            skb.putU16(p + 2, mss);
            p += 4;
        }
        if (ts) {
            skb.putU8(p, sackPerm ? TCPOPT_SACK_PERM : TCPOPT_NOP);
            skb.putU8(p + 1, sackPerm ? 2 : TCPOPT_NOP);
            skb.putU8(p + 2, TCPOPT_TIMESTAMP);
            skb.putU8(p + 3, 10);
            skb.putU32(p + 4, tsval);
            skb.putU32(p + 8, tsecr);
            p += 12;
        } else if (sackPerm) {
            skb.putU8(p, TCPOPT_NOP);
            skb.putU8(p + 1, TCPOPT_NOP);
            skb.putU8(p + 2, TCPOPT_SACK_PERM);
            skb.putU8(p + 3, 2);
            p += 4;
        }
        if (wscale >= 0) {
            skb.putU8(p, TCPOPT_NOP);
            skb.putU8(p + 1, TCPOPT_WINDOW);
            skb.putU8(p + 2, 3);
            skb.putU8(p + 3, wscale);
        }
        int csum = Checksum.csumTcpudpMagic(saddr, daddr, hlen, IPPROTO_TCP, Checksum.csumPartial(skb.head(), th, hlen, 0));
        skb.putU16(th + 16, csum);
        outSegs.inc();
        return inet4.ipSendSkb(skb, rt, saddr, daddr, IPPROTO_TCP, tos, defaultTtl, true, null);
    }

    /**
     * {@code tcp_v4_send_reset}: never for a RST; with ACK the RST takes the ACK's number as its
     * sequence, else it is RST|ACK acknowledging the segment. Counts {@code TcpOutRsts}.
     */
    void sendReset(int saddr, int daddr, int sport, int dport, int seq, int ackSeq, int flags, int dataLen) {
        if ((flags & RST) != 0) {
            return;
        }
        int rseq;
        int rack = 0;
        int rflags;
        if ((flags & ACK) != 0) {
            rseq = ackSeq;
            rflags = RST;
        } else {
            rseq = 0;
            rack = seq + dataLen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
            rflags = RST | ACK;
        }
        outRsts.inc();
        transmit(null, daddr, saddr, dport, sport, rseq, rack, rflags, 0, 0, false, false, 0, 0, -1, 0, 0, 0);
    }

    /** {@code tcp_send_active_reset}: an RST from a socket, {@code TcpOutRsts}. */
    private void sendActiveReset(TcpSock sk) {
        outRsts.inc();
        transmit(sk, sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport, sk.sndNxt, sk.rcvNxt, RST | ACK, 0, 0,
                false, false, 0, 0, -1, sk.tos, sk.skBoundDevIf, sk.skMark);
    }

    /** {@code tcp_send_ack}: an ACK with timestamps when agreed, the window scaled by ours. */
    private void sendAck(TcpSock sk) {
        transmit(sk, sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport, sk.sndNxt, sk.rcvNxt, ACK,
                Math.min(tcpSelectWindow(sk), 0xffff), 0, false, sk.tstampOk, tcpClockMs() + sk.tsOffset,
                sk.tsRecent, -1, sk.tos, sk.skBoundDevIf, sk.skMark);
    }

    /**
     * {@code tcp_select_window} with a scaled window: the free space aligned up to the scale
     * ({@code ALIGN(window, 1 << rcv_wscale)}), so 64240 bytes with scale 7 is sent as 502.
     */
    private static int tcpSelectWindow(TcpSock sk) {
        int ws = sk.rcvWscale;
        return ws == 0 ? sk.rcvWnd : (sk.rcvWnd + (1 << ws) - 1) >>> ws;
    }

    /** The MSS we announce: {@code tcp_advertise_mss} = route MTU - 40. */
    private int advertiseMss(int daddr, int saddr, int oif) {
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return TCP_MSS_DEFAULT;
        }
        fl4.init(oif, 0, 0, IPPROTO_TCP, daddr, saddr, 0, 0);
        if (inet4.ipRouteOutputKey(fl4, rt) != 0) {
            return TCP_MSS_DEFAULT;
        }
        return rt.mtu - 40;
    }

    /**
     * {@code tcp_select_initial_window}: the window scale that lets the largest receive buffer
     * ({@code max(tcp_rmem[2], net.core.rmem_max)}) be offered, at most 14.
     */
    private int initialWscale() {
        if (sysctl("net.ipv4.tcp_window_scaling") == 0) {
            return -1;
        }
        String[] rmem = kernel.sysctl().getString("net.ipv4.tcp_rmem").trim().split("\\s+");
        long space = Math.max(Long.parseLong(rmem[2]), kernel.sysctl().getLong("net.core.rmem_max"));
        int ws = 0;
        while (space > 65535 && ws < 14) {
            space >>= 1;
            ws++;
        }
        return ws;
    }

    /** The initial receive window: 65535 rounded down to a multiple of {@code mss} ({@code tcp_select_initial_window}). */
    private static int initialWindow(int mss) {
        return 65535 / mss * mss;
    }

    // ---- listener --------------------------------------------------------------------------

    /** {@code tcp_rcv_state_process} for {@code TCP_LISTEN}. */
    private void listenRcv(TcpSock lsk, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq, int ackSeq,
            int flags, int window, int dataLen) {
        if ((flags & (ACK | SYN | RST)) == ACK && cookieV4Check(lsk, skb, saddr, daddr, sport, dport, seq, ackSeq, window)) {
            return;
        }
        if ((flags & ACK) != 0) {
            // "return 1" from tcp_rcv_state_process: tcp_v4_do_rcv sends a reset
            sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_FLAGS);
            return;
        }
        if ((flags & RST) != 0 || (flags & SYN) == 0 || (flags & FIN) != 0) {
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_FLAGS);
            return;
        }
        connRequest(lsk, skb, saddr, daddr, sport, dport, seq, window);
    }

    /**
     * {@code tcp_conn_request}: the SYN queue check ({@code inet_csk_reqsk_queue_is_full} →
     * {@code tcp_syn_flood_action}), the accept queue check ({@code sk_acceptq_is_full}:
     * {@code ListenOverflows}), the request sock and its SYN-ACK. Every drop counts
     * {@code ListenDrops} ({@code tcp_listendrop}).
     */
    private void connRequest(TcpSock lsk, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq, int window) {
        int syncookies = sysctl("net.ipv4.tcp_syncookies");
        boolean wantCookie = false;
        if (syncookies == 2 || lsk.reqskQueueIsFull()) {
            // tcp_syn_flood_action
            if (syncookies != 0) {
                wantCookie = true;
                reqQFullDoCookies.inc();
            } else {
                reqQFullDrop.inc();
                listenDrop(skb);
                return;
            }
        }
        if (lsk.skAcceptqIsFull()) {
            listenOverflows.inc();
            listenDrop(skb);
            return;
        }
        if (wantCookie) {
            sendCookieSynack(lsk, saddr, daddr, sport, dport, seq);
            kernel.consumeSkb(skb);
            return;
        }
        if (syncookies == 0) {
            int maxSynBacklog = sysctl("net.ipv4.tcp_max_syn_backlog");
            if (maxSynBacklog - lsk.icskAcceptQueue.qlen < (maxSynBacklog >> 2)) {
                // drop_and_release: "possible SYN flooding" without a proven peer
                listenDrop(skb);
                return;
            }
        }
        TcpRequestSock req = new TcpRequestSock(lsk);
        req.irRmtAddr = saddr;
        req.irLocAddr = daddr;
        req.irRmtPort = sport;
        req.irNum = dport;
        req.rcvIsn = seq;
        req.rcvNxt = seq + 1;
        int ourMss = advertiseMss(saddr, daddr, lsk.skBoundDevIf);
        req.mss = rx.mss != 0 ? rx.mss : TCP_MSS_DEFAULT;
        req.tstampOk = rx.sawTstamp && sysctl("net.ipv4.tcp_timestamps") != 0;
        req.sackOk = rx.sackOk && sysctl("net.ipv4.tcp_sack") != 0;
        int ws = initialWscale();
        req.wscaleOk = rx.wscaleOk && ws >= 0;
        req.sndWscale = req.wscaleOk ? rx.sndWscale : 0;
        req.rcvWscale = req.wscaleOk ? ws : 0;
        req.tsRecent = rx.tsval;
        req.tsOff = kernel.random().nextInt();
        req.sntIsn = kernel.random().nextInt(); // secure_tcp_seq
        req.sndWnd = window;
        req.timeoutNs = TCP_TIMEOUT_INIT;
        req.rskTimer = kernel.timerSetup(t -> reqskTimerHandler(req));
        // inet_csk_reqsk_queue_hash_add
        reqInsert(req);
        lsk.icskAcceptQueue.added();
        req.rskTimer.mod(kernel.ktimeGetNs() + req.timeoutNs);
        sendSynack(req, Math.min(ourMss, 0xffff));
        kernel.consumeSkb(skb);
    }

    private void listenDrop(SkBuff skb) {
        listenDrops.inc();
        kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
    }

    /** {@code tcp_v4_send_synack} → {@code tcp_make_synack}. */
    private int sendSynack(TcpRequestSock req, int ourMss) {
        int mssNoTs = req.tstampOk ? Math.min(ourMss, req.mss) - 12 : Math.min(ourMss, req.mss);
        int win = Math.min(initialWindow(Math.max(mssNoTs, 1)), 0xffff);
        TcpSock lsk = (TcpSock) req.rskListener;
        return transmit(lsk, req.irLocAddr, req.irRmtAddr, req.irNum, req.irRmtPort, req.sntIsn, req.rcvNxt, SYN | ACK, win,
                ourMss, req.sackOk, req.tstampOk, tcpClockMs() + req.tsOff, req.tsRecent, req.wscaleOk ? req.rcvWscale : -1,
                lsk.tos, lsk.skBoundDevIf, lsk.skMark);
    }

    /** {@code inet_rtx_syn_ack} → {@code tcp_rtx_synack}: counts {@code TcpRetransSegs} and {@code TCPSynRetrans}. */
    private void rtxSynAck(TcpRequestSock req) {
        TcpSock lsk = (TcpSock) req.rskListener;
        req.numRetrans++;
        retransSegs.inc();
        synRetrans.inc();
        sendSynack(req, advertiseMss(req.irRmtAddr, req.irLocAddr, lsk.skBoundDevIf));
    }

    /**
     * {@code reqsk_timer_handler}: retransmits the SYN-ACK until {@code tcp_synack_retries},
     * fewer for old requests when the queue is more than half full (the "young" rule), then
     * drops the request. Each expiry counts {@code TCPTimeouts} ({@code tcp_syn_ack_timeout}).
     */
    private void reqskTimerHandler(TcpRequestSock req) {
        TcpSock lsk = (TcpSock) req.rskListener;
        if (lsk.skState != TCP_LISTEN || !req.hashed) {
            reqskQueueDrop(req);
            return;
        }
        int maxRetries = lsk.icskSynRetries != 0 ? lsk.icskSynRetries : sysctl("net.ipv4.tcp_synack_retries");
        int qlen = lsk.icskAcceptQueue.qlen;
        if ((qlen << 1) > Math.max(8, lsk.skMaxAckBacklog)) {
            int young = lsk.icskAcceptQueue.young << 1;
            while (maxRetries > 2) {
                if (qlen < young) {
                    break;
                }
                maxRetries--;
                young <<= 1;
            }
        }
        boolean expire = req.numTimeout >= maxRetries; // syn_ack_recalc without defer_accept
        tcpTimeouts.inc();
        if (!expire) {
            rtxSynAck(req);
            if (req.numTimeout++ == 0) {
                lsk.icskAcceptQueue.young--;
            }
            long timeout = Math.min(req.timeoutNs << Math.min(req.numTimeout, 20), TCP_RTO_MAX);
            req.rskTimer.mod(kernel.ktimeGetNs() + timeout);
            return;
        }
        reqskQueueDrop(req);
    }

    /** {@code inet_csk_reqsk_queue_drop}: unhashes the request and takes it off {@code qlen}. */
    private void reqskQueueDrop(TcpRequestSock req) {
        if (req.hashed) {
            reqRemove(req);
            req.rskListener.icskAcceptQueue.removed(req);
        }
        req.rskTimer.del();
    }

    /**
     * {@code tcp_check_req}: a segment for a request sock. A retransmitted SYN gets the SYN-ACK
     * again; an RST drops the request; an ACK of our ISN creates the child
     * ({@code tcp_v4_syn_recv_sock}); a bad ACK is answered with a reset.
     */
    private void checkReq(TcpRequestSock req, SkBuff skb, int th, int saddr, int daddr, int sport, int dport, int seq,
            int ackSeq, int flags, int dataLen) {
        TcpSock lsk = (TcpSock) req.rskListener;
        if (lsk.skState != TCP_LISTEN) {
            reqskQueueDrop(req);
            sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
            kernel.kfreeSkbReason(skb, SkbDropReason.NO_SOCKET);
            return;
        }
        if ((flags & (RST | SYN | ACK)) == SYN && seq == req.rcvIsn) {
            // a retransmitted SYN: resend the SYN-ACK (rate-limited by tcp_oow_rate_limited)
            rtxSynAck(req);
            kernel.consumeSkb(skb);
            return;
        }
        if ((flags & ACK) != 0 && ackSeq != req.sntIsn + 1) {
            // "return sk" to tcp_v4_rcv: the listener answers with a reset
            sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_INVALID_ACK_SEQUENCE);
            return;
        }
        if ((flags & RST) != 0 || (flags & SYN) != 0) {
            // embryonic_reset: an RST or a new SYN in the window kills the request
            if ((flags & RST) == 0) {
                sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
            }
            reqskQueueDrop(req);
            embryonicRsts.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
            return;
        }
        if ((flags & ACK) == 0) {
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_FLAGS);
            return;
        }
        // tcp_v4_syn_recv_sock
        if (lsk.skAcceptqIsFull()) {
            listenOverflows.inc();
            listenDrops.inc();
            if (sysctl("net.ipv4.tcp_abort_on_overflow") == 0) {
                req.acked = true; // listen_overflow: the SYN-ACK timer will resend
                kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
                return;
            }
            sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
            reqskQueueDrop(req);
            embryonicRsts.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            return;
        }
        TcpSock child = createOpenreqChild(lsk, req, ackSeq);
        // inet_csk_complete_hashdance: the request leaves the SYN queue, the child joins the accept queue
        reqskQueueDrop(req);
        ehashInsert(child);
        child.parent = lsk;
        lsk.icskAcceptQueue.add(child);
        kernel.consumeSkb(skb);
        lsk.skDataReady.call(lsk);
    }

    /** {@code tcp_create_openreq_child}: the child, in ESTABLISHED; counts {@code TcpPassiveOpens}. */
    private TcpSock createOpenreqChild(TcpSock lsk, TcpRequestSock req, int ackSeq) {
        TcpSock c = (TcpSock) skAlloc(kernel);
        c.skRcvbuf = lsk.skRcvbuf;
        c.skSndbuf = lsk.skSndbuf;
        c.tos = lsk.tos;
        c.skMark = lsk.skMark;
        c.skPriority = lsk.skPriority;
        c.skBoundDevIf = lsk.skBoundDevIf;
        c.inetRcvSaddr = req.irLocAddr;
        c.inetSaddr = req.irLocAddr;
        c.inetNum = req.irNum;
        c.inetSport = req.irNum;
        c.inetDaddr = req.irRmtAddr;
        c.inetDport = req.irRmtPort;
        c.rcvNxt = req.rcvNxt;
        c.rcvWup = req.rcvNxt;
        c.sndUna = req.sntIsn + 1;
        c.sndNxt = req.sntIsn + 1;
        c.writeSeq = req.sntIsn + 1;
        c.tstampOk = req.tstampOk;
        c.sackOk = req.sackOk;
        c.wscaleOk = req.wscaleOk;
        c.sndWscale = req.sndWscale;
        c.rcvWscale = req.rcvWscale;
        c.tsOffset = req.tsOff;
        c.tsRecent = rx.sawTstamp ? rx.tsval : req.tsRecent;
        c.mssClamp = req.mss;
        int ourMss = advertiseMss(req.irRmtAddr, req.irLocAddr, lsk.skBoundDevIf);
        c.mssCache = Math.min(ourMss, req.mss) - (req.tstampOk ? 12 : 0);
        c.rcvWnd = initialWindow(Math.max(c.mssCache, 1));
        c.sndWnd = req.sndWnd;
        c.icskRto = TCP_TIMEOUT_INIT;
        c.establishedNs = kernel.ktimeGetNs();
        c.skState = TCP_ESTABLISHED;
        currEstab.inc();
        passiveOpens.inc();
        return c;
    }


    // ---- SYN cookies (net/ipv4/syncookies.c) --------------------------------------------------

    /** {@code msstab}: the MSS values a cookie can carry, by index. */
    static final int[] MSSTAB = {536, 1300, 1440, 1460};
    static final int COOKIEBITS = 24;
    static final int COOKIEMASK = (1 << COOKIEBITS) - 1;
    /** {@code MAX_SYNCOOKIE_AGE}: a cookie is good for the current and the previous minute. */
    static final int MAX_SYNCOOKIE_AGE = 2;
    /** {@code TS_OPT_*}: the low bits of a cookie's TSval: window scale (4 bits), SACK, ECN. */
    static final int TSBITS = 6;
    static final int TSMASK = (1 << TSBITS) - 1;
    static final int TS_OPT_WSCALE_MASK = 0xf;
    static final int TS_OPT_SACK = 1 << 4;
    /** {@code TCP_SYNCOOKIE_VALID}: cookies are checked only within 2 minutes of an overflow. */
    static final long TCP_SYNCOOKIE_VALID_NS = 120_000_000_000L;

    private final int[] syncookieSecret = new int[2];
    private boolean syncookieSecretInit;

    /** {@code tcp_cookie_time}: minutes ({@code TCP_SYNCOOKIE_PERIOD} = 60 s). */
    private int tcpCookieTime() {
        return (int) (kernel.ktimeGetNs() / 60_000_000_000L);
    }

    /**
     * {@code cookie_hash}: Linux uses {@code siphash_4u32} keyed by {@code syncookie_secret[c]};
     * the model keeps the structure with {@code jhash} over the 4-tuple and the count.
     */
    private int cookieHash(int saddr, int daddr, int sport, int dport, int count, int c) {
        if (!syncookieSecretInit) {
            syncookieSecret[0] = kernel.random().nextInt();
            syncookieSecret[1] = kernel.random().nextInt();
            syncookieSecretInit = true;
        }
        return jhash3words(saddr ^ count, daddr, (sport << 16) | dport, syncookieSecret[c] + count * 0x9e3779b9);
    }

    /** {@code secure_tcp_syn_cookie}. */
    int secureTcpSynCookie(int saddr, int daddr, int sport, int dport, int sseq, int data) {
        int count = tcpCookieTime();
        return cookieHash(saddr, daddr, sport, dport, 0, 0) + sseq + (count << COOKIEBITS)
                + ((cookieHash(saddr, daddr, sport, dport, count, 1) + data) & COOKIEMASK);
    }

    /** {@code check_tcp_syn_cookie}: the data (MSS index) or -1 for a bad or stale cookie. */
    int checkTcpSynCookie(int cookie, int saddr, int daddr, int sport, int dport, int sseq) {
        int count = tcpCookieTime();
        cookie -= cookieHash(saddr, daddr, sport, dport, 0, 0) + sseq;
        int diff = (count - (cookie >>> COOKIEBITS)) & (-1 >>> COOKIEBITS);
        if (Integer.compareUnsigned(diff, MAX_SYNCOOKIE_AGE) >= 0) {
            return -1;
        }
        return (cookie - cookieHash(saddr, daddr, sport, dport, count - diff, 1)) & COOKIEMASK;
    }

    /** {@code secure_tcp_ts_off}: a cookie connection's TSval offset must be recomputable from the tuple. */
    private int cookieTsOff(int saddr, int daddr) {
        return jhash3words(saddr, daddr, 0x7473, ehashSecret);
    }

    /**
     * {@code tcp_conn_request} with {@code want_cookie}: {@code cookie_v4_init_sequence} (the
     * largest {@code msstab} entry not above the peer's MSS), {@code tcp_synq_overflow},
     * {@code SyncookiesSent}, and a SYN-ACK whose ISN is the cookie; with timestamps the TSval's
     * low bits carry the window scale and SACK ({@code cookie_init_timestamp}). Nothing is kept.
     */
    private void sendCookieSynack(TcpSock lsk, int saddr, int daddr, int sport, int dport, int seq) {
        int mss = rx.mss != 0 ? rx.mss : TCP_MSS_DEFAULT;
        int mssind = MSSTAB.length - 1;
        while (mssind > 0 && mss < MSSTAB[mssind]) {
            mssind--;
        }
        int isn = secureTcpSynCookie(saddr, daddr, sport, dport, seq, mssind);
        lsk.lastSynqOverflowNs = kernel.ktimeGetNs();
        syncookiesSent.inc();
        boolean ts = rx.sawTstamp && sysctl("net.ipv4.tcp_timestamps") != 0;
        boolean sack = ts && rx.sackOk && sysctl("net.ipv4.tcp_sack") != 0;
        int ws = initialWscale();
        boolean wsOk = ts && rx.wscaleOk && ws >= 0;
        int tsval = 0;
        int tsOff = cookieTsOff(saddr, daddr);
        if (ts) {
            int now = tcpClockMs();
            int options = (wsOk ? rx.sndWscale : TS_OPT_WSCALE_MASK) | (sack ? TS_OPT_SACK : 0);
            int t = (now & ~TSMASK) | options;
            if (Integer.compareUnsigned(t, now) > 0) {
                t -= TSMASK + 1;
            }
            tsval = t + tsOff;
        }
        int ourMss = Math.min(advertiseMss(saddr, daddr, lsk.skBoundDevIf), 0xffff);
        int mssNoTs = Math.min(ourMss, MSSTAB[mssind]) - (ts ? 12 : 0);
        transmit(lsk, daddr, saddr, dport, sport, isn, seq + 1, SYN | ACK, initialWindow(Math.max(mssNoTs, 1)), ourMss,
                sack, ts, tsval, rx.tsval, wsOk ? ws : -1, lsk.tos, lsk.skBoundDevIf, lsk.skMark);
    }

    /**
     * {@code cookie_v4_check} (from {@code tcp_v4_cookie_check}): an ACK to a listener that
     * overflowed within 2 minutes is checked as a cookie; a good one ({@code SyncookiesRecv})
     * rebuilds the request from the cookie and the timestamp and goes through
     * {@code tcp_get_cookie_sock} (the accept queue check of {@code tcp_v4_syn_recv_sock}); a
     * bad one counts {@code SyncookiesFailed} and is reset by the caller.
     *
     * @return whether the skb was consumed
     */
    private boolean cookieV4Check(TcpSock lsk, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq, int ackSeq,
            int window) {
        if (sysctl("net.ipv4.tcp_syncookies") == 0) {
            return false;
        }
        if (lsk.lastSynqOverflowNs == Long.MIN_VALUE
                || kernel.ktimeGetNs() - lsk.lastSynqOverflowNs > TCP_SYNCOOKIE_VALID_NS) {
            return false; // tcp_synq_no_recent_overflow
        }
        int mssind = checkTcpSynCookie(ackSeq - 1, saddr, daddr, sport, dport, seq - 1);
        if (mssind < 0 || mssind >= MSSTAB.length) {
            syncookiesFailed.inc();
            return false;
        }
        syncookiesRecv.inc();
        TcpRequestSock req = new TcpRequestSock(lsk);
        req.irRmtAddr = saddr;
        req.irLocAddr = daddr;
        req.irRmtPort = sport;
        req.irNum = dport;
        req.rcvIsn = seq - 1;
        req.rcvNxt = seq;
        req.sntIsn = ackSeq - 1;
        req.mss = MSSTAB[mssind];
        req.sndWnd = window;
        if (rx.sawTstamp && sysctl("net.ipv4.tcp_timestamps") != 0) {
            // cookie_timestamp_decode
            int tsOff = cookieTsOff(saddr, daddr);
            int options = (rx.tsecr - tsOff) & TSMASK;
            req.tstampOk = true;
            req.tsOff = tsOff;
            req.tsRecent = rx.tsval;
            req.sackOk = (options & TS_OPT_SACK) != 0;
            int ws = options & TS_OPT_WSCALE_MASK;
            if (ws != TS_OPT_WSCALE_MASK && ws <= 14) {
                req.wscaleOk = true;
                req.sndWscale = ws;
                req.rcvWscale = Math.max(initialWscale(), 0);
            }
        }
        // tcp_get_cookie_sock → tcp_v4_syn_recv_sock
        if (lsk.skAcceptqIsFull()) {
            listenOverflows.inc();
            listenDrops.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            return true;
        }
        TcpSock child = createOpenreqChild(lsk, req, ackSeq);
        ehashInsert(child);
        child.parent = lsk;
        lsk.icskAcceptQueue.add(child);
        kernel.consumeSkb(skb);
        lsk.skDataReady.call(lsk);
        return true;
    }

    // ---- connected sockets -------------------------------------------------------------------

    /**
     * {@code tcp_rcv_state_process} / {@code tcp_rcv_established} for the states of this
     * slice: {@code tcp_rcv_synsent_state_process} in SYN-SENT; in ESTABLISHED an RST in the
     * window resets the connection ({@code tcp_reset}), a SYN is answered with a challenge ACK
     * ({@code tcp_send_challenge_ack}), a FIN moves to CLOSE-WAIT.
     */
    private void rcvStateProcess(TcpSock sk, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq, int ackSeq,
            int flags, int window, int dataLen) {
        if (sk.skState == TCP_SYN_SENT) {
            synSentRcv(sk, skb, saddr, daddr, sport, dport, seq, ackSeq, flags, window, dataLen);
            return;
        }
        if ((flags & RST) != 0) {
            if (seq == sk.rcvNxt || (!before(seq, sk.rcvNxt) && before(seq, sk.rcvNxt + sk.rcvWnd))) {
                tcpReset(sk);
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
            } else {
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_INVALID_SEQUENCE);
            }
            return;
        }
        if (rx.sawTstamp && sk.tstampOk && !after(seq, sk.rcvNxt)) {
            sk.tsRecent = rx.tsval;
        }
        if ((flags & SYN) != 0) {
            synChallenge.inc();
            long now = kernel.ktimeGetNs();
            long limitNs = (long) sysctl("net.ipv4.tcp_invalid_ratelimit") * 1_000_000L;
            if (now - sk.lastOowAckNs >= limitNs) {
                sk.lastOowAckNs = now;
                challengeAck.inc();
                sendAck(sk);
            }
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_INVALID_SYN);
            return;
        }
        if ((flags & ACK) != 0 && after(ackSeq, sk.sndUna) && !after(ackSeq, sk.sndNxt)) {
            sk.sndUna = ackSeq;
        }
        if ((flags & ACK) != 0) {
            sk.sndWnd = window << sk.sndWscale;
        }
        if ((flags & FIN) != 0 && seq + dataLen == sk.rcvNxt + dataLen && seq == sk.rcvNxt && sk.skState == TCP_ESTABLISHED
                && dataLen == 0) {
            // tcp_fin: the peer closed; reads return 0 from now on
            sk.rcvNxt = sk.rcvNxt + 1;
            sk.skShutdown |= RCV_SHUTDOWN;
            setState(sk, TCP_CLOSE_WAIT);
            sendAck(sk);
            sk.skWq.wakeUp();
        }
        kernel.consumeSkb(skb);
    }

    /** {@code tcp_rcv_synsent_state_process}. */
    private void synSentRcv(TcpSock sk, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq, int ackSeq,
            int flags, int window, int dataLen) {
        if ((flags & ACK) != 0) {
            if (!after(ackSeq, sk.sndUna) || after(ackSeq, sk.sndNxt)) {
                // reset_and_undo: an unacceptable ACK
                sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_INVALID_ACK_SEQUENCE);
                return;
            }
            if ((flags & RST) != 0) {
                tcpReset(sk); // ECONNREFUSED in SYN-SENT
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
                return;
            }
            if ((flags & SYN) == 0) {
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_FLAGS);
                return;
            }
            // tcp_finish_connect
            sk.rcvNxt = seq + 1;
            sk.rcvWup = sk.rcvNxt;
            sk.sndUna = ackSeq;
            if (!rx.wscaleOk) {
                sk.wscaleOk = false;
                sk.sndWscale = 0;
                sk.rcvWscale = 0;
            } else {
                sk.sndWscale = rx.sndWscale;
            }
            sk.sndWnd = window; // a SYN's window is never scaled
            sk.tstampOk = sk.tstampOk && rx.sawTstamp;
            if (sk.tstampOk) {
                sk.tsRecent = rx.tsval;
            }
            sk.sackOk = sk.sackOk && rx.sackOk;
            sk.mssClamp = rx.mss != 0 ? rx.mss : TCP_MSS_DEFAULT;
            sk.mssCache = Math.min(sk.mssCache + (sk.tstampOk ? 0 : 0), sk.mssClamp) - (sk.tstampOk ? 12 : 0);
            sk.icskRetransmitTimer.del();
            sk.icskRetransmits = 0;
            sk.establishedNs = kernel.ktimeGetNs();
            setState(sk, TCP_ESTABLISHED);
            sendAck(sk);
            kernel.consumeSkb(skb);
            sk.skWq.wakeUp(); // sk_state_change
            return;
        }
        // no ACK: an RST is ignored, a SYN alone (simultaneous open) is a later slice
        kernel.kfreeSkbReason(skb, SkbDropReason.TCP_FLAGS);
    }

    /** {@code tcp_reset}: ECONNREFUSED in SYN-SENT, ECONNRESET otherwise (EPIPE after CLOSE-WAIT), then {@code tcp_done}. */
    private void tcpReset(TcpSock sk) {
        sk.skErr = switch (sk.skState) {
            case TCP_SYN_SENT -> Errno.ECONNREFUSED;
            case TCP_CLOSE_WAIT -> Errno.EPIPE;
            default -> Errno.ECONNRESET;
        };
        tcpDone(sk);
        sk.skErrorReport.call(sk);
    }

    /** {@code tcp_done}: {@code TcpAttemptFails} from SYN-SENT or SYN-RECV, then CLOSE and unhash. */
    private void tcpDone(TcpSock sk) {
        if (sk.skState == TCP_SYN_SENT || sk.skState == TCP_SYN_RECV) {
            attemptFails.inc();
        }
        setState(sk, TCP_CLOSE);
        if (sk.icskRetransmitTimer != null) {
            sk.icskRetransmitTimer.del();
        }
        sk.skShutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
        sk.skWq.wakeUp();
    }

    /** {@code tcp_set_state}: {@code TcpCurrEstab}, {@code TcpEstabResets}, unhash on CLOSE. */
    private void setState(TcpSock sk, int state) {
        int old = sk.skState;
        if (state == TCP_ESTABLISHED && old != TCP_ESTABLISHED) {
            currEstab.inc();
        } else if (old == TCP_ESTABLISHED && state != TCP_ESTABLISHED) {
            currEstab.add(-1);
        }
        if (state == TCP_CLOSE) {
            if (old == TCP_CLOSE_WAIT || old == TCP_ESTABLISHED) {
                estabResets.inc();
            }
            unhash(sk);
            bhashRemove(sk);
        }
        sk.skState = state;
    }

    // ---- connect -----------------------------------------------------------------------------

    /** {@code tcp_v4_connect} → {@code tcp_connect}: route, source, port, SYN-SENT and the first SYN. */
    @Override
    public int connect(Sock sk0, SockaddrIn addr) {
        TcpSock sk = (TcpSock) sk0;
        if (addr.family != AF_INET) {
            return -Errno.EAFNOSUPPORT;
        }
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return -Errno.ENETUNREACH;
        }
        fl4.init(sk.skBoundDevIf, sk.skMark, sk.tos, IPPROTO_TCP, addr.addr, sk.inetSaddr, addr.port, sk.inetSport);
        int err = inet4.ipRouteOutputKey(fl4, rt);
        if (err != 0) {
            if (err == -Errno.ENETUNREACH) {
                ipOutNoRoutes.inc();
            }
            return err;
        }
        if (rt.rtType == Rtable.RTN_BROADCAST || rt.rtType == Rtable.RTN_MULTICAST) {
            return -Errno.ENETUNREACH;
        }
        int mtu = rt.mtu;
        if (sk.inetSaddr == 0) {
            sk.inetSaddr = fl4.saddr;
        }
        if (sk.inetRcvSaddr == 0) {
            sk.inetRcvSaddr = sk.inetSaddr;
        }
        sk.inetDaddr = addr.addr;
        sk.inetDport = addr.port;
        // inet_hash_connect: an ephemeral port if unbound
        if (sk.inetNum == 0) {
            int port = ephemeralPort(sk);
            if (port == 0) {
                sk.inetDaddr = 0;
                sk.inetDport = 0;
                return -Errno.EADDRNOTAVAIL;
            }
            sk.inetNum = port;
            bhashInsert(sk);
        } else if (lookupEstablished(sk.inetRcvSaddr, sk.inetNum, sk.inetDaddr, sk.inetDport) != null) {
            sk.inetDaddr = 0;
            sk.inetDport = 0;
            return -Errno.EADDRNOTAVAIL;
        }
        sk.inetSport = sk.inetNum;
        sk.skState = TCP_SYN_SENT;
        ehashInsert(sk);
        sk.inetId = kernel.random().nextInt() & 0xffff;
        sk.writeSeq = kernel.random().nextInt(); // secure_tcp_seq
        sk.tsOffset = kernel.random().nextInt(); // secure_tcp_ts_off
        // tcp_connect_init
        sk.tstampOk = sysctl("net.ipv4.tcp_timestamps") != 0;
        sk.sackOk = sysctl("net.ipv4.tcp_sack") != 0;
        int ws = initialWscale();
        sk.wscaleOk = ws >= 0;
        sk.rcvWscale = Math.max(ws, 0);
        sk.mssCache = mtu - 40;
        sk.rcvWnd = initialWindow(sk.mssCache);
        sk.sndUna = sk.writeSeq;
        sk.sndNxt = sk.writeSeq + 1;
        sk.writeSeq = sk.sndNxt;
        sk.rcvNxt = 0;
        sk.icskRto = TCP_TIMEOUT_INIT;
        sk.icskRetransmits = 0;
        sk.icskBackoff = 0;
        sk.totalRto = 0;
        if (sk.icskRetransmitTimer == null) {
            sk.icskRetransmitTimer = kernel.timerSetup(t -> retransmitTimer(sk));
        }
        sk.retransStampNs = kernel.ktimeGetNs();
        sendSyn(sk);
        activeOpens.inc();
        sk.icskRetransmitTimer.mod(kernel.ktimeGetNs() + sk.icskRto);
        return 0;
    }

    private void sendSyn(TcpSock sk) {
        if (sk.synTxCount < sk.synTxNs.length) {
            sk.synTxNs[sk.synTxCount++] = kernel.ktimeGetNs();
        }
        transmit(sk, sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport, sk.sndUna, 0, SYN,
                Math.min(sk.rcvWnd, 0xffff), sk.mssCache, sk.sackOk, sk.tstampOk, tcpClockMs() + sk.tsOffset, 0,
                sk.wscaleOk ? sk.rcvWscale : -1, sk.tos, sk.skBoundDevIf, sk.skMark);
    }

    /**
     * {@code tcp_retransmit_timer} for a SYN: {@code tcp_write_timeout} first (after
     * {@code tcp_syn_retries + tcp_syn_linear_timeouts} retransmissions: {@code ETIMEDOUT}), then the SYN again
     * ({@code TcpRetransSegs}), the RTO kept at 1 s while {@code total_rto <=
     * tcp_syn_linear_timeouts} and doubled after.
     */
    private void retransmitTimer(TcpSock sk) {
        if (sk.skState != TCP_SYN_SENT) {
            return;
        }
        int retryUntil = sk.icskSynRetries != 0 ? sk.icskSynRetries : sysctl("net.ipv4.tcp_syn_retries");
        // tcp_write_timeout: in SYN-SENT the linear retransmissions come on top of tcp_syn_retries
        int maxRetransmits = retryUntil + sysctl("net.ipv4.tcp_syn_linear_timeouts");
        if (sk.icskRetransmits >= maxRetransmits) {
            // tcp_write_err
            sk.skErr = Errno.ETIMEDOUT;
            tcpDone(sk);
            sk.skErrorReport.call(sk);
            return;
        }
        if (sk.icskRetransmits == 0) {
            tcpTimeouts.inc();
        }
        retransSegs.inc();
        synRetrans.inc(); // tcp_retransmit_skb of a SYN
        sendSyn(sk);
        sk.icskRetransmits++;
        sk.totalRto++;
        if (sk.totalRto > sysctl("net.ipv4.tcp_syn_linear_timeouts")) {
            sk.icskBackoff++;
            sk.icskRto = Math.min(sk.icskRto << 1, TCP_RTO_MAX);
        }
        sk.icskRetransmitTimer.mod(kernel.ktimeGetNs() + sk.icskRto);
    }

    // ---- Proto -------------------------------------------------------------------------------

    @Override
    public String name() {
        return "TCP";
    }

    @Override
    public Sock skAlloc(Kernel k) {
        TcpSock sk = new TcpSock(k, this);
        sk.skType = SOCK_STREAM;
        sk.skProtocol = IPPROTO_TCP;
        return sk;
    }

    /** {@code inet_csk_listen_start}: binds if needed and hashes the listener. */
    int listenStart(TcpSock sk) {
        if (sk.inetNum == 0) {
            if (getPort(sk, 0) != 0) {
                return -Errno.EADDRINUSE;
            }
        } else if (bindConflict(sk, sk.inetNum)) {
            return -Errno.EADDRINUSE;
        }
        sk.inetSport = sk.inetNum;
        sk.skState = TCP_LISTEN;
        lhashInsert(sk);
        return 0;
    }

    /** {@code inet_csk_accept}: the head of the accept queue, or null. */
    TcpSock accept(TcpSock lsk) {
        TcpSock child = (TcpSock) lsk.icskAcceptQueue.remove();
        if (child != null) {
            child.parent = null;
        }
        return child;
    }

    /**
     * {@code tcp_close}: a listener stops ({@code inet_csk_listen_stop}: its children are reset,
     * its requests dropped); a connected socket is reset ({@code tcp_send_active_reset}; the FIN
     * close is a later slice); a SYN-SENT socket just closes.
     */
    @Override
    public void close(Sock sk0) {
        TcpSock sk = (TcpSock) sk0;
        sk.sockDead = true;
        sk.skSocket = null;
        if (sk.skState == TCP_LISTEN) {
            lhashRemove(sk);
            Sock c;
            while ((c = sk.icskAcceptQueue.remove()) != null) {
                TcpSock child = (TcpSock) c;
                child.parent = null;
                child.sockDead = true;
                disconnect(child, 0);
            }
            for (int h = 0; h < EHASH_SIZE; h++) {
                for (TcpRequestSock r = reqHash[h]; r != null;) {
                    TcpRequestSock next = r.ehNext;
                    if (r.rskListener == sk) {
                        reqskQueueDrop(r);
                    }
                    r = next;
                }
            }
            sk.skState = TCP_CLOSE;
            bhashRemove(sk);
            return;
        }
        if (sk.skState == TCP_ESTABLISHED || sk.skState == TCP_CLOSE_WAIT) {
            sendActiveReset(sk);
        }
        if (sk.icskRetransmitTimer != null) {
            sk.icskRetransmitTimer.del();
        }
        if (sk.skState != TCP_CLOSE) {
            setState(sk, TCP_CLOSE);
        }
        bhashRemove(sk);
        purge(sk);
    }

    private void purge(Sock sk) {
        SkBuff skb;
        while ((skb = sk.skReceiveQueue.dequeue()) != null) {
            kernel.kfreeSkbReason(skb, SkbDropReason.SOCKET_CLOSE);
        }
    }

    /** {@code tcp_disconnect}: an active reset for a synchronized connection, then CLOSE. */
    @Override
    public int disconnect(Sock sk0, int flags) {
        TcpSock sk = (TcpSock) sk0;
        if (sk.skState == TCP_ESTABLISHED || sk.skState == TCP_CLOSE_WAIT) {
            sendActiveReset(sk);
        }
        if (sk.icskRetransmitTimer != null) {
            sk.icskRetransmitTimer.del();
        }
        if (sk.skState != TCP_CLOSE) {
            setState(sk, TCP_CLOSE);
        }
        bhashRemove(sk);
        sk.inetDaddr = 0;
        sk.inetDport = 0;
        purge(sk);
        return 0;
    }

    /** {@code tcp_sendmsg}: data transfer is a later slice; {@code -EPIPE} unless connected. */
    @Override
    public int sendmsg(Sock sk, MsgHdr msg, int flags) {
        if (sk.skErr != 0) {
            return sk.sockError();
        }
        if (sk.skState != TCP_ESTABLISHED && sk.skState != TCP_CLOSE_WAIT) {
            return -Errno.EPIPE;
        }
        return -Errno.EOPNOTSUPP;
    }

    /** {@code tcp_recvmsg}: 0 at end of stream, a pending error, else {@code -EAGAIN} (no data path yet). */
    @Override
    public int recvmsg(Sock sk, MsgHdr msg, int flags) {
        if (sk.skErr != 0) {
            return sk.sockError();
        }
        if ((sk.skShutdown & RCV_SHUTDOWN) != 0) {
            return 0;
        }
        if (sk.skState == TCP_LISTEN || sk.skState == TCP_CLOSE) {
            return -Errno.ENOTCONN;
        }
        return -Errno.EAGAIN;
    }

    /** {@code inet_unhash} / {@code inet_unhash} of the established hash. */
    @Override
    public void unhash(Sock sk0) {
        TcpSock sk = (TcpSock) sk0;
        ehashRemove(sk);
        lhashRemove(sk);
    }

    /** The request socks of {@code lsk} pending (its {@code qlen}), for tests. */
    public int reqskQueueLen(TcpSock lsk) {
        return lsk.icskAcceptQueue.qlen;
    }
}
