package net.linuxnet.protocols.tcp;

import static net.linuxnet.api.sock.SockConst.*;

import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.api.net.NetProtocol;
import java.util.function.Consumer;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffHead;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;
import net.linuxnet.api.sock.TcpCongestionOps;
import net.linuxnet.api.sock.TcpInfo;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;
import net.linuxnet.protocols.inet.SysctlVectors;

/**
 * TCP of one host as Linux 6.18 has it ({@code net/ipv4/tcp_ipv4.c},
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
 * <p>Connections ({@code tcp_rcv_state_process}, {@code tcp_rcv_established}): every segment
 * passes PAWS, {@code tcp_sequence} and the RFC 5961 RST/SYN checks; {@code tcp_ack} moves the
 * send window and frees the retransmit queue, feeds the RTT estimator and Reno's congestion
 * window; {@code tcp_data_queue} fills the receive and out-of-order queues; ACKs follow the
 * delayed-ACK engine (quickack, pingpong, {@code ato}). Output is {@code tcp_write_xmit} under
 * the congestion window, the peer's window and Nagle; the retransmit timer, zero-window probes
 * and keepalive run on the socket's timers. Close goes through FIN-WAIT-1/2, CLOSING,
 * CLOSE-WAIT and LAST-ACK; {@code tcp_time_wait} replaces the socket with a
 * {@link TcpTimewaitSock} for 60 s.
 *
 * Loss recovery is RACK-TLP with a SACK scoreboard (Reno/NewReno without SACK); congestion
 * control is a {@code TcpCongestionOps} module, CUBIC by default.
 *
 * Recovery reduces the window by PRR.
 *
 * <p>Not modelled: undo, D-SACK on the sender, receive-buffer autotuning, TSO/GSO,
 * TCP small queues and pacing, Fast Open, urgent data.
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
    /** {@code TCP_TIMEOUT_MIN}: 2 jiffies, 2 ms at HZ = 1000. */
    public static final long TCP_TIMEOUT_MIN = 2_000_000L;
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

    static final int TCPOPT_SACK = 5;
    /** {@code TCP_TIMEWAIT_LEN}: 60 s. */
    static final long TCP_TIMEWAIT_LEN = 60_000_000_000L;
    /** {@code TCP_FIN_TIMEOUT_MAX}: 120 s, the most {@code TCP_LINGER2} takes. */
    static final long TCP_FIN_TIMEOUT_MAX = 120_000_000_000L;
    /** {@code TCP_RTO_MIN}: 200 ms. */
    static final long TCP_RTO_MIN = 200_000_000L;
    /** {@code TCP_ATO_MIN} and {@code TCP_DELACK_MIN}: 40 ms ({@code HZ / 25}). */
    static final long TCP_ATO_MIN = 40_000_000L;
    static final long TCP_DELACK_MIN = 40_000_000L;
    /** {@code TCP_DELACK_MAX}: 200 ms ({@code HZ / 5}). */
    static final long TCP_DELACK_MAX = 200_000_000L;
    /** {@code TCP_MAX_QUICKACKS}. */
    static final int TCP_MAX_QUICKACKS = 16;
    /** {@code TCP_INIT_CWND}. */
    static final int TCP_INIT_CWND = 10;
    /** {@code icsk_pending}: which use of the retransmit timer is armed. */
    static final int ICSK_TIME_RETRANS = 1;
    static final int ICSK_TIME_PROBE0 = 3;
    static final int ICSK_TIME_REO_TIMEOUT = 4;
    static final int ICSK_TIME_LOSS_PROBE = 5;
    /** {@code TCP_TIMEOUT_MIN_US}: 2 ms. */
    static final long TCP_TIMEOUT_MIN_NS = 2_000_000L;
    /** {@code icsk_ack.pending} bits ({@code enum inet_csk_ack_state_t}). */
    static final int ICSK_ACK_SCHED = 1;
    static final int ICSK_ACK_TIMER = 2;
    static final int ICSK_ACK_PUSHED = 4;
    static final int ICSK_ACK_PUSHED2 = 8;
    static final int ICSK_ACK_NOW = 16;
    /** {@code enum tcp_ca_state}. */
    static final int TCP_CA_OPEN = 0;
    static final int TCP_CA_DISORDER = 1;
    static final int TCP_CA_CWR = 2;
    static final int TCP_CA_RECOVERY = 3;
    static final int TCP_CA_LOSS = 4;
    /** {@code nonagle} bits. */
    static final int TCP_NAGLE_OFF = 1;
    static final int TCP_NAGLE_CORK = 2;
    static final int TCP_NAGLE_PUSH = 4;

    private static final int EHASH_SIZE = 16384;

    private final Kernel kernel;
    private final TcpSock[] lhash = new TcpSock[65536];
    private final TcpSock[] bhash = new TcpSock[65536];
    private final TcpSock[] ehash = new TcpSock[EHASH_SIZE];
    private final TcpRequestSock[] reqHash = new TcpRequestSock[EHASH_SIZE];
    private final TcpTimewaitSock[] twHash = new TcpTimewaitSock[EHASH_SIZE];
    /** TIME-WAIT socks ({@code tw_count} of the death row) and how many hold each port. */
    private int twCount;
    private final int[] twPorts = new int[65536];
    /** Closed by their programs, still completing their close ({@code tcp_orphan_count}). */
    private final java.util.Set<TcpSock> orphans = new java.util.LinkedHashSet<>();
    private final CostStage tcpSendmsgCost;
    private final CostStage tcpRecvmsgCost;
    private final int ehashSecret;
    private final int isnSecret;
    private final CostStage tcpRcvCost;
    private final CostStage tcpOutCost;
    private final int defaultTtl;
    private final Flowi4 fl4 = new Flowi4();
    private final Rtable rt = new Rtable();
    /** The options parsed from the segment being received ({@code tcp_options_received}). */
    private final RxOpt rx = new RxOpt();
    /** {@code tcp_cong_list}: the registered congestion controls by name. */
    private final java.util.Map<String, TcpCongestionOps> congestionOps = new java.util.LinkedHashMap<>();
    /** {@code TCP_SKB_CB(skb)->tcp_tw_isn}: the ISN a SYN that ended a TIME-WAIT passes to {@code tcp_conn_request}, 0 for none. */
    private int twIsn;
    /** The options of the segment being built ({@code tcp_out_options}), and their length. */
    private final byte[] opts = new byte[40];
    private int optLen;

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
    final MibCounter wantZeroWindowAdv;
    final MibCounter toZeroWindowAdv;
    final MibCounter fromZeroWindowAdv;
    final MibCounter pawsOldAck;
    final MibCounter pawsEstab;
    final MibCounter beyondWindow;
    final MibCounter delayedAckLost;
    final MibCounter sackRecovery;
    final MibCounter renoRecovery;
    final MibCounter fastRetrans;
    final MibCounter zeroWindowDrop;
    final MibCounter rcvQDrop;
    final MibCounter ofoDrop;
    final MibCounter ofoQueued;
    final MibCounter ofoMerge;
    final MibCounter delayedAcks;
    final MibCounter abortOnTimeout;
    final MibCounter abortOnLinger;
    final MibCounter abortOnData;
    final MibCounter abortOnClose;
    final MibCounter winProbe;
    final MibCounter keepAlive;
    final MibCounter timeWaitOverflow;
    final MibCounter twKilled;
    final MibCounter timeWaited;
    final MibCounter dsackOldSent;
    final MibCounter lossProbes;
    final MibCounter slowStartRetrans;
    final MibCounter lossProbeRecovery;
    final MibCounter dsackOfoSent;

    /** {@code struct tcp_options_received}, reused per segment. */
    static final class RxOpt {
        int mss;
        boolean sawTstamp;
        int tsval;
        int tsecr;
        boolean sackOk;
        boolean wscaleOk;
        int sndWscale;
        /** The SACK blocks of the segment ({@code TCP_SKB_CB(skb)->sacked} points at them). */
        int numSacks;
        final int[] sackStart = new int[4];
        final int[] sackEnd = new int[4];

        void clear() {
            numSacks = 0;
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
        this.isnSecret = kernel.random().nextInt();
        SysctlVectors.check(kernel, "net.ipv4.tcp_rmem", 3, "min default max");
        SysctlVectors.check(kernel, "net.ipv4.tcp_wmem", 3, "min default max");
        registerCongestionControl(new TcpCubic());
        registerCongestionControl(new TcpReno());
        defaultCongestionControl();
        this.tcpRcvCost = kernel.costStage("tcp_v4_rcv");
        this.tcpOutCost = kernel.costStage("tcp_transmit_skb");
        this.tcpSendmsgCost = kernel.costStage("tcp_sendmsg");
        this.tcpRecvmsgCost = kernel.costStage("tcp_recvmsg");
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
        wantZeroWindowAdv = kernel.mib("TcpExtTCPWantZeroWindowAdv");
        toZeroWindowAdv = kernel.mib("TcpExtTCPToZeroWindowAdv");
        fromZeroWindowAdv = kernel.mib("TcpExtTCPFromZeroWindowAdv");
        pawsOldAck = kernel.mib("TcpExtPAWSOldAck");
        pawsEstab = kernel.mib("TcpExtPAWSEstab");
        beyondWindow = kernel.mib("TcpExtBeyondWindow");
        delayedAckLost = kernel.mib("TcpExtDelayedACKLost");
        sackRecovery = kernel.mib("TcpExtTCPSackRecovery");
        renoRecovery = kernel.mib("TcpExtTCPRenoRecovery");
        fastRetrans = kernel.mib("TcpExtTCPFastRetrans");
        zeroWindowDrop = kernel.mib("TcpExtTCPZeroWindowDrop");
        rcvQDrop = kernel.mib("TcpExtTCPRcvQDrop");
        ofoDrop = kernel.mib("TcpExtTCPOFODrop");
        ofoQueued = kernel.mib("TcpExtTCPOFOQueue");
        ofoMerge = kernel.mib("TcpExtTCPOFOMerge");
        delayedAcks = kernel.mib("TcpExtDelayedACKs");
        abortOnTimeout = kernel.mib("TcpExtTCPAbortOnTimeout");
        abortOnLinger = kernel.mib("TcpExtTCPAbortOnLinger");
        abortOnData = kernel.mib("TcpExtTCPAbortOnData");
        abortOnClose = kernel.mib("TcpExtTCPAbortOnClose");
        winProbe = kernel.mib("TcpExtTCPWinProbe");
        keepAlive = kernel.mib("TcpExtTCPKeepAlive");
        timeWaitOverflow = kernel.mib("TcpExtTCPTimeWaitOverflow");
        twKilled = kernel.mib("TcpExtTWKilled");
        timeWaited = kernel.mib("TcpExtTW");
        dsackOldSent = kernel.mib("TcpExtTCPDSACKOldSent");
        lossProbes = kernel.mib("TcpExtTCPLossProbes");
        slowStartRetrans = kernel.mib("TcpExtTCPSlowStartRetrans");
        lossProbeRecovery = kernel.mib("TcpExtTCPLossProbeRecovery");
        dsackOfoSent = kernel.mib("TcpExtTCPDSACKOfoSent");
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
        twIsn = 0;

        TcpRequestSock req = lookupReq(daddr, dport, saddr, sport);
        if (req != null) {
            checkReq(req, skb, th, saddr, daddr, sport, dport, seq, ackSeq, flags, window, dataLen);
            return 0;
        }
        TcpSock sk = lookupEstablished(daddr, dport, saddr, sport);
        if (sk != null) {
            rcvStateProcess(sk, skb, saddr, daddr, sport, dport, seq, ackSeq, flags, window, dataLen);
            return 0;
        }
        TcpTimewaitSock tw = lookupTimewait(daddr, dport, saddr, sport);
        if (tw != null && timewaitProcess(tw, skb, saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen)) {
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
                case TCPOPT_SACK -> {
                    if (opsize >= 2 + 8 && (opsize - 2) % 8 == 0 && !syn) {
                        int n = Math.min((opsize - 2) / 8, 4);
                        for (int i = 0; i < n; i++) {
                            rx.sackStart[i] = skb.getU32(p + 8 * i);
                            rx.sackEnd[i] = skb.getU32(p + 8 * i + 4);
                        }
                        rx.numSacks = n;
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

    private static final java.util.function.UnaryOperator<TcpSock> EH_NEXT = s -> s.ehNext;
    private static final java.util.function.BiConsumer<TcpSock, TcpSock> EH_SET = (s, n) -> s.ehNext = n;
    private static final java.util.function.UnaryOperator<TcpSock> LH_NEXT = s -> s.lhNext;
    private static final java.util.function.BiConsumer<TcpSock, TcpSock> LH_SET = (s, n) -> s.lhNext = n;
    private static final java.util.function.UnaryOperator<TcpSock> BH_NEXT = s -> s.bhNext;
    private static final java.util.function.BiConsumer<TcpSock, TcpSock> BH_SET = (s, n) -> s.bhNext = n;
    private static final java.util.function.UnaryOperator<TcpRequestSock> REQ_NEXT = r -> r.ehNext;
    private static final java.util.function.BiConsumer<TcpRequestSock, TcpRequestSock> REQ_SET = (r, n) -> r.ehNext = n;
    private static final java.util.function.UnaryOperator<TcpTimewaitSock> TW_NEXT = t -> t.ehNext;
    private static final java.util.function.BiConsumer<TcpTimewaitSock, TcpTimewaitSock> TW_SET = (t, n) -> t.ehNext = n;

    private void ehashInsert(TcpSock sk) {
        HashChain.addHead(ehash, ehashfn(sk.inetRcvSaddr, sk.inetNum, sk.inetDaddr, sk.inetDport), sk, EH_SET);
        sk.ehashed = true;
    }

    private void ehashRemove(TcpSock sk) {
        if (sk.ehashed) {
            HashChain.del(ehash, ehashfn(sk.inetRcvSaddr, sk.inetNum, sk.inetDaddr, sk.inetDport), sk, EH_NEXT, EH_SET);
            sk.ehashed = false;
        }
    }

    private void reqInsert(TcpRequestSock r) {
        HashChain.addHead(reqHash, ehashfn(r.irLocAddr, r.irNum, r.irRmtAddr, r.irRmtPort), r, REQ_SET);
        r.hashed = true;
    }

    private void reqRemove(TcpRequestSock r) {
        if (r.hashed) {
            HashChain.del(reqHash, ehashfn(r.irLocAddr, r.irNum, r.irRmtAddr, r.irRmtPort), r, REQ_NEXT, REQ_SET);
            r.hashed = false;
        }
    }

    private void lhashInsert(TcpSock sk) {
        HashChain.addHead(lhash, sk.inetNum, sk, LH_SET);
        sk.lhashed = true;
    }

    private void lhashRemove(TcpSock sk) {
        if (sk.lhashed) {
            HashChain.del(lhash, sk.inetNum, sk, LH_NEXT, LH_SET);
            sk.lhashed = false;
        }
    }

    private void bhashInsert(TcpSock sk) {
        HashChain.addHead(bhash, sk.inetNum, sk, BH_SET);
        sk.bhashed = true;
    }

    private void bhashRemove(TcpSock sk) {
        if (sk.bhashed) {
            HashChain.del(bhash, sk.inetNum, sk, BH_NEXT, BH_SET);
            sk.bhashed = false;
        }
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
        sk.bindPort = true;
        bhashInsert(sk);
        return 0;
    }

    private int ephemeralPort(TcpSock sk) {
        int[] range = SysctlVectors.localPortRange(kernel);
        int low = range[0];
        int remaining = range[1] - low + 1;
        int first = (int) (((kernel.random().nextInt() & 0xffffffffL) * remaining) >>> 32);
        for (int i = 0; i < remaining; i++) {
            int port = low + (first + i) % remaining;
            if (bhash[port] == null && lhash[port] == null && twPorts[port] == 0) {
                return port;
            }
        }
        return 0;
    }

    // ---- output ------------------------------------------------------------------------------

    /**
     * Builds and sends one segment without payload, with the options of {@code tcp_options_write}
     * as a SYN or SYN-ACK carries them (MSS; SACK permitted and timestamps as one word when both;
     * NOP + window scale); see {@link #xmit}.
     *
     * @param mss the MSS option, 0 for none
     * @param wscale the window scale option, -1 for none
     * @param ts whether to send timestamps
     */
    private int transmit(Sock owner, int saddr, int daddr, int sport, int dport, int seq, int ack, int flags, int window,
            int mss, boolean sackPerm, boolean ts, int tsval, int tsecr, int wscale, int tos, int oif, int mark) {
        optLen = 0;
        if (mss > 0) {
            opt(TCPOPT_MSS, 4, mss >>> 8, mss);
        }
        if (ts) {
            opt(sackPerm ? TCPOPT_SACK_PERM : TCPOPT_NOP, sackPerm ? 2 : TCPOPT_NOP, TCPOPT_TIMESTAMP, 10);
            optU32(tsval);
            optU32(tsecr);
        } else if (sackPerm) {
            opt(TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK_PERM, 2);
        }
        if (wscale >= 0) {
            opt(TCPOPT_NOP, TCPOPT_WINDOW, 3, wscale);
        }
        return xmit(owner, saddr, daddr, sport, dport, seq, ack, flags, window, tos, oif, mark, null, 0, 0);
    }

    private void opt(int b0, int b1, int b2, int b3) {
        opts[optLen] = (byte) b0;
        opts[optLen + 1] = (byte) b1;
        opts[optLen + 2] = (byte) b2;
        opts[optLen + 3] = (byte) b3;
        optLen += 4;
    }

    private void optU32(int v) {
        opt(v >>> 24, v >>> 16, v >>> 8, v);
    }

    /**
     * {@code tcp_transmit_skb}: the TCP header with the options prepared in {@link #opts}, the
     * payload copied from {@code payload} (a segment of the write or retransmit queue; the queued
     * skb stays, as the kernel transmits a clone), the checksum over the pseudo header, then
     * {@code ip_queue_xmit}. Counts {@code TcpOutSegs}.
     */
    private int xmit(Sock owner, int saddr, int daddr, int sport, int dport, int seq, int ack, int flags, int window,
            int tos, int oif, int mark, SkBuff payload, int payOff, int payLen) {
        Inet4 inet4 = Inet4.of(kernel);
        if (inet4 == null) {
            return -Errno.ENETUNREACH;
        }
        kernel.charge(tcpOutCost, payLen);
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
        int hlen = TCP_HLEN + optLen;
        SkBuff skb = kernel.allocSkb(Inet4.MAX_HEADER + hlen + payLen);
        skb.reserve(Inet4.MAX_HEADER);
        int th = skb.put(hlen + payLen);
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
        skb.putBytes(th + TCP_HLEN, opts, 0, optLen);
        if (payLen > 0) {
            skb.putBytes(th + hlen, payload.head(), payload.data() + payOff, payLen);
        }
        int len = hlen + payLen;
        int csum = Checksum.csumTcpudpMagic(saddr, daddr, len, IPPROTO_TCP, Checksum.csumPartial(skb.head(), th, len, 0));
        skb.putU16(th + 16, csum);
        outSegs.inc();
        int ttl = owner instanceof net.linuxnet.api.sock.InetSock inet && inet.ttl >= 0 ? inet.ttl : defaultTtl;
        return inet4.ipSendSkb(skb, rt, saddr, daddr, IPPROTO_TCP, tos, ttl, true, null);
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

    /** {@code tcp_send_active_reset}: RST|ACK at {@code tcp_acceptable_seq}, {@code TcpOutRsts}. */
    private void sendActiveReset(TcpSock sk) {
        outRsts.inc();
        int seq = !after(sk.sndNxt, sk.sndUna + sk.sndWnd) ? sk.sndNxt : sk.sndUna + sk.sndWnd;
        sendControl(sk, seq, RST | ACK);
    }

    /** {@code tcp_send_ack}: an ACK at {@code snd_nxt}, with timestamps and SACK blocks when agreed. */
    void sendAck(TcpSock sk) {
        sendControl(sk, sk.sndNxt, ACK);
    }

    /** {@code tcp_xmit_probe_skb}: an ACK at {@code snd_una - 1}, which the peer must answer (zero-window and keepalive probes). */
    private void sendProbe(TcpSock sk) {
        sendControl(sk, sk.sndUna - 1, ACK);
    }

    /** A segment without data from a synchronized socket ({@code tcp_init_nondata_skb} + {@code tcp_transmit_skb}). */
    private void sendControl(TcpSock sk, int seq, int flags) {
        establishedOptions(sk);
        int win = tcpSelectWindow(sk);
        sk.segsOut++;
        xmit(sk, sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport, seq, sk.rcvNxt, flags, win, sk.tos,
                sk.skBoundDevIf, sk.skMark, null, 0, 0);
        eventAckSent(sk);
    }

    /**
     * {@code tcp_established_options} written as {@code tcp_options_write} does: NOP NOP TS, then
     * NOP NOP SACK with a pending D-SACK block first and the {@code selective_acks} after it, as
     * many as fit (4 without timestamps, 3 with). The D-SACK goes out once.
     */
    private void establishedOptions(TcpSock sk) {
        optLen = 0;
        if (sk.tstampOk) {
            opt(TCPOPT_NOP, TCPOPT_NOP, TCPOPT_TIMESTAMP, 10);
            optU32(tcpClockMs() + sk.tsOffset);
            optU32(sk.tsRecent);
        }
        if (!sk.sackOk || (sk.numSacks == 0 && !sk.dsack)) {
            return;
        }
        int n = Math.min(sk.numSacks + (sk.dsack ? 1 : 0), sk.tstampOk ? 3 : 4);
        opt(TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK, 2 + 8 * n);
        int i = 0;
        if (sk.dsack) {
            optU32(sk.dsackStart);
            optU32(sk.dsackEnd);
            sk.dsack = false;
            n--;
        }
        for (; i < n; i++) {
            optU32(sk.sackStart[i]);
            optU32(sk.sackEnd[i]);
        }
    }

    /** {@code TCP_NUM_SACKS}: the SACK blocks a receiver keeps. */
    static final int TCP_NUM_SACKS = 4;

    /** {@code tcp_sack_extend}: whether {@code [seq, end)} touches block {@code i}, which then grows to cover it. */
    private static boolean sackExtend(TcpSock sk, int i, int seq, int end) {
        if (!after(seq, sk.sackEnd[i]) && !after(sk.sackStart[i], end)) {
            if (before(seq, sk.sackStart[i])) {
                sk.sackStart[i] = seq;
            }
            if (after(end, sk.sackEnd[i])) {
                sk.sackEnd[i] = end;
            }
            return true;
        }
        return false;
    }

    /**
     * {@code tcp_sack_new_ofo_skb}: a block that the new segment extends moves to the front
     * (and swallows the blocks it now reaches, {@code tcp_sack_maybe_coalesce}); otherwise a new
     * block goes first and the oldest falls off when all four are in use.
     */
    private static void sackNewOfoSkb(TcpSock sk, int seq, int end) {
        if (sk.sackStart == null) {
            sk.sackStart = new int[TCP_NUM_SACKS];
            sk.sackEnd = new int[TCP_NUM_SACKS];
        }
        for (int i = 0; i < sk.numSacks; i++) {
            if (sackExtend(sk, i, seq, end)) {
                for (; i > 0; i--) {
                    swapSack(sk, i, i - 1);
                }
                // tcp_sack_maybe_coalesce
                for (int j = 1; j < sk.numSacks;) {
                    if (sackExtend(sk, 0, sk.sackStart[j], sk.sackEnd[j])) {
                        sk.numSacks--;
                        for (int k = j; k < sk.numSacks; k++) {
                            sk.sackStart[k] = sk.sackStart[k + 1];
                            sk.sackEnd[k] = sk.sackEnd[k + 1];
                        }
                        continue;
                    }
                    j++;
                }
                return;
            }
        }
        int n = Math.min(sk.numSacks, TCP_NUM_SACKS - 1);
        for (int i = n; i > 0; i--) {
            sk.sackStart[i] = sk.sackStart[i - 1];
            sk.sackEnd[i] = sk.sackEnd[i - 1];
        }
        sk.sackStart[0] = seq;
        sk.sackEnd[0] = end;
        sk.numSacks = n + 1;
    }

    private static void swapSack(TcpSock sk, int i, int j) {
        int s = sk.sackStart[i];
        int e = sk.sackEnd[i];
        sk.sackStart[i] = sk.sackStart[j];
        sk.sackEnd[i] = sk.sackEnd[j];
        sk.sackStart[j] = s;
        sk.sackEnd[j] = e;
    }

    /** {@code tcp_sack_remove}: blocks {@code rcv_nxt} has reached are gone; all of them once the out-of-order queue is empty. */
    private static void sackRemove(TcpSock sk) {
        if (sk.ofoQueue.isEmpty()) {
            sk.numSacks = 0;
            return;
        }
        for (int i = 0; i < sk.numSacks;) {
            if (!before(sk.rcvNxt, sk.sackStart[i])) {
                for (int k = i + 1; k < sk.numSacks; k++) {
                    sk.sackStart[k - 1] = sk.sackStart[k];
                    sk.sackEnd[k - 1] = sk.sackEnd[k];
                }
                sk.numSacks--;
                continue;
            }
            i++;
        }
    }

    /** {@code tcp_dsack_set}: a D-SACK block for data received twice ({@code TCPDSACKOldSent}, {@code TCPDSACKOfoSent}). */
    private void dsackSet(TcpSock sk, int seq, int end) {
        if (!sk.sackOk || sysctl("net.ipv4.tcp_dsack") == 0) {
            return;
        }
        (before(seq, sk.rcvNxt) ? dsackOldSent : dsackOfoSent).inc();
        sk.dsack = true;
        sk.dsackStart = seq;
        sk.dsackEnd = end;
    }

    /**
     * {@code tcp_select_window}: {@link #selectWindowRaw} but never shrinking the window already
     * offered ({@code tcp_shrink_window} = 0); records {@code rcv_wnd} and {@code rcv_wup} and
     * returns the value for the header, scaled by ours. Counts {@code TCPToZeroWindowAdv},
     * {@code TCPFromZeroWindowAdv}, {@code TCPWantZeroWindowAdv}.
     */
    private int tcpSelectWindow(TcpSock sk) {
        int oldWin = sk.rcvWnd;
        int curWin = receiveWindow(sk);
        int newWin = selectWindowRaw(sk);
        int ws = sk.rcvWscale;
        if (newWin < curWin) {
            if (newWin == 0) {
                wantZeroWindowAdv.inc();
            }
            newWin = alignUp(curWin, 1 << ws);
        }
        sk.rcvWnd = newWin;
        sk.rcvWup = sk.rcvNxt;
        newWin = (int) Math.min(newWin, 65535L << ws) >>> ws;
        if (newWin == 0) {
            if (oldWin != 0) {
                toZeroWindowAdv.inc();
            }
        } else if (oldWin == 0) {
            fromZeroWindowAdv.inc();
        }
        return newWin;
    }

    private static int alignUp(int v, int a) {
        return (v + a - 1) & -a;
    }

    /** {@code tcp_receive_window}: what is left of the window last offered. */
    static int receiveWindow(TcpSock sk) {
        int win = sk.rcvWup + sk.rcvWnd - sk.rcvNxt;
        return Math.max(win, 0);
    }

    /** {@code tcp_win_from_space}: the window {@code space} bytes of truesize allow at the socket's {@code scaling_ratio}. */
    private static int winFromSpace(TcpSock sk, long space) {
        return (int) Math.max(0, (space * sk.scalingRatio) >> 8);
    }

    /** {@code tcp_space}: the window the free part of the receive buffer allows. */
    private static int tcpSpace(TcpSock sk) {
        return winFromSpace(sk, (long) sk.skRcvbuf - sk.skRmemAlloc);
    }

    /**
     * {@code __tcp_select_window}: the free space, at most {@code rcv_ssthresh}; 0 when less than
     * an MSS or a sixteenth of the buffer is free; with window scaling aligned up to the scale,
     * without it a multiple of the MSS.
     */
    private int selectWindowRaw(TcpSock sk) {
        int mss = sk.icskAckRcvMss;
        int freeSpace = tcpSpace(sk);
        int allowedSpace = winFromSpace(sk, sk.skRcvbuf);
        int fullSpace = Math.min(sk.windowClamp, allowedSpace);
        if (mss > fullSpace) {
            mss = fullSpace;
            if (mss <= 0) {
                return 0;
            }
        }
        if (freeSpace < (fullSpace >> 1)) {
            sk.icskAckQuick = 0;
            freeSpace = freeSpace & -(1 << sk.rcvWscale);
            if (freeSpace < (allowedSpace >> 4) || freeSpace < mss) {
                return 0;
            }
        }
        if (freeSpace > sk.rcvSsthresh) {
            freeSpace = sk.rcvSsthresh;
        }
        if (sk.rcvWscale != 0) {
            return alignUp(freeSpace, 1 << sk.rcvWscale);
        }
        int window = sk.rcvWnd;
        if (window <= freeSpace - mss || window > freeSpace) {
            window = freeSpace / mss * mss;
        } else if (mss == fullSpace && freeSpace > window + (fullSpace >> 1)) {
            window = freeSpace;
        }
        return window;
    }

    /** The MSS of a listener's SYN-ACK: {@code tcp_mss_clamp} of the route's, by the listener's {@code TCP_MAXSEG}. */
    private int synackMss(TcpSock lsk, int raddr, int laddr) {
        int mss = advertiseMss(raddr, laddr, lsk.skBoundDevIf);
        return lsk.userMss != 0 && lsk.userMss < mss ? lsk.userMss : mss;
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
     * {@code tcp_select_initial_window}'s window scale: the one that lets the largest receive
     * buffer ({@code max(tcp_rmem[2], net.core.rmem_max)}) be offered, within the window clamp
     * of {@code sk} ({@code TCP_WINDOW_CLAMP}, or the buffer a {@code SO_RCVBUF} fixed):
     * {@code ilog2(space) - 15}, 0..14; -1 when {@code tcp_window_scaling} is off.
     */
    private int initialWscale(TcpSock sk) {
        if (sysctl("net.ipv4.tcp_window_scaling") == 0) {
            return -1;
        }
        long space = Math.max(rmem(2), kernel.sysctl().getLong("net.core.rmem_max"));
        long clamp = userWindowClamp(sk);
        if (clamp != 0) {
            space = Math.min(space, clamp);
        }
        int ilog2 = 63 - Long.numberOfLeadingZeros(Math.max(space, 1));
        return Math.max(0, Math.min(ilog2 - 15, 14));
    }

    /**
     * The window clamp a connection starts with ({@code tcp_connect_init},
     * {@code tcp_openreq_init_rwin}): {@code TCP_WINDOW_CLAMP}, lowered to {@code tcp_full_space}
     * when {@code SO_RCVBUF} fixed the buffer; 0 for none.
     */
    private static int userWindowClamp(TcpSock sk) {
        int clamp = sk.windowClamp;
        if ((sk.skUserlocks & SOCK_RCVBUF_LOCK) != 0) {
            int full = winFromSpace(sk, sk.skRcvbuf);
            if (clamp == 0 || clamp > full) {
                clamp = full;
            }
        }
        return clamp;
    }

    /**
     * {@code tcp_select_initial_window}: the window the receive buffer allows
     * ({@code tcp_full_space}; 65536 of the default 131072), within the window clamp, rounded
     * down to a multiple of {@code mss}, at most 65535: 64240 for an MSS of 1460.
     */
    private static int initialWindow(TcpSock sk, int mss) {
        int space = winFromSpace(sk, sk.skRcvbuf);
        if (sk.windowClamp != 0) {
            space = Math.min(space, sk.windowClamp);
        }
        if (space > mss) {
            space = space / mss * mss;
        }
        return Math.min(space, 0xffff);
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
        int ourMss = synackMss(lsk, saddr, daddr);
        req.mss = rx.mss != 0 ? rx.mss : TCP_MSS_DEFAULT;
        req.tstampOk = rx.sawTstamp && sysctl("net.ipv4.tcp_timestamps") != 0;
        req.sackOk = rx.sackOk && sysctl("net.ipv4.tcp_sack") != 0;
        int ws = initialWscale(lsk);
        req.wscaleOk = rx.wscaleOk && ws >= 0;
        req.sndWscale = req.wscaleOk ? rx.sndWscale : 0;
        req.rcvWscale = req.wscaleOk ? ws : 0;
        req.tsRecent = rx.tsval;
        req.tsOff = cookieTsOff(saddr, daddr);
        req.sntIsn = twIsn != 0 ? twIsn : secureTcpSeq(daddr, saddr, dport, sport);
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

    /**
     * {@code tcp_listendrop}. The SYN itself is consumed, not dropped: {@code tcp_rcv_state_process}
     * calls {@code consume_skb} after {@code conn_request} whatever it decided, so the drop
     * shows in {@code ListenDrops} (and {@code ListenOverflows} or {@code TCPReqQFullDrop}), not
     * as a drop reason.
     */
    private void listenDrop(SkBuff skb) {
        listenDrops.inc();
        kernel.consumeSkb(skb);
    }

    /** {@code tcp_v4_send_synack} → {@code tcp_make_synack}. */
    private int sendSynack(TcpRequestSock req, int ourMss) {
        TcpSock lsk = (TcpSock) req.rskListener;
        if (req.rcvWnd == 0) {
            // tcp_openreq_init_rwin: the window for our MSS less the timestamps
            req.rcvWnd = initialWindow(lsk, Math.max(ourMss - (req.tstampOk ? 12 : 0), 1));
        }
        if (req.numRetrans == 0) {
            req.synackTxNs = kernel.ktimeGetNs();
        }
        int win = req.rcvWnd;
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
        sendSynack(req, synackMss(lsk, req.irRmtAddr, req.irLocAddr));
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
            int ackSeq, int flags, int window, int dataLen) {
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
            // "second check the RST bit, fourth check the SYN bit": TcpAttemptFails, then
            // embryonic_reset: the request dies
            attemptFails.inc();
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
        TcpSock child = createOpenreqChild(lsk, req, ackSeq, window);
        // inet_csk_complete_hashdance: the request leaves the SYN queue, the child joins the accept queue
        reqskQueueDrop(req);
        ehashInsert(child);
        child.parent = lsk;
        lsk.icskAcceptQueue.add(child);
        kernel.consumeSkb(skb);
        lsk.skDataReady.call(lsk);
    }

    /**
     * {@code tcp_create_openreq_child} ({@code sk_clone_lock} copies the listener's options): the
     * child, in ESTABLISHED, with the handshake's sequence numbers and options, the RTT of the
     * SYN-ACK when it was not retransmitted ({@code tcp_synack_rtt_meas}) and
     * {@code tcp_init_transfer}; counts {@code TcpPassiveOpens}.
     */
    private TcpSock createOpenreqChild(TcpSock lsk, TcpRequestSock req, int ackSeq, int window) {
        TcpSock c = (TcpSock) skAlloc(kernel);
        c.skRcvbuf = lsk.skRcvbuf;
        c.skSndbuf = lsk.skSndbuf;
        c.skUserlocks = lsk.skUserlocks;
        c.tos = lsk.tos;
        c.ttl = lsk.ttl;
        c.skMark = lsk.skMark;
        c.skPriority = lsk.skPriority;
        c.skBoundDevIf = lsk.skBoundDevIf;
        c.nonagle = lsk.nonagle;
        c.userMss = lsk.userMss;
        c.linger2Ns = lsk.linger2Ns;
        c.keepaliveTimeNs = lsk.keepaliveTimeNs;
        c.keepaliveIntvlNs = lsk.keepaliveIntvlNs;
        c.keepaliveProbes = lsk.keepaliveProbes;
        c.sockLinger = lsk.sockLinger;
        c.skLingertimeNs = lsk.skLingertimeNs;
        c.windowClamp = lsk.windowClamp;
        c.caOps = lsk.caOps;
        c.inetRcvSaddr = req.irLocAddr;
        c.inetSaddr = req.irLocAddr;
        c.inetNum = req.irNum;
        c.inetSport = req.irNum;
        c.inetDaddr = req.irRmtAddr;
        c.inetDport = req.irRmtPort;
        c.rcvNxt = req.rcvNxt;
        c.rcvWup = req.rcvNxt;
        c.copiedSeq = req.rcvNxt;
        c.sndUna = req.sntIsn + 1;
        c.sndNxt = req.sntIsn + 1;
        c.writeSeq = req.sntIsn + 1;
        c.pushedSeq = c.writeSeq;
        c.sndSml = c.sndNxt;
        c.tstampOk = req.tstampOk;
        c.tsRecentStamp = req.tstampOk;
        c.sackOk = req.sackOk;
        c.wscaleOk = req.wscaleOk;
        c.sndWscale = req.sndWscale;
        c.rcvWscale = req.rcvWscale;
        c.tsOffset = req.tsOff;
        c.tsRecent = rx.sawTstamp ? rx.tsval : req.tsRecent;
        c.mssClamp = c.userMss != 0 ? Math.min(req.mss, c.userMss) : req.mss;
        int ourMss = advertiseMss(req.irRmtAddr, req.irLocAddr, lsk.skBoundDevIf);
        c.advmss = c.userMss != 0 ? Math.min(ourMss, c.userMss) : ourMss;
        c.mssCache = Math.min(c.advmss, c.mssClamp) - (req.tstampOk ? 12 : 0);
        c.rcvWnd = req.rcvWnd != 0 ? req.rcvWnd : initialWindow(c, Math.max(c.mssCache, 1));
        c.sndWnd = window << c.sndWscale;
        c.sndWl1 = req.rcvIsn;
        c.maxWindow = c.sndWnd;
        c.icskRto = TCP_TIMEOUT_INIT;
        c.icskRetransmitTimer = kernel.timerSetup(t -> retransmitTimer(c));
        if (req.numRetrans == 0 && req.synackTxNs != 0) {
            rttEstimator(c, (int) Math.max(1, (kernel.ktimeGetNs() - req.synackTxNs) / 1000));
            c.icskRto = rtoNs(c);
        }
        c.establishedNs = kernel.ktimeGetNs();
        c.skState = TCP_ESTABLISHED;
        currEstab.inc();
        passiveOpens.inc();
        initTransfer(c);
        if (lsk.sockKeepopen) {
            c.sockKeepopen = false;
            keepalive(c, true);
            c.sockKeepopen = true;
        }
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
    /**
     * {@code secure_tcp_seq}: a keyed hash of the 4-tuple plus the clock in 64 ns ticks
     * ({@code seq_scale}), so a new incarnation of a connection starts above the old one
     * (RFC 6528; the kernel's hash is siphash, the model's jhash).
     */
    private int secureTcpSeq(int saddr, int daddr, int sport, int dport) {
        return jhash3words(saddr, daddr, (sport << 16) | dport, isnSecret) + (int) (kernel.ktimeGetNs() >>> 6);
    }

    /** {@code secure_tcp_ts_off}: the TSval offset of an address pair, recomputable (SYN cookies check it). */
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
        int ws = initialWscale(lsk);
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
        int ourMss = Math.min(synackMss(lsk, saddr, daddr), 0xffff);
        int mssNoTs = ourMss - (ts ? 12 : 0);
        transmit(lsk, daddr, saddr, dport, sport, isn, seq + 1, SYN | ACK, initialWindow(lsk, Math.max(mssNoTs, 1)), ourMss,
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
                req.rcvWscale = Math.max(initialWscale(lsk), 0);
            }
        }
        // tcp_get_cookie_sock → tcp_v4_syn_recv_sock
        if (lsk.skAcceptqIsFull()) {
            listenOverflows.inc();
            listenDrops.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            return true;
        }
        TcpSock child = createOpenreqChild(lsk, req, ackSeq, window);
        ehashInsert(child);
        child.parent = lsk;
        lsk.icskAcceptQueue.add(child);
        kernel.consumeSkb(skb);
        lsk.skDataReady.call(lsk);
        return true;
    }

    // ---- connected sockets: tcp_rcv_state_process, tcp_rcv_established -------------------------

    static int cbSeq(SkBuff skb) {
        return (int) skb.cb0;
    }

    static int cbEndSeq(SkBuff skb) {
        return (int) (skb.cb0 >>> 32);
    }

    static void cbSetSeq(SkBuff skb, int seq, int endSeq) {
        skb.cb0 = (seq & 0xffffffffL) | ((long) endSeq << 32);
    }

    /** {@code TCP_SKB_CB(skb)->tcp_flags} of a queued segment (FIN, PSH). */
    static int cbFlags(SkBuff skb) {
        return (int) skb.cb1 & 0xff;
    }

    /** {@code TCP_SKB_CB(skb)->sacked}: {@link #TCPCB_RETRANS}, {@link #TCPCB_LOST}, {@link #TCPCB_EVER_RETRANS}. */
    static int cbSacked(SkBuff skb) {
        return (int) (skb.cb1 >>> 8) & 0xff;
    }

    static void cbSet(SkBuff skb, int flags, int sacked) {
        skb.cb1 = (flags & 0xff) | ((long) (sacked & 0xff) << 8);
    }

    static final int TCPCB_SACKED_ACKED = 0x01;
    static final int TCPCB_RETRANS = 0x02;
    static final int TCPCB_LOST = 0x04;
    static final int TCPCB_EVER_RETRANS = 0x80;

    /**
     * {@code tcp_rcv_state_process} and {@code tcp_rcv_established} for a socket past LISTEN:
     * {@code tcp_validate_incoming} (PAWS, {@code tcp_sequence}, RFC 5961 RST and SYN checks with
     * challenge ACKs), the ACK ({@code tcp_ack}) and the state changes it brings (SYN-RECV →
     * ESTABLISHED, FIN-WAIT-1 → FIN-WAIT-2, CLOSING → TIME-WAIT, LAST-ACK → CLOSE), then the data
     * and FIN ({@code tcp_data_queue}), then pending data and the ACK ({@code tcp_data_snd_check},
     * {@code tcp_ack_snd_check}).
     */
    private void rcvStateProcess(TcpSock sk, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq, int ackSeq,
            int flags, int window, int dataLen) {
        if (sk.skState == TCP_SYN_SENT) {
            synSentRcv(sk, skb, saddr, daddr, sport, dport, seq, ackSeq, flags, window, dataLen);
            return;
        }
        sk.segsIn++;
        if (dataLen > 0) {
            sk.dataSegsIn++;
        }
        int endSeq = seq + dataLen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
        // RFC 7323 H1: PAWS first
        if (rx.sawTstamp && sk.tstampOk && sk.tsRecentStamp && rx.tsval - sk.tsRecent < -1
                && !disorderedAckOk(sk, seq, endSeq, ackSeq, flags, window)) {
            if ((flags & RST) == 0) {
                if ((flags & SYN) != 0) {
                    synChallenge(sk, skb);
                    return;
                }
                if ((flags & ACK) != 0 && seq == endSeq && before(seq, sk.rcvNxt)) {
                    pawsOldAck.inc();
                    kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RFC7323_PAWS_ACK);
                    return;
                }
                pawsEstab.inc();
                if (!oowRateLimited(sk)) {
                    sendDupack(sk, seq, endSeq);
                }
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RFC7323_PAWS);
                return;
            }
        }
        // step 1: tcp_sequence
        SkbDropReason bad = tcpSequence(sk, seq, endSeq);
        if (bad != null) {
            if ((flags & RST) == 0) {
                if ((flags & SYN) != 0) {
                    synChallenge(sk, skb);
                    return;
                }
                if (bad == SkbDropReason.TCP_INVALID_SEQUENCE) {
                    beyondWindow.inc();
                }
                if (!oowRateLimited(sk)) {
                    sendDupack(sk, seq, endSeq);
                }
            } else if (resetCheck(sk, seq)) {
                tcpReset(sk);
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
                return;
            }
            kernel.kfreeSkbReason(skb, bad);
            return;
        }
        // step 2: RST (RFC 5961 3.2: exactly rcv_nxt resets, elsewhere in the window a challenge ACK)
        if ((flags & RST) != 0) {
            if (seq == sk.rcvNxt || resetCheck(sk, seq)) {
                tcpReset(sk);
            } else {
                sendChallengeAck(sk);
            }
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
            return;
        }
        // step 4: SYN (RFC 5961 4.2)
        if ((flags & SYN) != 0) {
            if (!(sk.skState == TCP_SYN_RECV && (flags & ACK) != 0 && seq + 1 == sk.rcvNxt && ackSeq == sk.sndNxt)) {
                synChallenge(sk, skb);
                return;
            }
        }
        if ((flags & ACK) == 0) {
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_FLAGS);
            return;
        }
        // tcp_replace_ts_recent
        if (rx.sawTstamp && sk.tstampOk && !after(seq, sk.rcvWup)) {
            sk.tsRecent = rx.tsval;
            sk.tsRecentStamp = true;
        }
        if (sk.skState == TCP_SYN_RECV) {
            // simultaneous open: our SYN-ACK acknowledged
            if (before(ackSeq, sk.sndUna) || after(ackSeq, sk.sndNxt) || ackSeq == sk.sndUna) {
                sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_INVALID_ACK_SEQUENCE);
                return;
            }
            sk.icskRetransmitTimer.del();
            sk.icskPending = 0;
            sk.icskRetransmits = 0;
            sk.sndUna = ackSeq;
            sk.sndWnd = window << sk.sndWscale;
            sk.sndWl1 = seq;
            sk.establishedNs = kernel.ktimeGetNs();
            setState(sk, TCP_ESTABLISHED);
            initTransfer(sk);
            sk.skWq.wakeUp();
        }
        int ackResult = tcpAck(sk, seq, ackSeq, flags, window, dataLen);
        if (ackResult < 0) {
            if (sk.skState != TCP_ESTABLISHED) {
                sendChallengeAck(sk);
            }
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_ACK_UNSENT_DATA);
            return;
        }
        boolean finAcked = sk.sndUna == sk.writeSeq && sk.skWriteQueue.isEmpty() && sk.rtxQueue.isEmpty();
        switch (sk.skState) {
            case TCP_FIN_WAIT1 -> {
                if (finAcked) {
                    setState(sk, TCP_FIN_WAIT2);
                    sk.skShutdown |= SEND_SHUTDOWN;
                    if (!sk.sockDead) {
                        sk.skWq.wakeUp(); // sk_state_change
                    } else {
                        long tmo = finTime(sk);
                        if (sk.linger2Ns < 0) {
                            tcpDone(sk);
                            abortOnLinger.inc();
                            sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
                            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_CLOSE);
                            return;
                        }
                        if (dataLen > 0 && after(endSeq - ((flags & FIN) != 0 ? 1 : 0), sk.rcvNxt)) {
                            // data after close(): tcp_reset via "return 1"
                            tcpDone(sk);
                            abortOnData.inc();
                            sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
                            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_ABORT_ON_DATA);
                            return;
                        }
                        if (tmo > TCP_TIMEWAIT_LEN) {
                            sk.skTimer.mod(kernel.ktimeGetNs() + tmo - TCP_TIMEWAIT_LEN);
                        } else if ((flags & FIN) != 0) {
                            sk.skTimer.mod(kernel.ktimeGetNs() + tmo);
                        } else {
                            timeWait(sk, TCP_FIN_WAIT2, tmo);
                            kernel.consumeSkb(skb);
                            return;
                        }
                    }
                }
            }
            case TCP_CLOSING -> {
                if (finAcked) {
                    timeWait(sk, TCP_TIME_WAIT, 0);
                    kernel.consumeSkb(skb);
                    return;
                }
            }
            case TCP_LAST_ACK -> {
                if (finAcked) {
                    tcpDone(sk);
                    kernel.consumeSkb(skb);
                    return;
                }
            }
            default -> {
            }
        }
        // step 7: the segment text
        switch (sk.skState) {
            case TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK -> {
                if (!before(seq, sk.rcvNxt)) {
                    kernel.consumeSkb(skb); // the peer's FIN came first: later data is ignored
                    skb = null;
                }
            }
            case TCP_FIN_WAIT1, TCP_FIN_WAIT2 -> {
                if ((sk.skShutdown & RCV_SHUTDOWN) != 0 && dataLen > 0
                        && after(endSeq - ((flags & FIN) != 0 ? 1 : 0), sk.rcvNxt)) {
                    abortOnData.inc();
                    sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
                    tcpReset(sk);
                    kernel.kfreeSkbReason(skb, SkbDropReason.TCP_ABORT_ON_DATA);
                    return;
                }
            }
            default -> {
            }
        }
        if (skb != null) {
            dataQueue(sk, skb, seq, endSeq, flags, dataLen);
        }
        if (sk.skState != TCP_CLOSE && sk.skState != TCP_TIME_WAIT) {
            writeXmit(sk, sk.nonagle);
            ackSndCheck(sk);
        }
    }

    /** {@code tcp_disordered_ack_check}: a duplicate pure ACK that only fails PAWS by reordering is let through. */
    private boolean disorderedAckOk(TcpSock sk, int seq, int endSeq, int ack, int flags, int window) {
        return (flags & ACK) != 0 && seq == endSeq && seq == sk.rcvNxt && ack == sk.sndUna
                && !mayUpdateWindow(sk, ack, seq, window << sk.sndWscale);
    }

    /** {@code tcp_sequence}: null when the segment overlaps the receive window, else why not. */
    private static SkbDropReason tcpSequence(TcpSock sk, int seq, int endSeq) {
        if (before(endSeq, sk.rcvWup)) {
            return SkbDropReason.TCP_OLD_SEQUENCE;
        }
        int right = sk.rcvNxt + receiveWindow(sk);
        if (after(endSeq, right)) {
            if (after(seq, right)) {
                return SkbDropReason.TCP_INVALID_SEQUENCE;
            }
            if (!sk.skReceiveQueue.isEmpty()) {
                return SkbDropReason.TCP_INVALID_SEQUENCE; // TCP_INVALID_END_SEQUENCE
            }
        }
        return null;
    }

    /** {@code tcp_reset_check}: an RST at {@code rcv_nxt - 1} after the peer's FIN. */
    private static boolean resetCheck(TcpSock sk, int seq) {
        return seq == sk.rcvNxt - 1
                && (sk.skState == TCP_CLOSE_WAIT || sk.skState == TCP_LAST_ACK || sk.skState == TCP_CLOSING);
    }

    private void synChallenge(TcpSock sk, SkBuff skb) {
        synChallenge.inc();
        sendChallengeAck(sk);
        kernel.kfreeSkbReason(skb, SkbDropReason.TCP_INVALID_SYN);
    }

    /** {@code tcp_oow_rate_limited}: one out-of-window ACK per {@code tcp_invalid_ratelimit} ms per socket. */
    private boolean oowRateLimited(TcpSock sk) {
        long now = kernel.ktimeGetNs();
        long limitNs = (long) sysctl("net.ipv4.tcp_invalid_ratelimit") * 1_000_000L;
        if (now - sk.lastOowAckNs < limitNs) {
            return true;
        }
        sk.lastOowAckNs = now;
        return false;
    }

    /** {@code tcp_send_challenge_ack}: counted {@code TCPChallengeACK}, rate-limited per socket. */
    private void sendChallengeAck(TcpSock sk) {
        if (oowRateLimited(sk)) {
            return;
        }
        challengeAck.inc();
        sendAck(sk);
    }

    /** {@code tcp_send_dupack}: a duplicate of old data also puts the receiver in quickack mode ({@code DelayedACKLost}). */
    private void sendDupack(TcpSock sk, int seq, int endSeq) {
        if (endSeq != seq && before(seq, sk.rcvNxt)) {
            delayedAckLost.inc();
            enterQuickackMode(sk);
            dsackSet(sk, seq, after(endSeq, sk.rcvNxt) ? sk.rcvNxt : endSeq);
        }
        sendAck(sk);
    }

    // ---- tcp_ack --------------------------------------------------------------------------------

    /** {@code tcp_may_update_window}. */
    private static boolean mayUpdateWindow(TcpSock sk, int ack, int ackSeq, int nwin) {
        return after(ack, sk.sndUna) || after(ackSeq, sk.sndWl1) || (ackSeq == sk.sndWl1 && (nwin > sk.sndWnd || nwin == 0));
    }

    /**
     * {@code tcp_ack}: an ACK of unsent data is refused (-1), an old one ignored (0); otherwise the
     * send window ({@code tcp_ack_update_window}), the retransmit queue ({@code tcp_clean_rtx_queue}
     * with the RTT sample), duplicate ACKs and recovery ({@code tcp_fastretrans_alert}, NewReno),
     * the congestion window (Reno: {@code tcp_slow_start}, {@code tcp_cong_avoid_ai}) and the
     * retransmit timer.
     */
    private int tcpAck(TcpSock sk, int seq, int ack, int flags, int window, int dataLen) {
        int priorSndUna = sk.sndUna;
        if (before(ack, priorSndUna)) {
            if (before(ack, priorSndUna - sk.maxWindow)) {
                return -1; // TCP_TOO_OLD_ACK
            }
            return 0;
        }
        if (after(ack, sk.sndNxt)) {
            return -1;
        }
        long now = kernel.ktimeGetNs();
        int nwin = window << sk.sndWscale;
        boolean windowUpdate = false;
        if (mayUpdateWindow(sk, ack, seq, nwin)) {
            windowUpdate = sk.sndWnd != nwin;
            sk.sndWl1 = seq;
            sk.sndWnd = nwin;
            if (nwin > sk.maxWindow) {
                sk.maxWindow = nwin;
            }
        }
        sk.icskProbesOut = 0;
        sk.rcvTstampNs = now;
        sk.lastAckRecvNs = now;
        int priorPackets = sk.packetsOut;
        if (priorPackets == 0 && sk.skWriteQueue.isEmpty()) {
            return 1;
        }
        int newlySacked = rx.numSacks > 0 && sk.sackOk ? sacktag(sk, ack) : 0;
        int acked = 0;
        if (after(ack, priorSndUna)) {
            sk.icskRetransmits = 0;
            sk.bytesAcked += ack - priorSndUna;
            sk.sndUna = ack;
            acked = cleanRtxQueue(sk, ack, now);
            if (!sk.sackOk && acked > 0) {
                // tcp_remove_reno_sacks: the duplicates the cumulative ACK accounts for
                sk.sackedOut = acked - 1 >= sk.sackedOut ? 0 : sk.sackedOut - (acked - 1);
            }
        } else if (!sk.sackOk && dataLen == 0 && (flags & FIN) == 0 && !windowUpdate && priorPackets > 0) {
            // a duplicate ACK of a flow without SACK (tcp_add_reno_sack, tcp_limit_reno_sacked)
            sk.sackedOut = Math.min(sk.sackedOut + 1, Math.max(sk.packetsOut - sk.lostOut, 0));
            newlySacked = 1;
        }
        int newlyLost = fastretransAlert(sk, acked, newlySacked);
        // tcp_cong_control: PRR while the window is being reduced, else growth (in Loss too)
        if (sk.icskCaState == TCP_CA_RECOVERY || sk.icskCaState == TCP_CA_CWR) {
            cwndReduction(sk, acked + newlySacked, newlyLost, after(ack, priorSndUna));
        } else if (acked > 0) {
            sk.caOps.congAvoid(sk, ack, acked); // tcp_cong_avoid
        }
        // tcp_xmit_recovery
        if (sk.icskCaState == TCP_CA_RECOVERY || sk.icskCaState == TCP_CA_LOSS) {
            xmitRetransmitQueue(sk);
        }
        if (sk.tlpHighSeq != 0) {
            processTlpAck(sk, ack, acked > 0 || after(ack, priorSndUna));
        }
        // tcp_set_xmit_timer: a loss probe, else the RTO, after an ACK of new data
        if (sk.packetsOut > 0) {
            if (sk.icskPending != ICSK_TIME_REO_TIMEOUT
                    && (acked > 0 || (sk.icskPending != ICSK_TIME_RETRANS && sk.icskPending != ICSK_TIME_LOSS_PROBE))) {
                if (!scheduleLossProbe(sk, true)) {
                    rearmRto(sk);
                }
            }
        } else if (sk.icskPending == ICSK_TIME_RETRANS || sk.icskPending == ICSK_TIME_LOSS_PROBE
                || sk.icskPending == ICSK_TIME_REO_TIMEOUT) {
            sk.icskRetransmitTimer.del();
            sk.icskPending = 0;
        }
        if (sk.packetsOut == 0 && !sk.skWriteQueue.isEmpty() && sk.icskPending == ICSK_TIME_PROBE0
                && !after(cbEndSeq(sk.skWriteQueue.peek()), sk.sndUna + sk.sndWnd)) {
            sk.icskRetransmitTimer.del(); // tcp_ack_probe: the window opened
            sk.icskPending = 0;
            sk.icskBackoff = 0;
        }
        return 1;
    }

    /**
     * {@code tcp_clean_rtx_queue}: frees the segments {@code ack} covers (a partly acknowledged
     * head is trimmed, {@code tcp_trim_head}); the RTT of the first never-retransmitted one
     * (Karn), or from the timestamp echo, feeds {@code tcp_rtt_estimator}. Wakes a writer waiting
     * for space ({@code tcp_check_space}).
     *
     * @return segments fully acknowledged
     */
    private int cleanRtxQueue(TcpSock sk, int ack, long now) {
        int acked = 0;
        long seqRttNs = -1;
        long caRttNs = -1;
        boolean everRetrans = false;
        SkBuff skb;
        while ((skb = sk.rtxQueue.peek()) != null) {
            int seq = cbSeq(skb);
            int end = cbEndSeq(skb);
            if (after(end, ack)) {
                if (after(ack, seq) && skb.len() > 0) {
                    int n = Math.min(ack - seq, skb.len());
                    skb.pull(n);
                    cbSetSeq(skb, seq + n, end);
                }
                break;
            }
            int sacked = cbSacked(skb);
            if ((sacked & TCPCB_SACKED_ACKED) != 0) {
                sk.sackedOut--;
            }
            if ((sacked & TCPCB_RETRANS) != 0) {
                sk.retransOut--;
            }
            if ((sacked & TCPCB_LOST) != 0) {
                sk.lostOut--;
            }
            if ((sacked & TCPCB_EVER_RETRANS) != 0) {
                everRetrans = true;
            } else {
                if (seqRttNs < 0) {
                    seqRttNs = now - skb.cb2;
                }
                caRttNs = now - skb.cb2;
            }
            if (sk.sackOk && (sacked & TCPCB_SACKED_ACKED) == 0) {
                rackAdvance(sk, skb, now);
            }
            sk.packetsOut--;
            acked++;
            sk.rtxQueue.unlink(skb);
            sk.skWmemQueued -= skb.truesize();
            kernel.consumeSkb(skb);
        }
        if (acked > 0) {
            sk.dataRetransStampNs = 0;
            if (seqRttNs < 0 && everRetrans && rx.sawTstamp && sk.tstampOk && rx.tsecr != 0) {
                seqRttNs = (long) (tcpClockMs() + sk.tsOffset - rx.tsecr) * 1_000_000L;
                caRttNs = seqRttNs;
            }
            sk.caOps.pktsAcked(sk, acked, caRttNs < 0 ? -1 : Math.max(1, caRttNs / 1000));
            if (seqRttNs >= 0) {
                rttEstimator(sk, (int) Math.max(1, seqRttNs / 1000));
                sk.icskRto = rtoNs(sk);
                sk.icskBackoff = 0;
            }
            checkSpace(sk);
        }
        return acked;
    }

    /** {@code tcp_check_space} → {@code tcp_new_space}: a writer that found the buffer full is woken once a third is free. */
    private static void checkSpace(TcpSock sk) {
        if (sk.sockNospace && streamWspace(sk) >= (sk.skWmemQueued >> 1)) {
            sk.sockNospace = false;
            sk.skWq.wakeUp();
        }
    }

    private static int streamWspace(TcpSock sk) {
        return sk.skSndbuf - sk.skWmemQueued;
    }

    /** {@code tcp_rtt_estimator} (Jacobson/Karels with Linux's {@code mdev_max}), then {@code tcp_set_rto}'s inputs. */
    private static void rttEstimator(TcpSock sk, int mrtt) {
        long m = mrtt;
        int rtoMinUs = (int) (TCP_RTO_MIN / 1000);
        if (sk.srttUs != 0) {
            long srtt = sk.srttUs;
            m -= srtt >> 3;
            srtt += m;
            if (m < 0) {
                m = -m;
                m -= sk.mdevUs >> 2;
                if (m > 0) {
                    m >>= 3;
                }
            } else {
                m -= sk.mdevUs >> 2;
            }
            sk.mdevUs += (int) m;
            if (sk.mdevUs > sk.mdevMaxUs) {
                sk.mdevMaxUs = sk.mdevUs;
                if (sk.mdevMaxUs > sk.rttvarUs) {
                    sk.rttvarUs = sk.mdevMaxUs;
                }
            }
            if (after(sk.sndUna, sk.rttSeq)) {
                if (sk.mdevMaxUs < sk.rttvarUs) {
                    sk.rttvarUs -= (sk.rttvarUs - sk.mdevMaxUs) >> 2;
                }
                sk.rttSeq = sk.sndNxt;
                sk.mdevMaxUs = rtoMinUs;
            }
            sk.srttUs = (int) Math.max(1, srtt);
        } else {
            sk.srttUs = (int) Math.max(1, m << 3);
            sk.mdevUs = (int) (m << 1);
            sk.rttvarUs = Math.max(sk.mdevUs, rtoMinUs);
            sk.mdevMaxUs = sk.rttvarUs;
            sk.rttSeq = sk.sndNxt;
        }
        sk.minRttUs = Math.min(sk.minRttUs, mrtt);
    }

    /** {@code __tcp_set_rto}: {@code srtt + rttvar}, within {@code TCP_RTO_MAX}; 1 s before any sample. */
    private static long rtoNs(TcpSock sk) {
        if (sk.srttUs == 0) {
            return sk.icskRto != 0 ? sk.icskRto : TCP_TIMEOUT_INIT;
        }
        long us = (sk.srttUs >> 3) + (long) sk.rttvarUs;
        return Math.min(us * 1000L, TCP_RTO_MAX);
    }

    /**
     * {@code tcp_sacktag_write_queue}: the segments the SACK blocks of this ACK cover are marked
     * SACKed ({@code sacked_out}; no longer lost or in flight as retransmissions). A first block
     * below the ACK, or inside the second, is a D-SACK and marks nothing ({@code tcp_check_dsack}).
     *
     * @return the segments newly SACKed
     */
    private int sacktag(TcpSock sk, int ack) {
        int newly = 0;
        for (int i = 0; i < rx.numSacks; i++) {
            int start = rx.sackStart[i];
            int end = rx.sackEnd[i];
            if (i == 0 && (!after(end, ack) || (rx.numSacks > 1 && !before(start, rx.sackStart[1])
                    && !after(end, rx.sackEnd[1])))) {
                continue; // D-SACK
            }
            if (!before(start, end) || !after(end, ack) || after(end, sk.sndNxt)) {
                continue; // old or bogus
            }
            for (SkBuff s = sk.rtxQueue.peek(); s != null; s = sk.rtxQueue.next(s)) {
                int sacked = cbSacked(s);
                if ((sacked & TCPCB_SACKED_ACKED) != 0 || before(cbSeq(s), start) || after(cbEndSeq(s), end)) {
                    continue;
                }
                if ((sacked & TCPCB_RETRANS) != 0) {
                    sk.retransOut--;
                }
                if ((sacked & TCPCB_LOST) != 0) {
                    sk.lostOut--;
                }
                cbSet(s, cbFlags(s), (sacked & TCPCB_EVER_RETRANS) | TCPCB_SACKED_ACKED);
                sk.sackedOut++;
                newly++;
                rackAdvance(sk, s, kernel.ktimeGetNs());
            }
        }
        return newly;
    }

    /**
     * {@code tcp_rack_advance}: a segment was delivered (SACKed or acknowledged); RACK remembers
     * the latest transmission known delivered and its RTT. A retransmission acknowledged sooner
     * than the minimum RTT may be the original's ACK, and does not count.
     */
    private void rackAdvance(TcpSock sk, SkBuff skb, long now) {
        long xmit = skb.cb2;
        long rttUs = (now - xmit) / 1000;
        if ((cbSacked(skb) & TCPCB_EVER_RETRANS) != 0 && sk.minRttUs != Integer.MAX_VALUE && rttUs < sk.minRttUs) {
            return;
        }
        if (rackSentAfter(xmit, sk.rackMstampNs, cbEndSeq(skb), sk.rackEndSeq)) {
            sk.rackRttUs = (int) Math.min(rttUs, Integer.MAX_VALUE);
            sk.rackMstampNs = xmit;
            sk.rackEndSeq = cbEndSeq(skb);
            sk.rackAdvanced = true;
        }
    }

    /** {@code tcp_rack_sent_after}. */
    private static boolean rackSentAfter(long t1, long t2, int seq1, int seq2) {
        return t1 > t2 || (t1 == t2 && after(seq1, seq2));
    }

    /**
     * {@code tcp_rack_detect_loss} (RFC 8985): a segment not delivered that was sent before the
     * latest delivered one is lost once {@code rack.rtt + reo_wnd} has passed since it was sent;
     * {@code reo_wnd} is 0 in Recovery or with {@code tcp_reordering} SACKed segments, else a
     * quarter of the minimum RTT (at most the smoothed RTT). A segment not yet due arms the
     * reordering timer.
     *
     * @return how many were newly marked lost
     */
    private int rackDetectLoss(TcpSock sk) {
        if (sk.rackMstampNs == 0) {
            return 0;
        }
        long now = kernel.ktimeGetNs();
        long reoWndUs = sk.icskCaState >= TCP_CA_RECOVERY || sk.sackedOut >= sysctl("net.ipv4.tcp_reordering") ? 0
                : Math.min((sk.minRttUs == Integer.MAX_VALUE ? 0 : sk.minRttUs) >> 2, sk.srttUs >> 3);
        long reoTimeout = 0;
        int marked = 0;
        for (SkBuff s = sk.rtxQueue.peek(); s != null; s = sk.rtxQueue.next(s)) {
            int sacked = cbSacked(s);
            if ((sacked & TCPCB_SACKED_ACKED) != 0 || ((sacked & TCPCB_LOST) != 0 && (sacked & TCPCB_RETRANS) == 0)) {
                continue;
            }
            if (!rackSentAfter(sk.rackMstampNs, s.cb2, sk.rackEndSeq, cbEndSeq(s))) {
                if ((sacked & TCPCB_EVER_RETRANS) != 0) {
                    continue;
                }
                break; // in sequence order, later segments never retransmitted were sent later still
            }
            long remaining = (sk.rackRttUs + reoWndUs) * 1000L - (now - s.cb2);
            if (remaining <= 0) {
                // tcp_mark_skb_lost: a lost retransmission is in flight no more
                if ((sacked & TCPCB_RETRANS) != 0) {
                    sk.retransOut--;
                }
                cbSet(s, cbFlags(s), (sacked & ~TCPCB_RETRANS) | TCPCB_LOST);
                sk.lostOut++;
                marked++;
            } else {
                reoTimeout = Math.max(reoTimeout, remaining);
            }
        }
        if (reoTimeout > 0) {
            resetXmitTimer(sk, ICSK_TIME_REO_TIMEOUT, reoTimeout);
        }
        return marked;
    }

    /** {@code tcp_rack_reo_timeout}: the reordering window passed; what is still missing is lost. */
    private void rackReoTimeout(TcpSock sk) {
        int priorState = sk.icskCaState;
        if (rackDetectLoss(sk) > 0 && priorState < TCP_CA_RECOVERY && priorState != TCP_CA_LOSS) {
            enterRecovery(sk, sackRecovery);
        }
        xmitRetransmitQueue(sk);
        if (sk.icskPending != ICSK_TIME_RETRANS && sk.icskPending != ICSK_TIME_REO_TIMEOUT) {
            rearmRto(sk);
        }
    }

    /**
     * {@code tcp_fastretrans_alert}. With SACK: newly SACKed segments mark the holes under them
     * lost; the first loss enters Recovery ({@code TCPSackRecovery}, {@code ssthresh} from the
     * congestion control) and every lost segment is retransmitted as the window allows
     * ({@code TCPFastRetrans}). Without SACK, Reno: three duplicate ACKs ({@code tcp_reordering})
     * enter Recovery ({@code TCPRenoRecovery}) and retransmit the head; a partial ACK retransmits
     * the next hole (NewReno). An ACK at or past {@code high_seq} ends Recovery or Loss.
     */
    private int fastretransAlert(TcpSock sk, int acked, int newlySacked) {
        int state = sk.icskCaState;
        if ((state == TCP_CA_RECOVERY || state == TCP_CA_LOSS || state == TCP_CA_CWR) && !before(sk.sndUna, sk.highSeq)) {
            if (state != TCP_CA_LOSS) {
                sk.sndCwnd = Math.max(sk.sndSsthresh, 2); // tcp_end_cwnd_reduction
            }
            sk.icskCaState = TCP_CA_OPEN;
            state = TCP_CA_OPEN;
        }
        if (sk.sackOk) {
            // tcp_rack_mark_lost: only when RACK learned of a newer delivery, on a dubious ACK
            int lost = 0;
            if (sk.rackAdvanced && (state != TCP_CA_OPEN || newlySacked > 0)) {
                sk.rackAdvanced = false;
                lost = rackDetectLoss(sk);
            }
            if (state == TCP_CA_OPEN || state == TCP_CA_DISORDER || state == TCP_CA_CWR) {
                if (lost > 0) {
                    enterRecovery(sk, sackRecovery);
                } else {
                    sk.icskCaState = sk.sackedOut > 0 ? TCP_CA_DISORDER : state == TCP_CA_CWR ? TCP_CA_CWR : TCP_CA_OPEN;
                }
            }
            return lost;
        }
        if (state == TCP_CA_RECOVERY) {
            if (acked > 0 && !sk.rtxQueue.isEmpty()) {
                // NewReno partial ACK: the next segment is lost too
                return markHeadLost(sk);
            }
            return 0;
        }
        if (state == TCP_CA_LOSS) {
            return 0;
        }
        if (sk.sackedOut >= sysctl("net.ipv4.tcp_reordering") && sk.packetsOut > 0) {
            int lost = markHeadLost(sk);
            enterRecovery(sk, renoRecovery);
            return lost;
        }
        if (sk.sackedOut > 0) {
            sk.icskCaState = TCP_CA_DISORDER;
        } else if (state == TCP_CA_DISORDER && acked > 0) {
            sk.icskCaState = TCP_CA_OPEN;
        }
        return 0;
    }

    /**
     * {@code tcp_cwnd_reduction}: Proportional Rate Reduction (RFC 6937). In Recovery the window
     * lets out about {@code ssthresh / prior_cwnd} of what was delivered while more than
     * {@code ssthresh} is in flight, then slow-starts back up to {@code ssthresh}; the first
     * retransmission always goes.
     */
    private static void cwndReduction(TcpSock sk, int newlyAckedSacked, int newlyLost, boolean unaAdvanced) {
        if (newlyAckedSacked <= 0 || sk.priorCwnd == 0) {
            return;
        }
        int delta = sk.sndSsthresh - packetsInFlight(sk);
        sk.prrDelivered += newlyAckedSacked;
        int sndcnt;
        if (delta < 0) {
            long dividend = (long) sk.sndSsthresh * sk.prrDelivered + sk.priorCwnd - 1;
            sndcnt = (int) (dividend / sk.priorCwnd) - sk.prrOut;
        } else {
            sndcnt = Math.max(sk.prrDelivered - sk.prrOut, newlyAckedSacked);
            if (unaAdvanced && newlyLost == 0) {
                sndcnt++;
            }
            sndcnt = Math.min(delta, sndcnt);
        }
        sndcnt = Math.max(sndcnt, sk.prrOut != 0 ? 0 : 1);
        sk.sndCwnd = packetsInFlight(sk) + sndcnt;
    }

    /** {@code tcp_enter_recovery} with {@code tcp_init_cwnd_reduction}: the window drops to the new {@code ssthresh}. */
    private void enterRecovery(TcpSock sk, MibCounter counter) {
        counter.inc();
        sk.highSeq = sk.sndNxt;
        sk.tlpHighSeq = 0;
        sk.sndCwndCnt = 0;
        sk.priorCwnd = sk.sndCwnd;
        sk.prrDelivered = 0;
        sk.prrOut = 0;
        sk.sndSsthresh = sk.caOps.ssthresh(sk);
        sk.icskCaState = TCP_CA_RECOVERY;
    }

    /** {@code tcp_newreno_mark_lost}: the head is lost; returns 1 when newly marked. */
    private static int markHeadLost(TcpSock sk) {
        SkBuff head = sk.rtxQueue.peek();
        if (head != null && (cbSacked(head) & (TCPCB_LOST | TCPCB_RETRANS)) == 0) {
            cbSet(head, cbFlags(head), cbSacked(head) | TCPCB_LOST);
            sk.lostOut++;
            return 1;
        }
        return 0;
    }

    /** {@code tcp_packets_in_flight}: {@code packets_out - (sacked_out + lost_out) + retrans_out}. */
    private static int packetsInFlight(TcpSock sk) {
        return sk.packetsOut - sk.sackedOut - sk.lostOut + sk.retransOut;
    }

    /** {@code tcp_xmit_retransmit_queue}: retransmits the segments marked lost (not SACKed) while the congestion window allows. */
    private void xmitRetransmitQueue(TcpSock sk) {
        for (SkBuff s = sk.rtxQueue.peek(); s != null; s = sk.rtxQueue.next(s)) {
            int sacked = cbSacked(s);
            if ((sacked & TCPCB_LOST) == 0 || (sacked & (TCPCB_RETRANS | TCPCB_SACKED_ACKED)) != 0) {
                continue;
            }
            if (packetsInFlight(sk) >= sk.sndCwnd) {
                break;
            }
            (sk.icskCaState == TCP_CA_LOSS ? slowStartRetrans : fastRetrans).inc();
            retransmitSkb(sk, s);
        }
    }

    // ---- data in: tcp_data_queue, the out-of-order queue, delayed ACKs ---------------------------

    /**
     * {@code tcp_data_queue}: a segment at {@code rcv_nxt} goes to the receive queue (a full
     * receive buffer drops it, {@code TCPRcvQDrop}; a zero window too, {@code TCPZeroWindowDrop})
     * and pulls in what the out-of-order queue now continues; an old one is answered with an
     * immediate ACK; one beyond {@code rcv_nxt} waits in the out-of-order queue
     * ({@code TCPOFOQueue}) and is answered with a duplicate ACK carrying SACK blocks.
     */
    private void dataQueue(TcpSock sk, SkBuff skb, int seq, int endSeq, int flags, int dataLen) {
        int doff = (skb.getU8(skb.data() + 12) >>> 4) * 4;
        if (seq == endSeq) {
            kernel.consumeSkb(skb); // a pure ACK
            return;
        }
        skb.pull(doff);
        sk.icskAckPending |= ICSK_ACK_SCHED;
        if (seq == sk.rcvNxt) {
            if (receiveWindow(sk) == 0 && dataLen > 0) {
                zeroWindowDrop.inc();
                outOfWindow(sk, skb, SkbDropReason.TCP_ZEROWINDOW);
                return;
            }
            if (dataLen > 0 && !sk.skReceiveQueue.isEmpty() && sk.skRmemAlloc > sk.skRcvbuf) {
                rcvQDrop.inc();
                kernel.kfreeSkbReason(skb, SkbDropReason.PROTO_MEM);
                return;
            }
            queueRcv(sk, skb, seq, endSeq, flags, dataLen);
            if (!sk.ofoQueue.isEmpty()) {
                ofoQueue(sk);
                if (sk.ofoQueue.isEmpty()) {
                    sk.icskAckPending |= ICSK_ACK_NOW; // the hole is filled: tell the sender at once
                }
            }
            if (!sk.sockDead) {
                sk.skDataReady.call(sk);
            }
            return;
        }
        if (!after(endSeq, sk.rcvNxt)) {
            // a retransmission of what we have: ACK at once, with a D-SACK
            delayedAckLost.inc();
            dsackSet(sk, seq, endSeq);
            enterQuickackMode(sk);
            outOfWindow(sk, skb, SkbDropReason.TCP_OLD_DATA);
            return;
        }
        if (!before(seq, sk.rcvNxt + receiveWindow(sk))) {
            outOfWindow(sk, skb, SkbDropReason.TCP_OVERWINDOW);
            return;
        }
        if (before(seq, sk.rcvNxt)) {
            // partly old: D-SACK the old part, keep the new part
            dsackSet(sk, seq, sk.rcvNxt);
            skb.pull(sk.rcvNxt - seq);
            queueRcv(sk, skb, sk.rcvNxt, endSeq, flags, endSeq - sk.rcvNxt - ((flags & FIN) != 0 ? 1 : 0));
            if (!sk.sockDead) {
                sk.skDataReady.call(sk);
            }
            return;
        }
        dataQueueOfo(sk, skb, seq, endSeq, flags);
    }

    private void outOfWindow(TcpSock sk, SkBuff skb, SkbDropReason reason) {
        enterQuickackMode(sk);
        sk.icskAckPending |= ICSK_ACK_SCHED;
        kernel.kfreeSkbReason(skb, reason);
    }

    /** {@code tcp_queue_rcv} + {@code tcp_event_data_recv} + {@code tcp_fin}: the segment joins the receive queue. */
    private void queueRcv(TcpSock sk, SkBuff skb, int seq, int endSeq, int flags, int dataLen) {
        sk.rcvNxt = endSeq;
        if (dataLen > 0) {
            cbSetSeq(skb, seq, seq + dataLen);
            cbSet(skb, 0, 0);
            eventDataRecv(sk, skb, flags, dataLen);
            sk.bytesReceived += dataLen;
            sk.lastDataRecvNs = kernel.ktimeGetNs();
            sk.skbSetOwnerR(skb);
            sk.skReceiveQueue.queueTail(skb);
        } else {
            kernel.consumeSkb(skb);
        }
        if ((flags & FIN) != 0) {
            tcpFin(sk);
        }
    }

    /** {@code tcp_ofo_queue}: moves the segments {@code rcv_nxt} has reached from the out-of-order queue. */
    private void ofoQueue(TcpSock sk) {
        SkBuff skb;
        while ((skb = sk.ofoQueue.peek()) != null && !after(cbSeq(skb), sk.rcvNxt)) {
            sk.ofoQueue.unlink(skb);
            int seq = cbSeq(skb);
            int end = cbEndSeq(skb);
            int fl = cbFlags(skb);
            if (!after(end, sk.rcvNxt)) {
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_OFOMERGE);
                continue;
            }
            // the skb was charged while out of order: re-charge through queueRcv
            skb.orphan();
            if (before(seq, sk.rcvNxt)) {
                skb.pull(sk.rcvNxt - seq);
                seq = sk.rcvNxt;
            }
            queueRcv(sk, skb, seq, end, fl, end - seq - ((fl & FIN) != 0 ? 1 : 0));
        }
        sackRemove(sk);
    }

    /**
     * {@code tcp_data_queue_ofo}: the segment is kept in sequence order ({@code TCPOFOQueue}); one
     * the queue already covers is dropped ({@code TCPOFOMerge}); a full receive buffer drops it
     * ({@code TCPOFODrop}). The ACK goes out at once with SACK blocks.
     */
    private void dataQueueOfo(TcpSock sk, SkBuff skb, int seq, int endSeq, int flags) {
        if (sk.skRmemAlloc > sk.skRcvbuf) {
            ofoDrop.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_OFO_DROP);
            return;
        }
        ofoQueued.inc();
        sk.rcvOoopack++;
        cbSetSeq(skb, seq, endSeq);
        cbSet(skb, flags & FIN, 0);
        SkBuff after = null;
        for (SkBuff s = sk.ofoQueue.peekTail(); s != null; s = sk.ofoQueue.prev(s)) {
            if (!after(cbSeq(s), seq)) {
                if (!after(endSeq, cbEndSeq(s))) {
                    ofoMerge.inc();
                    kernel.kfreeSkbReason(skb, SkbDropReason.TCP_OFOMERGE);
                    dsackSet(sk, seq, endSeq);
                    if (sk.sackOk) {
                        sackNewOfoSkb(sk, seq, endSeq);
                    }
                    sk.icskAckPending |= ICSK_ACK_NOW;
                    return;
                }
                after = s;
                break;
            }
        }
        sk.skbSetOwnerR(skb);
        if (after == null) {
            sk.ofoQueue.queueHead(skb);
        } else {
            sk.ofoQueue.queueAfter(after, skb);
        }
        if (sk.sackOk) {
            sackNewOfoSkb(sk, seq, endSeq);
        }
        sk.icskAckPending |= ICSK_ACK_NOW;
    }

    /**
     * {@code tcp_fin}: the peer closed its side; reads end once the queue is drained. ESTABLISHED
     * → CLOSE-WAIT (pingpong: the ACK waits for a reply or the delayed-ACK timer), FIN-WAIT-1 →
     * CLOSING and FIN-WAIT-2 → TIME-WAIT with an immediate ACK.
     */
    private void tcpFin(TcpSock sk) {
        sk.icskAckPending |= ICSK_ACK_SCHED;
        sk.skShutdown |= RCV_SHUTDOWN;
        switch (sk.skState) {
            case TCP_SYN_RECV, TCP_ESTABLISHED -> {
                setState(sk, TCP_CLOSE_WAIT);
                sk.icskAckPingpong = Math.max(sk.icskAckPingpong, pingpongThresh());
            }
            case TCP_FIN_WAIT1 -> {
                sendAck(sk);
                setState(sk, TCP_CLOSING);
            }
            case TCP_FIN_WAIT2 -> {
                sendAck(sk);
                timeWait(sk, TCP_TIME_WAIT, 0);
                return;
            }
            default -> {
            }
        }
        purgeOfo(sk);
        if (!sk.sockDead) {
            sk.skWq.wakeUp(); // sk_state_change
        }
    }

    private void purgeOfo(TcpSock sk) {
        SkBuff skb;
        while ((skb = sk.ofoQueue.dequeue()) != null) {
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_OFO_DROP);
        }
        sk.numSacks = 0; // tcp_sack_reset
    }

    private int pingpongThresh() {
        return sysctl("net.ipv4.tcp_pingpong_thresh");
    }

    /**
     * {@code tcp_event_data_recv} with {@code tcp_measure_rcv_mss}: the receiver's MSS estimate
     * and {@code scaling_ratio}, the {@code ato} of the delayed-ACK engine (quickack after the
     * first segment and after a long gap), {@code tcp_grow_window}.
     */
    private void eventDataRecv(TcpSock sk, SkBuff skb, int flags, int len) {
        // tcp_measure_rcv_mss
        if (len >= sk.icskAckRcvMss) {
            if (len != sk.icskAckRcvMss && skb.truesize() > 0) {
                int ratio = (int) (((long) len << 8) / skb.truesize());
                sk.scalingRatio = Math.max(1, Math.min(ratio, 255));
            }
            sk.icskAckRcvMss = Math.min(len, sk.advmss);
            if ((flags & PSH) != 0) {
                sk.icskAckPending |= ICSK_ACK_PUSHED;
            }
        } else {
            if ((sk.icskAckPending & ICSK_ACK_PUSHED) != 0) {
                sk.icskAckPending |= ICSK_ACK_PUSHED2;
            }
            sk.icskAckPending |= ICSK_ACK_PUSHED;
        }
        long now = kernel.ktimeGetNs();
        if (sk.icskAckAtoNs == 0) {
            incrQuickack(sk);
            sk.icskAckAtoNs = TCP_ATO_MIN;
        } else {
            long m = now - sk.icskAckLrcvtimeNs;
            if (m <= TCP_ATO_MIN / 2) {
                sk.icskAckAtoNs = (sk.icskAckAtoNs >> 1) + TCP_ATO_MIN / 2;
            } else if (m < sk.icskAckAtoNs) {
                sk.icskAckAtoNs = Math.min((sk.icskAckAtoNs >> 1) + m, sk.icskRto);
            } else if (m > sk.icskRto) {
                incrQuickack(sk);
            }
        }
        sk.icskAckLrcvtimeNs = now;
        // tcp_grow_window
        if (len >= 128 && sk.rcvSsthresh < sk.windowClamp) {
            int room = Math.min(sk.windowClamp, tcpSpace(sk)) - sk.rcvSsthresh;
            if (room > 0) {
                sk.rcvSsthresh += Math.min(room, Math.max(2 * sk.advmss, 2 * len));
                sk.icskAckQuick |= 1;
            }
        }
    }

    /** {@code tcp_incr_quickack}: up to {@code rcv_wnd / (2 * rcv_mss)} immediate ACKs, at most 16. */
    private static void incrQuickack(TcpSock sk) {
        int quick = sk.rcvWnd / (2 * Math.max(sk.icskAckRcvMss, 1));
        if (quick == 0) {
            quick = 2;
        }
        quick = Math.min(quick, TCP_MAX_QUICKACKS);
        if (quick > sk.icskAckQuick) {
            sk.icskAckQuick = quick;
        }
    }

    /** {@code tcp_enter_quickack_mode}: quickacks, out of pingpong, {@code ato} back to the minimum. */
    private static void enterQuickackMode(TcpSock sk) {
        incrQuickack(sk);
        sk.icskAckPingpong = 0;
        sk.icskAckAtoNs = TCP_ATO_MIN;
    }

    private boolean inQuickackMode(TcpSock sk) {
        return sk.icskAckQuick > 0 && sk.icskAckPingpong < pingpongThresh();
    }

    /**
     * {@code __tcp_ack_snd_check}: ACK now after more than one full segment whose window moves
     * right, in quickack mode, or when asked to ({@code ICSK_ACK_NOW}: out-of-order data, a
     * filled hole); else the delayed-ACK timer.
     */
    private void ackSndCheck(TcpSock sk) {
        if ((sk.icskAckPending & ICSK_ACK_SCHED) == 0) {
            return;
        }
        if ((sk.rcvNxt - sk.rcvWup > sk.icskAckRcvMss && selectWindowRaw(sk) >= sk.rcvWnd) || inQuickackMode(sk)
                || (sk.icskAckPending & ICSK_ACK_NOW) != 0) {
            sendAck(sk);
            return;
        }
        sendDelayedAck(sk);
    }

    /**
     * {@code tcp_send_delayed_ack}: the timer at {@code ato}, bounded by 200 ms in pingpong or
     * after a push (else 500 ms) and by the RTT; an earlier pending deadline is kept, and one
     * about to expire sends the ACK now.
     */
    private void sendDelayedAck(TcpSock sk) {
        long ato = sk.icskAckAtoNs;
        if (ato > TCP_DELACK_MIN) {
            long maxAto = 500_000_000L;
            if (sk.icskAckPingpong >= pingpongThresh() || (sk.icskAckPending & ICSK_ACK_PUSHED) != 0) {
                maxAto = TCP_DELACK_MAX;
            }
            if (sk.srttUs != 0) {
                long rtt = Math.max((sk.srttUs >> 3) * 1000L, TCP_DELACK_MIN);
                maxAto = Math.min(maxAto, rtt);
            }
            ato = Math.min(ato, maxAto);
        }
        long now = kernel.ktimeGetNs();
        long timeout = now + ato;
        if ((sk.icskAckPending & ICSK_ACK_TIMER) != 0) {
            if (sk.icskAckTimeoutNs <= now + (ato >> 2)) {
                sendAck(sk);
                return;
            }
            if (timeout >= sk.icskAckTimeoutNs) {
                timeout = sk.icskAckTimeoutNs;
            }
        }
        sk.icskAckPending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
        sk.icskAckTimeoutNs = timeout;
        sk.icskDelackTimer.mod(timeout);
    }

    /** {@code tcp_delack_timer_handler}: the delayed ACK ({@code DelayedACKs}); missed in pingpong it leaves pingpong. */
    private void delackTimer(TcpSock sk) {
        if (sk.skState == TCP_CLOSE || sk.skState == TCP_LISTEN || (sk.icskAckPending & ICSK_ACK_TIMER) == 0) {
            return;
        }
        sk.icskAckPending &= ~ICSK_ACK_TIMER;
        if ((sk.icskAckPending & ICSK_ACK_SCHED) != 0) {
            if (sk.icskAckPingpong < pingpongThresh()) {
                sk.icskAckAtoNs = Math.min(sk.icskAckAtoNs << 1, sk.icskRto);
            } else {
                sk.icskAckPingpong = 0;
                sk.icskAckAtoNs = TCP_ATO_MIN;
            }
            delayedAcks.inc();
            sendAck(sk);
        }
    }

    /** {@code tcp_event_ack_sent}: any segment with our ACK clears the pending ACK and counts down quickacks. */
    private void eventAckSent(TcpSock sk) {
        if (sk.icskAckQuick > 0) {
            if (--sk.icskAckQuick == 0) {
                sk.icskAckAtoNs = TCP_ATO_MIN;
            }
        }
        if ((sk.icskAckPending & ICSK_ACK_TIMER) != 0) {
            sk.icskDelackTimer.del();
        }
        sk.icskAckPending = 0;
    }

    // ---- data out: tcp_sendmsg, tcp_write_xmit, retransmission ---------------------------------

    /** {@code tcp_current_mss}: the MSS less the options every segment carries. */
    private static int currentMss(TcpSock sk) {
        return Math.max(sk.mssCache, 1);
    }

    /**
     * {@code tcp_write_xmit}: sends the write queue's head segments while the congestion window
     * ({@code tcp_cwnd_test}), the peer's window ({@code tcp_snd_wnd_test}) and, for the last
     * one, Nagle ({@code tcp_nagle_test}: a partial segment waits while a small one is
     * unacknowledged, Minshall's variant, or while corked) allow; with nothing in flight and a
     * closed window, the zero-window probe timer ({@code tcp_check_probe_timer}).
     *
     * @param nonagle {@code tp->nonagle}, or {@code TCP_NAGLE_OFF} from {@code tcp_send_fin}
     */
    private void writeXmit(TcpSock sk, int nonagle) {
        if (sk.skWriteQueue.isEmpty()) {
            return;
        }
        int mss = currentMss(sk);
        boolean cwndLimited = false;
        int sent = 0;
        SkBuff skb;
        while ((skb = sk.skWriteQueue.peek()) != null) {
            if (packetsInFlight(sk) >= sk.sndCwnd) {
                cwndLimited = true;
                break;
            }
            if (after(cbEndSeq(skb), sk.sndUna + sk.sndWnd)) {
                break;
            }
            boolean last = sk.skWriteQueue.next(skb) == null;
            if (last && !nagleTest(sk, skb, mss, nonagle)) {
                break;
            }
            sendHead(sk, skb, mss);
            sent++;
        }
        if (sent > 0 || cwndLimited) {
            cwndValidate(sk, cwndLimited);
        }
        if (sent > 0) {
            scheduleLossProbe(sk, false); // one loss probe per tail loss episode
        }
        if (sk.packetsOut == 0 && !sk.skWriteQueue.isEmpty() && sk.icskPending == 0) {
            resetXmitTimer(sk, ICSK_TIME_PROBE0, probe0When(sk));
        }
    }

    /**
     * {@code tcp_slow_start_after_idle_check} → {@code tcp_cwnd_restart}: data after an idle
     * period longer than the RTO starts from at most the initial window again (halved once per
     * RTO of idleness, not below it), keeping {@code ssthresh} at 3/4 of the old window
     * ({@code tcp_current_ssthresh}); {@code net.ipv4.tcp_slow_start_after_idle}.
     */
    private void slowStartAfterIdleCheck(TcpSock sk) {
        if (sk.packetsOut != 0 || sk.lsndtimeNs == 0 || sysctl("net.ipv4.tcp_slow_start_after_idle") == 0) {
            return;
        }
        long delta = kernel.ktimeGetNs() - sk.lsndtimeNs;
        if (delta <= sk.icskRto) {
            return;
        }
        int cwnd = sk.sndCwnd;
        if (sk.icskCaState != TCP_CA_RECOVERY) {
            sk.sndSsthresh = Math.max(sk.sndSsthresh, (cwnd >> 1) + (cwnd >> 2));
        }
        int restart = Math.min(TCP_INIT_CWND, cwnd);
        while ((delta -= sk.icskRto) > 0 && cwnd > restart) {
            cwnd >>= 1;
        }
        sk.sndCwnd = Math.max(cwnd, restart);
    }

    /** {@code tcp_cwnd_validate}: remembers whether the window limited this flight, or the largest flight. */
    private static void cwndValidate(TcpSock sk, boolean cwndLimited) {
        if (!before(sk.sndUna, sk.cwndUsageSeq) || cwndLimited
                || (!sk.isCwndLimitedFlag && sk.packetsOut > sk.maxPacketsOut)) {
            sk.isCwndLimitedFlag = cwndLimited;
            sk.maxPacketsOut = sk.packetsOut;
            sk.cwndUsageSeq = sk.sndNxt;
        }
    }

    /** {@code tcp_nagle_test}: whether {@code skb} may go now. */
    private static boolean nagleTest(TcpSock sk, SkBuff skb, int mss, int nonagle) {
        if ((nonagle & TCP_NAGLE_PUSH) != 0 || (cbFlags(skb) & FIN) != 0 || skb.len() >= mss) {
            return true;
        }
        // tcp_nagle_check
        return !((nonagle & TCP_NAGLE_CORK) != 0 || (nonagle == 0 && sk.packetsOut > 0 && minshallCheck(sk)));
    }

    /** Sends the write queue's head {@code skb} and moves it to the retransmit queue ({@code tcp_event_new_data_sent}). */
    private void sendHead(TcpSock sk, SkBuff skb, int mss) {
        if (packetsInFlight(sk) == 0) {
            sk.caOps.cwndEvent(sk, TcpCongestionOps.CA_EVENT_TX_START); // tcp_event_data_sent
        }
        sk.skWriteQueue.unlink(skb);
        sk.rtxQueue.queueTail(skb);
        sk.sndNxt = cbEndSeq(skb);
        sk.packetsOut++;
        if (skb.len() < mss) {
            sk.sndSml = cbEndSeq(skb);
        }
        boolean wasIdle = sk.packetsOut == 1;
        transmitData(sk, skb);
        // tcp_event_new_data_sent
        if (wasIdle || sk.icskPending == ICSK_TIME_LOSS_PROBE || sk.icskPending == 0) {
            rearmRto(sk);
        }
    }

    /**
     * {@code tcp_fragment} in the write queue: {@code skb} keeps its first {@code len} bytes, a
     * new segment after it takes the rest (and the FIN).
     */
    private void fragment(TcpSock sk, SkBuff skb, int len) {
        int rest = skb.len() - len;
        SkBuff tail = kernel.allocSkb(Math.max(rest, 1));
        int at = tail.put(rest);
        tail.putBytes(at, skb.head(), skb.data() + len, rest);
        int seq = cbSeq(skb);
        cbSetSeq(tail, seq + len, cbEndSeq(skb));
        cbSet(tail, cbFlags(skb), 0);
        skb.trim(len);
        cbSetSeq(skb, seq, seq + len);
        cbSet(skb, cbFlags(skb) & ~FIN, cbSacked(skb));
        sk.skWriteQueue.queueAfter(skb, tail);
        sk.skWmemQueued += tail.truesize();
    }

    /** {@code tcp_minshall_check}: a small segment is still unacknowledged. */
    private static boolean minshallCheck(TcpSock sk) {
        return after(sk.sndSml, sk.sndUna) && !after(sk.sndSml, sk.sndNxt);
    }

    /**
     * Sends queued segment {@code skb} (a copy; the queue keeps it): ACK, PSH when marked, FIN
     * when it carries our FIN; {@code tcp_event_data_sent} (pingpong detection) and the
     * {@code tcp_info} counters.
     */
    private void transmitData(TcpSock sk, SkBuff skb) {
        long now = kernel.ktimeGetNs();
        int seq = cbSeq(skb);
        int len = skb.len();
        int fl = ACK | (cbFlags(skb) & (FIN | PSH));
        establishedOptions(sk);
        int win = tcpSelectWindow(sk);
        skb.cb2 = now; // skb_mstamp_ns: the last transmission; RTT samples skip retransmitted ones (Karn)
        sk.segsOut++;
        if (sk.icskCaState == TCP_CA_RECOVERY || sk.icskCaState == TCP_CA_CWR) {
            sk.prrOut++;
        }
        if (len > 0) {
            sk.dataSegsOut++;
            sk.bytesSent += len;
            sk.lastDataSentNs = now;
            if (now - sk.icskAckLrcvtimeNs < sk.icskAckAtoNs) {
                sk.icskAckPingpong = Math.min(sk.icskAckPingpong + 1, 255); // inet_csk_inc_pingpong_cnt
            }
            sk.lsndtimeNs = now;
        }
        xmit(sk, sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport, seq, sk.rcvNxt, fl, win, sk.tos,
                sk.skBoundDevIf, sk.skMark, skb, 0, len);
        eventAckSent(sk);
    }

    /** {@code __tcp_retransmit_skb}: counts {@code TcpRetransSegs}, marks the segment retransmitted. */
    private void retransmitSkb(TcpSock sk, SkBuff skb) {
        int sacked = cbSacked(skb);
        if ((sacked & TCPCB_RETRANS) == 0) {
            sk.retransOut++;
        }
        cbSet(skb, cbFlags(skb), sacked | TCPCB_RETRANS | TCPCB_EVER_RETRANS);
        retransSegs.inc();
        sk.totalRetrans++;
        sk.bytesRetrans += skb.len();
        transmitData(sk, skb);
        if (sk.dataRetransStampNs == 0) {
            sk.dataRetransStampNs = skb.cb2; // "the first (attempted) retransmit"
        }
    }

    private void resetXmitTimer(TcpSock sk, int what, long when) {
        sk.icskPending = what;
        sk.icskRetransmitTimer.mod(kernel.ktimeGetNs() + Math.min(when, TCP_RTO_MAX));
    }

    /** {@code tcp_probe0_when}: the RTO (at least {@code TCP_RTO_MIN}) backed off. */
    private static long probe0When(TcpSock sk) {
        long base = Math.max(rtoNs(sk), TCP_RTO_MIN);
        return Math.min(base << Math.min(sk.icskBackoff, 20), TCP_RTO_MAX);
    }

    /**
     * {@code tcp_sendmsg_locked}: copies into the tail segment while it is shorter than the MSS,
     * then into new ones ({@code sk_wmem_queued}) while the send buffer has room
     * ({@code sk_stream_memory_free}); marks the last one PSH and pushes ({@code tcp_push}).
     * Returns what was copied, {@code -EAGAIN} when nothing fit (a blocking caller sleeps until
     * {@code tcp_check_space} wakes it), {@code -EPIPE} after {@code shutdown(SHUT_WR)} or close
     * of the peer's reset. A blocking call returns what it could copy, not waiting for the rest.
     */
    @Override
    public int sendmsg(Sock sk0, MsgHdr msg, int flags) {
        TcpSock sk = (TcpSock) sk0;
        if (sk.skState == TCP_SYN_SENT || sk.skState == TCP_SYN_RECV) {
            return -Errno.EAGAIN; // sk_stream_wait_connect
        }
        if (sk.skErr != 0) {
            return sk.sockError();
        }
        if ((sk.skShutdown & SEND_SHUTDOWN) != 0 || (sk.skState != TCP_ESTABLISHED && sk.skState != TCP_CLOSE_WAIT)) {
            return -Errno.EPIPE; // sk_stream_wait_connect, also for a socket never connected
        }
        kernel.charge(tcpSendmsgCost, msg.len);
        int mss = currentMss(sk);
        int copied = 0;
        while (copied < msg.len) {
            SkBuff tail = sk.skWriteQueue.peekTail();
            int room = tail == null || (cbFlags(tail) & FIN) != 0 ? 0 : Math.min(mss - tail.len(), tail.tailroom());
            if (room <= 0) {
                if (sk.skWmemQueued >= sk.skSndbuf) {
                    sk.sockNospace = true;
                    break;
                }
                tail = kernel.allocSkb(mss);
                cbSetSeq(tail, sk.writeSeq, sk.writeSeq);
                cbSet(tail, 0, 0);
                // tcp_skb_entail
                sk.skWriteQueue.queueTail(tail);
                sk.skWmemQueued += tail.truesize();
                sk.nonagle &= ~TCP_NAGLE_PUSH;
                slowStartAfterIdleCheck(sk);
                room = Math.min(mss, tail.tailroom());
            }
            int n = Math.min(room, msg.len - copied);
            int at = tail.put(n);
            tail.putBytes(at, msg.buf, msg.off + copied, n);
            cbSetSeq(tail, cbSeq(tail), cbEndSeq(tail) + n);
            sk.writeSeq += n;
            copied += n;
        }
        if (copied == 0) {
            return -Errno.EAGAIN;
        }
        SkBuff tail = sk.skWriteQueue.peekTail();
        if (tail != null) {
            cbSet(tail, cbFlags(tail) | PSH, cbSacked(tail)); // tcp_mark_push
            sk.pushedSeq = sk.writeSeq;
        }
        writeXmit(sk, sk.nonagle);
        return copied;
    }

    /**
     * {@code tcp_recvmsg}: copies from the receive queue ({@code copied_seq}), frees what was
     * read, then {@code tcp_cleanup_rbuf} (the ACK a read may owe: after a push, or a window
     * that doubled). With nothing to read: the pending error, 0 after the peer's FIN,
     * {@code -ENOTCONN} on a listener or a socket never connected, else {@code -EAGAIN}.
     */
    @Override
    public int recvmsg(Sock sk0, MsgHdr msg, int flags) {
        TcpSock sk = (TcpSock) sk0;
        if (sk.skState == TCP_LISTEN) {
            return -Errno.ENOTCONN;
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        int copied = 0;
        int seq = sk.copiedSeq;
        for (SkBuff skb = sk.skReceiveQueue.peek(); skb != null && copied < msg.len;) {
            int offset = seq - cbSeq(skb);
            int avail = skb.len() - offset;
            SkBuff next = sk.skReceiveQueue.next(skb);
            if (avail > 0) {
                int n = Math.min(avail, msg.len - copied);
                System.arraycopy(skb.head(), skb.data() + offset, msg.buf, msg.off + copied, n);
                copied += n;
                seq += n;
                avail -= n;
            }
            if (avail <= 0 && !peek) {
                sk.skReceiveQueue.unlink(skb);
                kernel.consumeSkb(skb);
            }
            skb = next;
        }
        if (copied > 0) {
            kernel.charge(tcpRecvmsgCost, copied);
            if (!peek) {
                sk.copiedSeq = seq;
                cleanupRbuf(sk, copied);
            }
            return copied;
        }
        if (sk.skErr != 0) {
            return sk.sockError();
        }
        if ((sk.skShutdown & RCV_SHUTDOWN) != 0) {
            if (!peek && sk.copiedSeq == sk.rcvNxt - 1) {
                sk.copiedSeq = sk.rcvNxt; // found_fin_ok: the FIN is read
            }
            return 0;
        }
        if (sk.skState == TCP_CLOSE) {
            return sk.establishedNs < 0 ? -Errno.ENOTCONN : 0;
        }
        return -Errno.EAGAIN;
    }

    /** {@code tcp_cleanup_rbuf}. */
    private void cleanupRbuf(TcpSock sk, int copied) {
        if (sk.skState == TCP_CLOSE || sk.skState == TCP_TIME_WAIT) {
            return;
        }
        boolean timeToAck = false;
        if ((sk.icskAckPending & ICSK_ACK_SCHED) != 0) {
            if (sk.rcvNxt - sk.rcvWup > sk.icskAckRcvMss
                    || ((sk.icskAckPending & ICSK_ACK_PUSHED2) != 0
                            || ((sk.icskAckPending & ICSK_ACK_PUSHED) != 0 && sk.icskAckPingpong < pingpongThresh()))
                            && sk.skRmemAlloc == 0) {
                timeToAck = true;
            }
        }
        if (!timeToAck && (sk.skShutdown & RCV_SHUTDOWN) == 0) {
            int now = receiveWindow(sk);
            if (2L * now <= sk.windowClamp) {
                int newWin = selectWindowRaw(sk);
                if (newWin != 0 && newWin >= 2L * now) {
                    timeToAck = true;
                }
            }
        }
        if (timeToAck) {
            sendAck(sk);
        }
    }

    // ---- timers ---------------------------------------------------------------------------------

    /**
     * {@code tcp_write_timer_handler}: the zero-window probe ({@code tcp_probe_timer}) or
     * {@code tcp_retransmit_timer}: a SYN (see {@link #synRetransmitTimer}), or the head of the
     * retransmit queue after {@code tcp_write_timeout} ({@code tcp_retries2}, or
     * {@code tcp_orphan_retries} for an orphan: {@code ETIMEDOUT}, {@code TCPAbortOnTimeout});
     * {@code tcp_enter_loss} (ssthresh halved, cwnd 1, everything in flight lost) and the RTO
     * doubled.
     */
    private void retransmitTimer(TcpSock sk) {
        int what = sk.icskPending;
        sk.icskPending = 0;
        if (sk.skState == TCP_SYN_SENT) {
            synRetransmitTimer(sk);
            return;
        }
        if (sk.skState == TCP_CLOSE || sk.skState == TCP_LISTEN) {
            return;
        }
        if (what == ICSK_TIME_PROBE0) {
            probeTimer(sk);
            return;
        }
        if (sk.rtxQueue.isEmpty()) {
            return;
        }
        if (what == ICSK_TIME_LOSS_PROBE) {
            sendLossProbe(sk);
            return;
        }
        if (what == ICSK_TIME_REO_TIMEOUT) {
            rackReoTimeout(sk);
            return;
        }
        sk.tlpHighSeq = 0;
        if (sk.skState == TCP_SYN_RECV) {
            // simultaneous open: our SYN-ACK again
            if (sk.icskRetransmits >= sysctl("net.ipv4.tcp_synack_retries")) {
                writeErr(sk);
                return;
            }
            retransSegs.inc();
            synRetrans.inc();
            sendSynAckFromSock(sk);
            sk.icskRetransmits++;
            sk.icskRto = Math.min(sk.icskRto << 1, TCP_RTO_MAX);
            resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.icskRto);
            return;
        }
        tcpTimeouts.inc();
        if (writeTimeout(sk)) {
            return;
        }
        // tcp_enter_loss
        if (sk.icskCaState < TCP_CA_LOSS || sk.icskRetransmits == 0) {
            sk.sndSsthresh = sk.caOps.ssthresh(sk);
        }
        sk.sndCwndCnt = 0;
        sk.lostOut = 0;
        sk.retransOut = 0;
        if (!sk.sackOk) {
            sk.sackedOut = 0;
        }
        // tcp_timeout_mark_lost: everything not SACKed is lost
        for (SkBuff s = sk.rtxQueue.peek(); s != null; s = sk.rtxQueue.next(s)) {
            int sacked = cbSacked(s);
            if (sk.sackOk && (sacked & TCPCB_SACKED_ACKED) != 0) {
                continue;
            }
            cbSet(s, cbFlags(s), (sacked & TCPCB_EVER_RETRANS) | TCPCB_LOST);
            sk.lostOut++;
        }
        sk.sndCwnd = packetsInFlight(sk) + 1;
        sk.icskCaState = TCP_CA_LOSS; // tcp_set_ca_state
        sk.caOps.setState(sk, TCP_CA_LOSS);
        sk.highSeq = sk.sndNxt;
        sk.totalRto++;
        retransmitSkb(sk, sk.rtxQueue.peek());
        sk.icskBackoff++;
        sk.icskRetransmits++;
        sk.icskRto = Math.min(sk.icskRto << 1, TCP_RTO_MAX);
        resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.icskRto);
    }

    /**
     * {@code tcp_schedule_loss_probe} (RACK-TLP, {@code tcp_early_retrans} 3 or 4): with SACK, in
     * Open or CWR, a probe after two smoothed RTTs (plus {@code TCP_RTO_MIN} for the delayed ACK
     * of a lone segment, else 2 ms), or at the RTO if that comes first.
     *
     * @param advancingRto called for an ACK that moved the RTO (compare with a whole RTO)
     * @return whether the probe timer was armed
     */
    private boolean scheduleLossProbe(TcpSock sk, boolean advancingRto) {
        int er = sysctl("net.ipv4.tcp_early_retrans");
        if ((er != 3 && er != 4) || sk.packetsOut == 0 || !sk.sackOk
                || (sk.icskCaState != TCP_CA_OPEN && sk.icskCaState != TCP_CA_CWR)) {
            return false;
        }
        long timeout;
        if (sk.srttUs != 0) {
            long us = (sk.srttUs >> 2) + (sk.packetsOut == 1 ? TCP_RTO_MIN / 1000 : TCP_TIMEOUT_MIN_NS / 1000);
            timeout = (us + 999) / 1000 * 1_000_000L; // usecs_to_jiffies
        } else {
            timeout = TCP_TIMEOUT_INIT;
        }
        long rtoDelta = advancingRto ? sk.icskRto : rtoDeltaNs(sk);
        if (rtoDelta > 0) {
            timeout = Math.min(timeout, rtoDelta);
        }
        resetXmitTimer(sk, ICSK_TIME_LOSS_PROBE, timeout);
        return true;
    }

    /** {@code tcp_rto_delta_us}: how far in the future the head's RTO is. */
    private long rtoDeltaNs(TcpSock sk) {
        SkBuff head = sk.rtxQueue.peek();
        return head == null ? sk.icskRto : head.cb2 + sk.icskRto - kernel.ktimeGetNs();
    }

    /** {@code tcp_rearm_rto}: the RTO from now, or what is left of it after a loss probe. */
    private void rearmRto(TcpSock sk) {
        if (sk.packetsOut == 0) {
            if (sk.icskPending == ICSK_TIME_RETRANS || sk.icskPending == ICSK_TIME_LOSS_PROBE) {
                sk.icskRetransmitTimer.del();
                sk.icskPending = 0;
            }
            return;
        }
        long rto = sk.icskRto;
        if (sk.icskPending == ICSK_TIME_LOSS_PROBE || sk.icskPending == ICSK_TIME_REO_TIMEOUT) {
            rto = Math.max(rtoDeltaNs(sk), 1);
        }
        resetXmitTimer(sk, ICSK_TIME_RETRANS, rto);
    }

    /**
     * {@code tcp_send_loss_probe}: new data if the window takes it, else the last segment again
     * ({@code TCPLossProbes}); at most one probe until it is answered ({@code tlp_high_seq}).
     * Then the RTO runs from now.
     */
    private void sendLossProbe(TcpSock sk) {
        if (sk.tlpHighSeq != 0) {
            rearmRto(sk);
            return;
        }
        sk.tlpRetrans = false;
        SkBuff head = sk.skWriteQueue.peek();
        boolean sent = false;
        if (head != null && !after(cbSeq(head) + Math.min(head.len(), currentMss(sk)), sk.sndUna + sk.sndWnd)) {
            int before = sk.packetsOut;
            sendHead(sk, head, currentMss(sk)); // tcp_write_xmit with push_one = 2: past the cwnd
            sent = sk.packetsOut > before;
        } else {
            SkBuff last = sk.rtxQueue.peekTail();
            if (last != null) {
                retransmitSkb(sk, last);
                sk.tlpRetrans = true;
                sent = true;
            }
        }
        if (sent) {
            sk.tlpHighSeq = sk.sndNxt;
            lossProbes.inc();
            sk.icskPending = 0;
        }
        rearmRto(sk);
    }

    /**
     * {@code tcp_process_tlp_ack}: an ACK beyond the probe means the probe repaired a loss: the
     * window is reduced once (CWR: {@code ssthresh} from the congestion control, cwnd down to it,
     * {@code TCPLossProbeRecovery}); a pure duplicate ACK means nothing was lost.
     */
    private void processTlpAck(TcpSock sk, int ack, boolean sndUnaAdvanced) {
        if (before(ack, sk.tlpHighSeq)) {
            return;
        }
        if (!sk.tlpRetrans) {
            sk.tlpHighSeq = 0;
        } else if (after(ack, sk.tlpHighSeq)) {
            // tcp_init_cwnd_reduction, CWR, tcp_end_cwnd_reduction: the window once to ssthresh
            sk.tlpHighSeq = 0;
            sk.sndSsthresh = sk.caOps.ssthresh(sk);
            sk.sndCwnd = Math.max(sk.sndSsthresh, 2);
            lossProbeRecovery.inc();
        } else if (!sndUnaAdvanced) {
            sk.tlpHighSeq = 0;
        }
    }

    /** {@code tcp_write_timeout} past the handshake: true when the connection was given up. */
    private boolean writeTimeout(TcpSock sk) {
        int retryUntil = sysctl("net.ipv4.tcp_retries2");
        if (sk.sockDead) {
            boolean alive = sk.icskRto < TCP_RTO_MAX;
            retryUntil = orphanRetries(alive);
        }
        if (!retransmitsTimedOut(sk, retryUntil)) {
            return false;
        }
        writeErr(sk);
        return true;
    }

    /** {@code tcp_orphan_retries}: the sysctl, 8 when 0 and the peer may be alive. */
    private int orphanRetries(boolean alive) {
        int retries = sysctl("net.ipv4.tcp_orphan_retries");
        return retries == 0 && alive ? 8 : retries;
    }

    /**
     * {@code retransmits_timed_out}: the time since the first retransmission of the head exceeds
     * what {@code boundary} doublings from {@code TCP_RTO_MIN} take ({@code tcp_model_timeout}):
     * 924.6 s for the 15 of {@code tcp_retries2}.
     */
    private boolean retransmitsTimedOut(TcpSock sk, int boundary) {
        if (sk.icskRetransmits == 0 || sk.dataRetransStampNs == 0) {
            return false;
        }
        long base = TCP_RTO_MIN;
        int thresh = 63 - Long.numberOfLeadingZeros(TCP_RTO_MAX / base); // ilog2
        long timeout = boundary <= thresh ? ((2L << boundary) - 1) * base
                : ((2L << thresh) - 1) * base + (long) (boundary - thresh) * TCP_RTO_MAX;
        return kernel.ktimeGetNs() - sk.dataRetransStampNs >= timeout;
    }

    /** {@code tcp_write_err}: {@code ETIMEDOUT}, {@code tcp_done}, {@code TCPAbortOnTimeout}. */
    private void writeErr(TcpSock sk) {
        sk.skErr = Errno.ETIMEDOUT;
        sk.skErrorReport.call(sk);
        tcpDone(sk);
        abortOnTimeout.inc();
    }

    /**
     * {@code tcp_probe_timer}: with the window still closed a probe ({@code tcp_send_probe0}) at a
     * doubling interval; after {@code tcp_retries2} unanswered probes (or the orphan limit) the
     * connection is given up.
     */
    private void probeTimer(TcpSock sk) {
        if (sk.packetsOut > 0 || sk.skWriteQueue.isEmpty()) {
            sk.icskProbesOut = 0;
            return;
        }
        int maxProbes = sysctl("net.ipv4.tcp_retries2");
        if (sk.sockDead) {
            maxProbes = orphanRetries(probe0When(sk) < TCP_RTO_MAX);
        }
        if (sk.icskProbesOut >= maxProbes) {
            writeErr(sk);
            return;
        }
        // tcp_send_probe0 → tcp_write_wakeup: what fits in the window goes out, split if need be
        SkBuff head = sk.skWriteQueue.peek();
        int wndEnd = sk.sndUna + sk.sndWnd;
        if (before(cbSeq(head), wndEnd)) {
            int seg = Math.min(wndEnd - cbSeq(head), currentMss(sk));
            if (seg < head.len()) {
                fragment(sk, head, seg);
            }
            cbSet(head, cbFlags(head) | PSH, cbSacked(head));
            sendHead(sk, head, currentMss(sk));
        }
        if (sk.packetsOut > 0 || sk.skWriteQueue.isEmpty()) {
            sk.icskProbesOut = 0;
            sk.icskBackoff = 0;
            return;
        }
        sendProbe(sk);
        winProbe.inc();
        sk.icskProbesOut++;
        sk.icskBackoff++;
        resetXmitTimer(sk, ICSK_TIME_PROBE0, probe0When(sk));
    }

    /**
     * {@code tcp_keepalive_timer}: an orphan in FIN-WAIT-2 past its {@code tcp_fin_timeout} moves
     * to TIME-WAIT or is reset; with SO_KEEPALIVE, after {@code tcp_keepalive_time} idle a probe
     * every {@code tcp_keepalive_intvl} ({@code TCPKeepAlive}), and after
     * {@code tcp_keepalive_probes} unanswered ones an RST and {@code ETIMEDOUT}.
     */
    private void keepaliveTimer(TcpSock sk) {
        long now = kernel.ktimeGetNs();
        if (sk.skState == TCP_FIN_WAIT2 && sk.sockDead) {
            if (sk.linger2Ns >= 0) {
                long tmo = finTime(sk) - TCP_TIMEWAIT_LEN;
                if (tmo > 0) {
                    timeWait(sk, TCP_FIN_WAIT2, tmo);
                    return;
                }
            }
            sendActiveReset(sk);
            tcpDone(sk);
            return;
        }
        if (!sk.sockKeepopen || sk.skState == TCP_CLOSE || sk.skState == TCP_SYN_SENT || sk.skState == TCP_LISTEN
                || sk.skState == TCP_TIME_WAIT) {
            return;
        }
        long keepTime = sk.keepaliveTimeNs != 0 ? sk.keepaliveTimeNs
                : sysctl("net.ipv4.tcp_keepalive_time") * 1_000_000_000L;
        long intvl = sk.keepaliveIntvlNs != 0 ? sk.keepaliveIntvlNs
                : sysctl("net.ipv4.tcp_keepalive_intvl") * 1_000_000_000L;
        int probes = sk.keepaliveProbes != 0 ? sk.keepaliveProbes : sysctl("net.ipv4.tcp_keepalive_probes");
        long elapsed;
        if (sk.packetsOut > 0 || !sk.skWriteQueue.isEmpty()) {
            elapsed = keepTime;
        } else {
            long idle = now - Math.max(sk.rcvTstampNs, sk.icskAckLrcvtimeNs);
            if (idle >= keepTime) {
                if (sk.icskProbesOut >= probes) {
                    sendActiveReset(sk);
                    writeErr(sk);
                    return;
                }
                keepAlive.inc();
                sendProbe(sk);
                sk.icskProbesOut++;
                elapsed = intvl;
            } else {
                elapsed = keepTime - idle;
            }
        }
        sk.skTimer.mod(now + elapsed);
    }

    /** {@code tcp_set_keepalive}: arms or stops the keepalive timer of a connected socket. */
    @Override
    public void keepalive(Sock sk0, boolean on) {
        TcpSock sk = (TcpSock) sk0;
        if (sk.skState == TCP_CLOSE || sk.skState == TCP_LISTEN || sk.skTimer == null) {
            return;
        }
        if (on && !sk.sockKeepopen) {
            long t = sk.keepaliveTimeNs != 0 ? sk.keepaliveTimeNs : sysctl("net.ipv4.tcp_keepalive_time") * 1_000_000_000L;
            sk.skTimer.mod(kernel.ktimeGetNs() + t);
        } else if (!on) {
            sk.skTimer.del();
        }
    }

    /** {@code tcp_fin_time}: {@code TCP_LINGER2} or {@code tcp_fin_timeout}, at least 3.5 RTO. */
    private long finTime(TcpSock sk) {
        long fin = sk.linger2Ns > 0 ? sk.linger2Ns : sysctl("net.ipv4.tcp_fin_timeout") * 1_000_000_000L;
        long rto = sk.icskRto;
        return Math.max(fin, (rto << 2) - (rto >> 1));
    }

    // ---- TIME-WAIT (tcp_minisocks.c) -------------------------------------------------------------

    /**
     * {@code tcp_time_wait}: the socket is replaced by a {@link TcpTimewaitSock} in the
     * established hash ({@code inet_twsk_hashdance}) for {@code TCP_TIMEWAIT_LEN} (TIME-WAIT) or
     * {@code timeo} (an orphan's FIN-WAIT-2), and the full socket is done. Over
     * {@code tcp_max_tw_buckets} no timewait sock is made ({@code TCPTimeWaitOverflow}).
     */
    private void timeWait(TcpSock sk, int state, long timeo) {
        if (twCount < sysctl("net.ipv4.tcp_max_tw_buckets")) {
            TcpTimewaitSock tw = new TcpTimewaitSock(kernel, this);
            tw.skType = SOCK_STREAM;
            tw.skProtocol = IPPROTO_TCP;
            tw.twSubstate = state;
            tw.inetRcvSaddr = sk.inetRcvSaddr;
            tw.inetSaddr = sk.inetSaddr;
            tw.inetNum = sk.inetNum;
            tw.inetSport = sk.inetSport;
            tw.inetDaddr = sk.inetDaddr;
            tw.inetDport = sk.inetDport;
            tw.skBoundDevIf = sk.skBoundDevIf;
            tw.skMark = sk.skMark;
            tw.tos = sk.tos;
            tw.twRcvNxt = sk.rcvNxt;
            tw.twSndNxt = sk.sndNxt;
            tw.twRcvWnd = sk.rcvWnd;
            tw.twRcvWscale = sk.rcvWscale;
            tw.twTstampOk = sk.tstampOk;
            tw.twTsRecent = sk.tsRecent;
            tw.twTsOffset = sk.tsOffset;
            long tmo = state == TCP_TIME_WAIT ? TCP_TIMEWAIT_LEN : Math.max(timeo, 0);
            tw.twTimer = kernel.timerSetup(t -> twTimer(tw));
            twHashInsert(tw);
            twSchedule(tw, tmo);
        } else {
            timeWaitOverflow.inc();
        }
        tcpDone(sk);
    }

    /** {@code inet_twsk_schedule}. */
    private void twSchedule(TcpTimewaitSock tw, long timeo) {
        tw.twKill = timeo <= 4_000_000_000L;
        tw.twTimer.mod(kernel.ktimeGetNs() + timeo);
    }

    /** {@code tw_timer_handler}: counts {@code TW} (or {@code TWKilled} for a short one) and frees it. */
    private void twTimer(TcpTimewaitSock tw) {
        (tw.twKill ? twKilled : timeWaited).inc();
        twHashRemove(tw);
    }

    /**
     * {@code tcp_timewait_state_process}: in FIN-WAIT-2 the peer's FIN moves it to TIME-WAIT
     * (ACKed); in TIME-WAIT an RST kills it ({@code tcp_rfc1337} = 0), a new SYN with a higher
     * sequence number reopens the port for the listener, and anything else (a retransmitted FIN)
     * is ACKed again and restarts the 60 s.
     *
     * @return true when the segment was consumed; false when it should go to a listener
     */
    private boolean timewaitProcess(TcpTimewaitSock tw, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq,
            int ackSeq, int flags, int dataLen) {
        int endSeq = seq + dataLen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
        boolean pawsReject = rx.sawTstamp && tw.twTstampOk && rx.tsval - tw.twTsRecent < -1;
        if (tw.twSubstate == TCP_FIN_WAIT2) {
            if ((flags & RST) != 0 && seq == tw.twRcvNxt) {
                twHashRemove(tw);
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
                return true;
            }
            boolean inWindow = !before(endSeq, tw.twRcvNxt) && !after(seq, tw.twRcvNxt + tw.twRcvWnd);
            if (pawsReject || !inWindow) {
                twAck(tw);
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_OLD_SEQUENCE);
                return true;
            }
            if ((flags & SYN) != 0 || (flags & ACK) == 0 || (dataLen > 0 && endSeq != tw.twRcvNxt + 1)
                    || after(endSeq, tw.twRcvNxt + 1) || (dataLen > 0 && (flags & FIN) == 0)) {
                // TCP_TW_RST: data to a closed socket
                twHashRemove(tw);
                sendReset(saddr, daddr, sport, dport, seq, ackSeq, flags, dataLen);
                kernel.kfreeSkbReason(skb, SkbDropReason.TCP_CLOSE);
                return true;
            }
            if ((flags & FIN) != 0) {
                tw.twRcvNxt = endSeq;
                if (rx.sawTstamp) {
                    tw.twTsRecent = rx.tsval;
                }
                tw.twSubstate = TCP_TIME_WAIT;
                twSchedule(tw, TCP_TIMEWAIT_LEN);
                twAck(tw);
            }
            kernel.consumeSkb(skb);
            return true;
        }
        // real TIME-WAIT
        if (!pawsReject && seq == tw.twRcvNxt && (seq == endSeq || (flags & RST) != 0)) {
            if ((flags & RST) != 0) {
                if (sysctl("net.ipv4.tcp_rfc1337") == 0) {
                    twHashRemove(tw);
                    kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
                    return true;
                }
            }
            twSchedule(tw, TCP_TIMEWAIT_LEN);
            kernel.consumeSkb(skb);
            return true;
        }
        if ((flags & SYN) != 0 && (flags & (RST | ACK)) == 0 && !pawsReject
                && (after(seq, tw.twRcvNxt) || (rx.sawTstamp && tw.twTstampOk && rx.tsval - tw.twTsRecent > 0))) {
            // TCP_TW_SYN: a new incarnation may take the port, its ISN above the old snd_nxt
            int isn = tw.twSndNxt + 65535 + 2;
            twIsn = isn == 0 ? 1 : isn;
            twHashRemove(tw);
            return false;
        }
        if ((flags & RST) == 0) {
            if (pawsReject) {
                pawsEstab.inc();
            }
            if (pawsReject || (flags & ACK) != 0) {
                twSchedule(tw, TCP_TIMEWAIT_LEN);
            }
            twAck(tw);
        }
        kernel.consumeSkb(skb);
        return true;
    }

    /** {@code tcp_v4_timewait_ack}: an ACK from the timewait sock with its window and timestamps. */
    private void twAck(TcpTimewaitSock tw) {
        optLen = 0;
        if (tw.twTstampOk) {
            opt(TCPOPT_NOP, TCPOPT_NOP, TCPOPT_TIMESTAMP, 10);
            optU32(tcpClockMs() + tw.twTsOffset);
            optU32(tw.twTsRecent);
        }
        xmit(null, tw.inetSaddr, tw.inetDaddr, tw.inetSport, tw.inetDport, tw.twSndNxt, tw.twRcvNxt, ACK,
                Math.min(tw.twRcvWnd >>> tw.twRcvWscale, 0xffff), tw.tos, tw.skBoundDevIf, tw.skMark, null, 0, 0);
    }

    private TcpTimewaitSock lookupTimewait(int laddr, int lport, int faddr, int fport) {
        for (TcpTimewaitSock t = twHash[ehashfn(laddr, lport, faddr, fport)]; t != null; t = t.ehNext) {
            if (t.inetRcvSaddr == laddr && t.inetNum == lport && t.inetDaddr == faddr && t.inetDport == fport) {
                return t;
            }
        }
        return null;
    }

    private void twHashInsert(TcpTimewaitSock tw) {
        HashChain.addHead(twHash, ehashfn(tw.inetRcvSaddr, tw.inetNum, tw.inetDaddr, tw.inetDport), tw, TW_SET);
        tw.hashed = true;
        twCount++;
        twPorts[tw.inetNum]++;
    }

    private void twHashRemove(TcpTimewaitSock tw) {
        if (!tw.hashed) {
            return;
        }
        HashChain.del(twHash, ehashfn(tw.inetRcvSaddr, tw.inetNum, tw.inetDaddr, tw.inetDport), tw, TW_NEXT, TW_SET);
        tw.hashed = false;
        tw.twTimer.del();
        twCount--;
        twPorts[tw.inetNum]--;
    }

    // ---- SYN-SENT ---------------------------------------------------------------------------------

    /**
     * {@code tcp_rcv_synsent_state_process}: a SYN-ACK acknowledging our SYN completes the
     * handshake ({@code tcp_finish_connect}); an RST with an acceptable ACK refuses it; a SYN
     * alone is a simultaneous open (SYN-RECV, our SYN-ACK).
     */
    private void synSentRcv(TcpSock sk, SkBuff skb, int saddr, int daddr, int sport, int dport, int seq, int ackSeq,
            int flags, int window, int dataLen) {
        if ((flags & ACK) != 0) {
            if (!after(ackSeq, sk.sndUna) || after(ackSeq, sk.sndNxt)) {
                // "Previous FIN/ACK or RST/ACK might be ignored": the SYN goes again soon
                if (sk.icskRetransmits == 0) {
                    resetXmitTimer(sk, ICSK_TIME_RETRANS, TCP_TIMEOUT_MIN);
                }
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
            sk.segsIn++;
            synOptions(sk, seq, window);
            sk.sndUna = ackSeq;
            sk.sndWl1 = seq;
            // the SYN's RTT, unless it was retransmitted (or from the timestamp echo)
            long rttNs = -1;
            if (sk.synTxCount == 1) {
                rttNs = kernel.ktimeGetNs() - sk.synTxNs;
            } else if (rx.sawTstamp && sk.tstampOk && rx.tsecr != 0) {
                rttNs = (long) (tcpClockMs() + sk.tsOffset - rx.tsecr) * 1_000_000L;
            }
            if (rttNs >= 0) {
                rttEstimator(sk, (int) Math.max(1, rttNs / 1000));
            }
            sk.icskRetransmitTimer.del();
            sk.icskPending = 0;
            sk.icskRetransmits = 0;
            sk.icskBackoff = 0;
            sk.icskRto = rtoNs(sk);
            sk.establishedNs = kernel.ktimeGetNs();
            setState(sk, TCP_ESTABLISHED);
            initTransfer(sk);
            if (sk.sockKeepopen) {
                keepalive(sk, false);
                sk.sockKeepopen = false;
                keepalive(sk, true);
                sk.sockKeepopen = true;
            }
            kernel.consumeSkb(skb);
            sendAck(sk);
            sk.skWq.wakeUp(); // sk_state_change
            writeXmit(sk, sk.nonagle);
            return;
        }
        if ((flags & RST) != 0) {
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_RESET);
            return;
        }
        if ((flags & SYN) != 0) {
            // simultaneous open: SYN-RECV and a SYN-ACK with our ISN
            synOptions(sk, seq, window);
            sk.sndWl1 = seq;
            setState(sk, TCP_SYN_RECV);
            sendSynAckFromSock(sk);
            kernel.consumeSkb(skb);
            return;
        }
        kernel.kfreeSkbReason(skb, SkbDropReason.TCP_FLAGS);
    }

    /** What a SYN or SYN-ACK from the peer settles: its ISN, window, and the options both sides agreed. */
    private void synOptions(TcpSock sk, int seq, int window) {
        sk.rcvNxt = seq + 1;
        sk.rcvWup = sk.rcvNxt;
        sk.copiedSeq = sk.rcvNxt;
        if (!rx.wscaleOk) {
            sk.wscaleOk = false;
            sk.sndWscale = 0;
            sk.rcvWscale = 0;
        } else {
            sk.sndWscale = rx.sndWscale;
        }
        sk.sndWnd = window; // a SYN's window is never scaled
        sk.maxWindow = window;
        sk.tstampOk = sk.tstampOk && rx.sawTstamp;
        if (sk.tstampOk) {
            sk.tsRecent = rx.tsval;
            sk.tsRecentStamp = true;
        }
        sk.sackOk = sk.sackOk && rx.sackOk;
        sk.mssClamp = rx.mss != 0 ? rx.mss : TCP_MSS_DEFAULT;
        if (sk.userMss != 0) {
            sk.mssClamp = Math.min(sk.mssClamp, sk.userMss);
        }
        sk.mssCache = Math.min(sk.advmss, sk.mssClamp) - (sk.tstampOk ? 12 : 0);
    }

    /** A SYN-ACK from a socket in simultaneous open ({@code tcp_send_synack}). */
    private void sendSynAckFromSock(TcpSock sk) {
        transmit(sk, sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport, sk.sndUna, sk.rcvNxt, SYN | ACK,
                Math.min(sk.rcvWnd, 0xffff), sk.advmss, sk.sackOk, sk.tstampOk, tcpClockMs() + sk.tsOffset, sk.tsRecent,
                sk.wscaleOk ? sk.rcvWscale : -1, sk.tos, sk.skBoundDevIf, sk.skMark);
        if (sk.icskPending != ICSK_TIME_RETRANS) {
            resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.icskRto);
        }
    }

    /**
     * {@code tcp_init_transfer}: {@code tcp_init_buffer_space} (window clamp and
     * {@code rcv_ssthresh} from the receive buffer), the first receiver MSS estimate
     * ({@code tcp_initialize_rcv_mss}), the congestion window ({@code TCP_INIT_CWND}) and the
     * send buffer sized for it ({@code tcp_sndbuf_expand}).
     */
    private void initTransfer(TcpSock sk) {
        if (sk.icskDelackTimer == null) {
            sk.icskDelackTimer = kernel.timerSetup(t -> delackTimer(sk));
        }
        if (sk.skTimer == null) {
            sk.skTimer = kernel.timerSetup(t -> keepaliveTimer(sk));
        }
        if (sk.icskRetransmitTimer == null) {
            sk.icskRetransmitTimer = kernel.timerSetup(t -> retransmitTimer(sk));
        }
        int maxwin = winFromSpace(sk, sk.skRcvbuf);
        if (sk.windowClamp == 0 || sk.windowClamp >= maxwin) {
            sk.windowClamp = maxwin;
        }
        sk.rcvSsthresh = Math.min(sk.rcvWnd, sk.windowClamp);
        int hint = Math.min(Math.min(sk.advmss, sk.mssCache), sk.rcvWnd / 2);
        sk.icskAckRcvMss = Math.max(Math.min(hint, TCP_MSS_DEFAULT), 88);
        sk.sndCwnd = TCP_INIT_CWND;
        sk.sndSsthresh = 0x7fffffff;
        sk.rcvTstampNs = kernel.ktimeGetNs();
        if (sk.caOps == null) {
            sk.caOps = defaultCongestionControl();
        }
        sk.caOps.init(sk); // tcp_init_congestion_control
        if ((sk.skUserlocks & SOCK_SNDBUF_LOCK) == 0) {
            // tcp_sndbuf_expand: two congestion windows of MSS-sized skbs
            int perMss = Math.max(sk.mssCache, sk.mssClamp) + 320 + 320;
            perMss = Integer.highestOneBit(perMss - 1) << 1;
            perMss += 256;
            long sndmem = 2L * Math.max(TCP_INIT_CWND, sk.sndCwnd) * perMss;
            if (sk.skSndbuf < sndmem) {
                sk.skSndbuf = (int) Math.min(sndmem, wmem(2));
            }
        }
    }

    private long wmem(int i) {
        return SysctlVectors.field(kernel, "net.ipv4.tcp_wmem", i);
    }

    private long rmem(int i) {
        return SysctlVectors.field(kernel, "net.ipv4.tcp_rmem", i);
    }

    /** {@code tcp_reset}: ECONNREFUSED in SYN-SENT, ECONNRESET otherwise (EPIPE after CLOSE-WAIT), then {@code tcp_done}. */
    private void tcpReset(TcpSock sk) {
        sk.skErr = switch (sk.skState) {
            case TCP_SYN_SENT -> Errno.ECONNREFUSED;
            case TCP_CLOSE_WAIT -> Errno.EPIPE;
            case TCP_CLOSE -> 0;
            default -> Errno.ECONNRESET;
        };
        if (sk.skErr == 0) {
            return;
        }
        sk.skErrorReport.call(sk);
        tcpDone(sk);
    }

    /**
     * {@code tcp_done}: {@code TcpAttemptFails} from SYN-SENT or SYN-RECV, then CLOSE: the write
     * queues are purged ({@code tcp_write_queue_purge}), the timers stopped; an orphan is
     * destroyed ({@code inet_csk_destroy_sock}).
     */
    private void tcpDone(TcpSock sk) {
        if (sk.skState == TCP_SYN_SENT || sk.skState == TCP_SYN_RECV) {
            attemptFails.inc();
        }
        setState(sk, TCP_CLOSE);
        stopTimers(sk);
        writeQueuePurge(sk);
        sk.skShutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
        if (sk.sockDead) {
            destroySock(sk);
        } else {
            sk.skWq.wakeUp();
        }
    }

    private static void stopTimers(TcpSock sk) {
        if (sk.icskRetransmitTimer != null) {
            sk.icskRetransmitTimer.del();
        }
        if (sk.icskDelackTimer != null) {
            sk.icskDelackTimer.del();
        }
        if (sk.skTimer != null) {
            sk.skTimer.del();
        }
        sk.icskPending = 0;
        sk.icskAckPending = 0;
    }

    /** {@code tcp_write_queue_purge}: the unsent and the unacknowledged segments. */
    private void writeQueuePurge(TcpSock sk) {
        SkBuff skb;
        while ((skb = sk.skWriteQueue.dequeue()) != null) {
            sk.skWmemQueued -= skb.truesize();
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_CLOSE);
        }
        while ((skb = sk.rtxQueue.dequeue()) != null) {
            sk.skWmemQueued -= skb.truesize();
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_CLOSE);
        }
        sk.packetsOut = 0;
        sk.retransOut = 0;
        sk.lostOut = 0;
        sk.sackedOut = 0;
    }

    /** {@code inet_csk_destroy_sock}: an orphan's queues go, and it leaves the orphan list. */
    private void destroySock(TcpSock sk) {
        purge(sk);
        purgeOfo(sk);
        if (sk.orphaned) {
            orphans.remove(sk);
            sk.orphaned = false;
        }
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
        // inet_hash_connect: an ephemeral port whose 4-tuple is free
        if (sk.inetNum == 0) {
            int port = connectPort(sk);
            if (port == 0) {
                sk.inetDaddr = 0;
                sk.inetDport = 0;
                return -Errno.EADDRNOTAVAIL;
            }
            sk.inetNum = port;
            bhashInsert(sk);
        } else if (lookupEstablished(sk.inetRcvSaddr, sk.inetNum, sk.inetDaddr, sk.inetDport) != null
                || lookupTimewait(sk.inetRcvSaddr, sk.inetNum, sk.inetDaddr, sk.inetDport) != null) {
            sk.inetDaddr = 0;
            sk.inetDport = 0;
            return -Errno.EADDRNOTAVAIL;
        }
        sk.inetSport = sk.inetNum;
        sk.skState = TCP_SYN_SENT;
        ehashInsert(sk);
        sk.inetId = kernel.random().nextInt() & 0xffff;
        sk.writeSeq = secureTcpSeq(sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport);
        sk.tsOffset = cookieTsOff(sk.inetSaddr, sk.inetDaddr);
        // tcp_connect_init
        sk.tstampOk = sysctl("net.ipv4.tcp_timestamps") != 0;
        sk.sackOk = sysctl("net.ipv4.tcp_sack") != 0;
        sk.windowClamp = userWindowClamp(sk);
        int ws = initialWscale(sk);
        sk.wscaleOk = ws >= 0;
        sk.rcvWscale = Math.max(ws, 0);
        sk.advmss = mtu - 40;
        if (sk.userMss != 0) {
            sk.advmss = Math.min(sk.advmss, sk.userMss);
        }
        sk.mssCache = sk.advmss;
        sk.rcvWnd = initialWindow(sk, sk.advmss);
        sk.sndUna = sk.writeSeq;
        sk.sndNxt = sk.writeSeq + 1;
        sk.writeSeq = sk.sndNxt;
        sk.pushedSeq = sk.writeSeq;
        sk.rcvNxt = 0;
        sk.icskRto = TCP_TIMEOUT_INIT;
        sk.icskRetransmits = 0;
        sk.icskBackoff = 0;
        sk.totalRto = 0;
        if (sk.icskRetransmitTimer == null) {
            sk.icskRetransmitTimer = kernel.timerSetup(t -> retransmitTimer(sk));
        }
        sendSyn(sk);
        activeOpens.inc();
        resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.icskRto);
        return 0;
    }

    /**
     * {@code __inet_hash_connect}: from a random start in {@code ip_local_port_range}, the first
     * port not taken by {@code bind(2)} whose 4-tuple to the destination is unused (no
     * established or TIME-WAIT socket), so ports are shared across destinations as on Linux.
     */
    private int connectPort(TcpSock sk) {
        int[] range = SysctlVectors.localPortRange(kernel);
        int low = range[0];
        int remaining = range[1] - low + 1;
        int first = (int) (((kernel.random().nextInt() & 0xffffffffL) * remaining) >>> 32);
        for (int i = 0; i < remaining; i++) {
            int port = low + (first + i) % remaining;
            if (lhash[port] != null || boundByBind(port)) {
                continue;
            }
            if (lookupEstablished(sk.inetRcvSaddr, port, sk.inetDaddr, sk.inetDport) == null
                    && lookupTimewait(sk.inetRcvSaddr, port, sk.inetDaddr, sk.inetDport) == null) {
                return port;
            }
        }
        return 0;
    }

    private boolean boundByBind(int port) {
        for (TcpSock s = bhash[port]; s != null; s = s.bhNext) {
            if (s.bindPort) {
                return true;
            }
        }
        return false;
    }

    private void sendSyn(TcpSock sk) {
        sk.synTxNs = kernel.ktimeGetNs();
        sk.synTxCount++;
        sk.segsOut++;
        transmit(sk, sk.inetSaddr, sk.inetDaddr, sk.inetSport, sk.inetDport, sk.sndUna, 0, SYN,
                Math.min(sk.rcvWnd, 0xffff), sk.advmss, sk.sackOk, sk.tstampOk, tcpClockMs() + sk.tsOffset, 0,
                sk.wscaleOk ? sk.rcvWscale : -1, sk.tos, sk.skBoundDevIf, sk.skMark);
    }

    /**
     * {@code tcp_retransmit_timer} for a SYN: every expiry counts {@code TCPTimeouts}; {@code tcp_write_timeout} first (after
     * {@code tcp_syn_retries + tcp_syn_linear_timeouts} retransmissions: {@code ETIMEDOUT}), then the SYN again
     * ({@code TcpRetransSegs}), the RTO kept at 1 s while {@code total_rto <=
     * tcp_syn_linear_timeouts} and doubled after.
     */
    private void synRetransmitTimer(TcpSock sk) {
        int retryUntil = sk.icskSynRetries != 0 ? sk.icskSynRetries : sysctl("net.ipv4.tcp_syn_retries");
        // tcp_write_timeout: in SYN-SENT the linear retransmissions come on top of tcp_syn_retries
        int maxRetransmits = retryUntil + sysctl("net.ipv4.tcp_syn_linear_timeouts");
        tcpTimeouts.inc();
        if (sk.icskRetransmits >= maxRetransmits) {
            writeErr(sk);
            return;
        }
        retransSegs.inc();
        synRetrans.inc(); // tcp_retransmit_skb of a SYN
        sk.totalRetrans++;
        sendSyn(sk);
        sk.icskRetransmits++;
        sk.totalRto++;
        if (sk.totalRto > sysctl("net.ipv4.tcp_syn_linear_timeouts")) {
            sk.icskBackoff++;
            sk.icskRto = Math.min(sk.icskRto << 1, TCP_RTO_MAX);
        }
        resetXmitTimer(sk, ICSK_TIME_RETRANS, sk.icskRto);
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

    /** {@code tcp_register_congestion_control}. */
    public void registerCongestionControl(TcpCongestionOps ops) {
        if (congestionOps.putIfAbsent(ops.name(), ops) != null) {
            throw new IllegalArgumentException("congestion control " + ops.name() + " is already registered");
        }
    }

    /** The congestion control {@code net.ipv4.tcp_congestion_control} names ({@code tcp_assign_congestion_control}). */
    private TcpCongestionOps defaultCongestionControl() {
        String name = kernel.sysctl().getString("net.ipv4.tcp_congestion_control").trim();
        TcpCongestionOps ops = congestionOps.get(name);
        if (ops == null) {
            throw new IllegalArgumentException("net.ipv4.tcp_congestion_control = " + name
                    + ": no such congestion control (available: " + String.join(", ", congestionOps.keySet()) + ")");
        }
        return ops;
    }

    /** {@code tcp_init_sock}: the buffers from {@code tcp_wmem[1]} and {@code tcp_rmem[1]}, the RTO at 1 s, the default congestion control. */
    @Override
    public int init(Sock sk0) {
        TcpSock sk = (TcpSock) sk0;
        sk.caOps = defaultCongestionControl();
        sk.skSndbuf = (int) wmem(1);
        sk.skRcvbuf = (int) rmem(1);
        sk.icskRto = TCP_TIMEOUT_INIT;
        sk.sndCwnd = TCP_INIT_CWND;
        return 0;
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
     * its requests dropped). A connected socket with unread data is reset
     * ({@code TCPAbortOnClose}), and so is one with SO_LINGER of 0 ({@code TCPAbortOnData});
     * otherwise {@code tcp_close_state} (ESTABLISHED → FIN-WAIT-1, CLOSE-WAIT → LAST-ACK) and our
     * FIN ({@code tcp_send_fin}). The socket lives on as an orphan until the close completes; an
     * orphan already in FIN-WAIT-2 goes to TIME-WAIT ({@code tcp_fin_time}).
     */
    @Override
    public void close(Sock sk0) {
        TcpSock sk = (TcpSock) sk0;
        sk.skShutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
        sk.sockDead = true;
        sk.skSocket = null;
        if (sk.skState == TCP_LISTEN) {
            listenStop(sk);
            return;
        }
        int unread = 0;
        SkBuff skb;
        while ((skb = sk.skReceiveQueue.dequeue()) != null) {
            unread += skb.len();
            kernel.kfreeSkbReason(skb, SkbDropReason.TCP_CLOSE);
        }
        if (sk.skState == TCP_CLOSE) {
            destroySock(sk);
            bhashRemove(sk);
            return;
        }
        if (sk.skState == TCP_SYN_SENT) {
            tcpDone(sk);
            return;
        }
        if (unread > 0) {
            abortOnClose.inc();
            setState(sk, TCP_CLOSE);
            sendActiveReset(sk);
            tcpDone(sk);
            return;
        }
        if (sk.sockLinger && sk.skLingertimeNs == 0) {
            abortOnData.inc();
            disconnect(sk, 0);
            destroySock(sk);
            return;
        }
        orphan(sk);
        if (closeState(sk)) {
            sendFin(sk);
        }
        if (sk.skState == TCP_FIN_WAIT2) {
            if (sk.linger2Ns < 0) {
                setState(sk, TCP_CLOSE);
                sendActiveReset(sk);
                abortOnLinger.inc();
                tcpDone(sk);
            } else {
                long tmo = finTime(sk);
                if (tmo > TCP_TIMEWAIT_LEN) {
                    sk.skTimer.mod(kernel.ktimeGetNs() + tmo - TCP_TIMEWAIT_LEN);
                } else {
                    timeWait(sk, TCP_FIN_WAIT2, tmo);
                }
            }
        }
    }

    private void orphan(TcpSock sk) {
        if (!sk.orphaned && sk.skState != TCP_CLOSE) {
            sk.orphaned = true;
            orphans.add(sk);
        }
    }

    /** {@code inet_csk_listen_stop}. */
    private void listenStop(TcpSock sk) {
        lhashRemove(sk);
        Sock c;
        while ((c = sk.icskAcceptQueue.remove()) != null) {
            TcpSock child = (TcpSock) c;
            child.parent = null;
            child.sockDead = true;
            disconnect(child, 0);
            destroySock(child);
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
    }

    /** {@code tcp_close_state}: the state a close moves to; true when a FIN must be sent. */
    private boolean closeState(TcpSock sk) {
        int next = switch (sk.skState) {
            case TCP_ESTABLISHED, TCP_SYN_RECV -> TCP_FIN_WAIT1;
            case TCP_CLOSE_WAIT -> TCP_LAST_ACK;
            default -> -1;
        };
        if (next < 0) {
            return false;
        }
        setState(sk, next);
        return true;
    }

    /**
     * {@code tcp_send_fin}: the FIN rides on the last unsent segment, or a new empty one, and is
     * pushed past Nagle ({@code __tcp_push_pending_frames} with {@code TCP_NAGLE_OFF}).
     */
    private void sendFin(TcpSock sk) {
        SkBuff tail = sk.skWriteQueue.peekTail();
        if (tail == null) {
            tail = kernel.allocSkb(0);
            cbSetSeq(tail, sk.writeSeq, sk.writeSeq);
            cbSet(tail, 0, 0);
            sk.skWriteQueue.queueTail(tail);
            sk.skWmemQueued += tail.truesize();
        }
        cbSet(tail, cbFlags(tail) | FIN, cbSacked(tail));
        cbSetSeq(tail, cbSeq(tail), cbEndSeq(tail) + 1);
        sk.writeSeq++;
        writeXmit(sk, TCP_NAGLE_OFF);
    }

    /**
     * {@code tcp_shutdown} via {@code inet_shutdown}: {@code SHUT_WR} sends our FIN
     * (ESTABLISHED → FIN-WAIT-1, CLOSE-WAIT → LAST-ACK); {@code SHUT_RD} only marks the socket.
     * A SYN-SENT socket is disconnected.
     */
    int shutdown(TcpSock sk, int how) {
        int err = 0;
        switch (sk.skState) {
            case TCP_CLOSE -> err = -Errno.ENOTCONN;
            case TCP_SYN_SENT -> {
                sk.skShutdown |= how;
                disconnect(sk, 0);
                sk.skWq.wakeUp();
                return 0;
            }
            case TCP_LISTEN -> {
                if ((how & RCV_SHUTDOWN) == 0) {
                    return -Errno.ENOTCONN;
                }
                listenStopKeepSocket(sk);
                sk.skWq.wakeUp();
                return 0;
            }
            default -> {
            }
        }
        sk.skShutdown |= how;
        if ((how & SEND_SHUTDOWN) != 0 && (sk.skState == TCP_ESTABLISHED || sk.skState == TCP_SYN_RECV
                || sk.skState == TCP_CLOSE_WAIT)) {
            if (closeState(sk)) {
                sendFin(sk);
            }
        }
        sk.skWq.wakeUp(); // sk_state_change
        return err;
    }

    private void listenStopKeepSocket(TcpSock sk) {
        Socket sock = sk.skSocket;
        listenStop(sk);
        sk.skSocket = sock;
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
        int old = sk.skState;
        if (old != TCP_CLOSE) {
            setState(sk, TCP_CLOSE);
        }
        if (old == TCP_ESTABLISHED || old == TCP_CLOSE_WAIT || old == TCP_FIN_WAIT1 || old == TCP_FIN_WAIT2
                || old == TCP_CLOSING || old == TCP_LAST_ACK || old == TCP_SYN_RECV) {
            sendActiveReset(sk);
        }
        stopTimers(sk);
        writeQueuePurge(sk);
        purgeOfo(sk);
        bhashRemove(sk);
        sk.inetDaddr = 0;
        sk.inetDport = 0;
        purge(sk);
        return 0;
    }

    /** {@code inet_unhash} / {@code inet_unhash} of the established hash. */
    @Override
    public void unhash(Sock sk0) {
        TcpSock sk = (TcpSock) sk0;
        ehashRemove(sk);
        lhashRemove(sk);
    }

    @Override
    public void forEachOrphan(Consumer<Sock> action) {
        for (TcpSock sk : orphans) {
            action.accept(sk);
        }
        for (TcpTimewaitSock head : twHash) {
            for (TcpTimewaitSock t = head; t != null; t = t.ehNext) {
                action.accept(t);
            }
        }
    }

    /**
     * The end of a run: frees what TCP still holds ({@code QUEUE_PURGE}): every connection's
     * write, retransmit and out-of-order queues, and the receive queues of sockets without a
     * descriptor (orphans, children never accepted).
     *
     * @return the skbs freed
     */
    long purgeAll() {
        long n = 0;
        java.util.List<TcpSock> all = new java.util.ArrayList<>(orphans);
        for (TcpSock head : ehash) {
            for (TcpSock s = head; s != null; s = s.ehNext) {
                if (!s.orphaned) {
                    all.add(s);
                }
            }
        }
        for (TcpSock s : all) {
            SkBuff skb;
            for (SkBuffHead q : new SkBuffHead[] {s.skWriteQueue, s.rtxQueue, s.ofoQueue}) {
                while ((skb = q.dequeue()) != null) {
                    s.skWmemQueued -= q == s.ofoQueue ? 0 : skb.truesize();
                    kernel.kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
                    n++;
                }
            }
            if (s.skSocket == null) {
                s.purgedQlen = s.skReceiveQueue.qlen();
                s.purgedRmem = s.skRmemAlloc;
                while ((skb = s.skReceiveQueue.dequeue()) != null) {
                    kernel.kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
                    n++;
                }
            }
        }
        return n;
    }

    // ---- socket options ------------------------------------------------------------------------

    /**
     * {@code do_tcp_setsockopt}: {@code TCP_NODELAY} (pushes what Nagle held), {@code TCP_CORK},
     * {@code TCP_MAXSEG} (88..{@code MAX_TCP_WINDOW}, before connect), {@code TCP_KEEPIDLE},
     * {@code TCP_KEEPINTVL}, {@code TCP_KEEPCNT}, {@code TCP_SYNCNT} (1..127),
     * {@code TCP_LINGER2}, {@code TCP_QUICKACK}, {@code TCP_WINDOW_CLAMP}.
     */
    @Override
    public int setsockopt(Sock sk0, int level, int optname, int val) {
        TcpSock sk = (TcpSock) sk0;
        if (level != SOL_TCP) {
            return -Errno.ENOPROTOOPT;
        }
        switch (optname) {
            case TCP_NODELAY -> {
                if (val != 0) {
                    sk.nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
                    writeXmit(sk, sk.nonagle);
                } else {
                    sk.nonagle &= ~TCP_NAGLE_OFF;
                }
            }
            case TCP_CORK -> {
                if (val != 0) {
                    sk.nonagle |= TCP_NAGLE_CORK;
                } else {
                    sk.nonagle &= ~TCP_NAGLE_CORK;
                    if ((sk.nonagle & TCP_NAGLE_OFF) != 0) {
                        sk.nonagle |= TCP_NAGLE_PUSH;
                    }
                    writeXmit(sk, sk.nonagle);
                }
            }
            case TCP_MAXSEG -> {
                if (val != 0 && (val < 88 || val > 65535)) {
                    return -Errno.EINVAL;
                }
                sk.userMss = val;
            }
            case TCP_KEEPIDLE -> {
                if (val < 1 || val > 32767) {
                    return -Errno.EINVAL;
                }
                sk.keepaliveTimeNs = val * 1_000_000_000L;
                if (sk.sockKeepopen && sk.skTimer != null && sk.skState != TCP_CLOSE && sk.skState != TCP_LISTEN) {
                    long idle = kernel.ktimeGetNs() - sk.rcvTstampNs;
                    sk.skTimer.mod(kernel.ktimeGetNs() + Math.max(sk.keepaliveTimeNs - idle, 0));
                }
            }
            case TCP_KEEPINTVL -> {
                if (val < 1 || val > 32767) {
                    return -Errno.EINVAL;
                }
                sk.keepaliveIntvlNs = val * 1_000_000_000L;
            }
            case TCP_KEEPCNT -> {
                if (val < 1 || val > 127) {
                    return -Errno.EINVAL;
                }
                sk.keepaliveProbes = val;
            }
            case TCP_SYNCNT -> {
                if (val < 1 || val > 127) {
                    return -Errno.EINVAL;
                }
                sk.icskSynRetries = val;
            }
            case TCP_LINGER2 -> {
                if (val < 0) {
                    sk.linger2Ns = -1;
                } else if (val > sysctl("net.ipv4.tcp_fin_timeout")) {
                    sk.linger2Ns = TCP_FIN_TIMEOUT_MAX;
                } else {
                    sk.linger2Ns = val * 1_000_000_000L;
                }
            }
            case TCP_QUICKACK -> {
                if (val != 0) {
                    enterQuickackMode(sk);
                    if ((sk.icskAckPending & ICSK_ACK_SCHED) != 0 && sk.skState != TCP_CLOSE) {
                        sendAck(sk);
                    }
                } else {
                    sk.icskAckPingpong = Math.max(sk.icskAckPingpong, pingpongThresh());
                }
            }
            case TCP_WINDOW_CLAMP -> {
                if (val < 0) {
                    return -Errno.EINVAL;
                }
                sk.windowClamp = val == 0 ? 0 : Math.max(val, Sock.SOCK_MIN_RCVBUF / 2);
            }
            default -> {
                return -Errno.ENOPROTOOPT;
            }
        }
        return 0;
    }

    /** {@code do_tcp_getsockopt} of the {@code int} options. */
    @Override
    public int getsockopt(Sock sk0, int level, int optname) {
        TcpSock sk = (TcpSock) sk0;
        if (level != SOL_TCP) {
            return -Errno.ENOPROTOOPT;
        }
        return switch (optname) {
            case TCP_NODELAY -> (sk.nonagle & TCP_NAGLE_OFF) != 0 ? 1 : 0;
            case TCP_CORK -> (sk.nonagle & TCP_NAGLE_CORK) != 0 ? 1 : 0;
            case TCP_MAXSEG -> sk.skState == TCP_CLOSE || sk.skState == TCP_LISTEN
                    ? (sk.userMss != 0 ? sk.userMss : TCP_MSS_DEFAULT) : sk.mssCache;
            case TCP_KEEPIDLE -> (int) ((sk.keepaliveTimeNs != 0 ? sk.keepaliveTimeNs
                    : sysctl("net.ipv4.tcp_keepalive_time") * 1_000_000_000L) / 1_000_000_000L);
            case TCP_KEEPINTVL -> (int) ((sk.keepaliveIntvlNs != 0 ? sk.keepaliveIntvlNs
                    : sysctl("net.ipv4.tcp_keepalive_intvl") * 1_000_000_000L) / 1_000_000_000L);
            case TCP_KEEPCNT -> sk.keepaliveProbes != 0 ? sk.keepaliveProbes : sysctl("net.ipv4.tcp_keepalive_probes");
            case TCP_SYNCNT -> sk.icskSynRetries != 0 ? sk.icskSynRetries : sysctl("net.ipv4.tcp_syn_retries");
            case TCP_LINGER2 -> sk.linger2Ns < 0 ? -1 : (int) ((sk.linger2Ns != 0 ? sk.linger2Ns
                    : sysctl("net.ipv4.tcp_fin_timeout") * 1_000_000_000L) / 1_000_000_000L);
            case TCP_QUICKACK -> inQuickackMode(sk) ? 1 : 0;
            case TCP_WINDOW_CLAMP -> sk.windowClamp;
            default -> -Errno.ENOPROTOOPT;
        };
    }

    /** {@code do_tcp_getsockopt(TCP_INFO)} → {@code tcp_get_info}: the length written. */
    @Override
    public int getsockopt(Sock sk0, int level, int optname, byte[] optval) {
        if (level != SOL_TCP) {
            return -Errno.ENOPROTOOPT;
        }
        if (optname == TCP_CONGESTION) {
            byte[] name = ((TcpSock) sk0).caOps.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int n = Math.min(Math.min(optval.length, 16), name.length);
            System.arraycopy(name, 0, optval, 0, n);
            return n;
        }
        if (optname != TCP_INFO) {
            int v = getsockopt(sk0, level, optname);
            if (v < 0 && v != -1) {
                return v;
            }
            if (optval.length < 4) {
                return -Errno.EINVAL;
            }
            for (int i = 0; i < 4; i++) {
                optval[i] = (byte) (v >>> (8 * i));
            }
            return 4;
        }
        TcpSock sk = (TcpSock) sk0;
        java.util.Arrays.fill(optval, (byte) 0);
        tcpGetInfo(sk, optval);
        return Math.min(optval.length, TcpInfo.SIZE);
    }

    @Override
    public int setsockopt(Sock sk0, int level, int optname, byte[] optval) {
        if (level == SOL_TCP && optname == TCP_CONGESTION) {
            // tcp_set_congestion_control
            int n = 0;
            while (n < optval.length && n < 16 && optval[n] != 0) {
                n++;
            }
            TcpCongestionOps ops = congestionOps.get(new String(optval, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
            if (ops == null) {
                return -Errno.ENOENT;
            }
            TcpSock sk = (TcpSock) sk0;
            sk.caOps = ops;
            if (sk.skState != TCP_CLOSE && sk.skState != TCP_LISTEN && sk.skState != TCP_SYN_SENT) {
                ops.init(sk); // tcp_reinit_congestion_control
            }
            return 0;
        }
        if (optval.length < 4) {
            return -Errno.EINVAL;
        }
        int v = (optval[0] & 0xff) | (optval[1] & 0xff) << 8 | (optval[2] & 0xff) << 16 | (optval[3] & 0xff) << 24;
        return setsockopt(sk0, level, optname, v);
    }

    /** {@code tcp_get_info}: the fields of {@code struct tcp_info} the model keeps; times in us or ms as the kernel gives them. */
    private void tcpGetInfo(TcpSock sk, byte[] b) {
        long now = kernel.ktimeGetNs();
        TcpInfo.put(b, "tcpi_state", sk.skState);
        TcpInfo.put(b, "tcpi_ca_state", sk.icskCaState);
        TcpInfo.put(b, "tcpi_retransmits", sk.icskRetransmits);
        TcpInfo.put(b, "tcpi_probes", sk.icskProbesOut);
        TcpInfo.put(b, "tcpi_backoff", sk.icskBackoff);
        int options = (sk.tstampOk ? 1 : 0) | (sk.sackOk ? 2 : 0) | (sk.wscaleOk ? 4 : 0);
        TcpInfo.put(b, "tcpi_options", options);
        if (sk.wscaleOk) {
            TcpInfo.put(b, "tcpi_snd_wscale", sk.sndWscale);
            TcpInfo.put(b, "tcpi_rcv_wscale", sk.rcvWscale);
        }
        TcpInfo.put(b, "tcpi_rto", sk.icskRto / 1000);
        TcpInfo.put(b, "tcpi_ato", sk.icskAckAtoNs / 1000);
        TcpInfo.put(b, "tcpi_snd_mss", sk.mssCache);
        TcpInfo.put(b, "tcpi_rcv_mss", sk.icskAckRcvMss);
        TcpInfo.put(b, "tcpi_unacked", sk.packetsOut);
        TcpInfo.put(b, "tcpi_sacked", sk.sackedOut);
        TcpInfo.put(b, "tcpi_lost", sk.lostOut);
        TcpInfo.put(b, "tcpi_retrans", sk.retransOut);
        TcpInfo.put(b, "tcpi_last_data_sent", (now - sk.lastDataSentNs) / 1_000_000);
        TcpInfo.put(b, "tcpi_last_data_recv", (now - sk.lastDataRecvNs) / 1_000_000);
        TcpInfo.put(b, "tcpi_last_ack_recv", (now - sk.lastAckRecvNs) / 1_000_000);
        TcpInfo.put(b, "tcpi_pmtu", sk.advmss + 40);
        TcpInfo.put(b, "tcpi_rcv_ssthresh", sk.rcvSsthresh);
        TcpInfo.put(b, "tcpi_rtt", sk.srttUs >> 3);
        TcpInfo.put(b, "tcpi_rttvar", sk.mdevUs >> 2);
        TcpInfo.put(b, "tcpi_snd_ssthresh", sk.sndSsthresh);
        TcpInfo.put(b, "tcpi_snd_cwnd", sk.sndCwnd);
        TcpInfo.put(b, "tcpi_advmss", sk.advmss);
        TcpInfo.put(b, "tcpi_reordering", sysctl("net.ipv4.tcp_reordering"));
        TcpInfo.put(b, "tcpi_rcv_space", sk.rcvWnd);
        TcpInfo.put(b, "tcpi_total_retrans", sk.totalRetrans);
        TcpInfo.put(b, "tcpi_bytes_acked", sk.bytesAcked);
        TcpInfo.put(b, "tcpi_bytes_received", sk.bytesReceived);
        TcpInfo.put(b, "tcpi_segs_out", sk.segsOut);
        TcpInfo.put(b, "tcpi_segs_in", sk.segsIn);
        TcpInfo.put(b, "tcpi_notsent_bytes", sk.writeSeq - sk.sndNxt);
        TcpInfo.put(b, "tcpi_min_rtt", sk.minRttUs == Integer.MAX_VALUE ? 0xffffffffL : sk.minRttUs);
        TcpInfo.put(b, "tcpi_data_segs_in", sk.dataSegsIn);
        TcpInfo.put(b, "tcpi_data_segs_out", sk.dataSegsOut);
        TcpInfo.put(b, "tcpi_delivered", sk.bytesAcked > 0 ? sk.dataSegsOut - sk.packetsOut : 0);
        TcpInfo.put(b, "tcpi_bytes_sent", sk.bytesSent);
        TcpInfo.put(b, "tcpi_bytes_retrans", sk.bytesRetrans);
        TcpInfo.put(b, "tcpi_rcv_ooopack", sk.rcvOoopack);
        TcpInfo.put(b, "tcpi_snd_wnd", sk.sndWnd);
        TcpInfo.put(b, "tcpi_rcv_wnd", sk.rcvWnd);
        TcpInfo.put(b, "tcpi_total_rto", sk.totalRto);
    }

    /** The request socks of {@code lsk} pending (its {@code qlen}), for tests. */
    public int reqskQueueLen(TcpSock lsk) {
        return lsk.icskAcceptQueue.qlen;
    }
}
