package net.linuxnet.protocols.tcp;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.SkBuffHead;
import net.linuxnet.api.sock.InetConnectionSock;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockConst;
import net.linuxnet.api.sock.TcpCongestion;
import net.linuxnet.api.sock.TcpCongestionOps;

/**
 * {@code struct tcp_sock} of {@code include/linux/tcp.h}: an {@link InetConnectionSock} with
 * the RFC 793 variables under their proper names (sequence numbers are 32-bit and wrap; compare
 * them with {@link Tcp#before}/{@link Tcp#after}), the options the peer agreed to
 * ({@code rx_opt}), and the socket's places in the TCP hash tables.
 */
public final class TcpSock extends InetConnectionSock implements TcpCongestion {
    /** {@code snd_una}: the first byte we want an ACK for. */
    public int sndUna;
    /** {@code snd_nxt}: the next sequence number we send. */
    public int sndNxt;
    /** {@code write_seq}: the tail of the write queue + 1. */
    public int writeSeq;
    /** {@code rcv_nxt}: what we want to receive next. */
    public int rcvNxt;
    /** {@code rcv_wup}: {@code rcv_nxt} at the last window update sent. */
    public int rcvWup;
    /** {@code snd_wnd}: the window the peer offers, scaled. */
    public int sndWnd;
    /** {@code rcv_wnd}: the current receiver window, unscaled bytes. */
    public int rcvWnd;
    /** {@code copied_seq}: the head of unread data. */
    public int copiedSeq;
    /** {@code snd_wl1}: the sequence number of the segment that last updated the send window. */
    public int sndWl1;
    /** {@code max_window}: the largest window the peer offered. */
    public int maxWindow;
    /** {@code snd_sml}: the end of the last small segment sent (Minshall's Nagle). */
    public int sndSml;
    /** {@code snd_up}-less model: {@code pushed_seq}, the end of the last segment marked PSH. */
    public int pushedSeq;
    /** {@code rcv_ssthresh}: the window we offer grows up to this ({@code tcp_grow_window}). */
    public int rcvSsthresh;
    /** {@code window_clamp}: the largest window we will ever offer. */
    public int windowClamp;
    /** {@code advmss}: the MSS we announced. */
    public int advmss;
    /** {@code scaling_ratio}: payload per truesize of received skbs, in 1/256 ({@code tcp_win_from_space}). */
    public int scalingRatio = 128;
    /** {@code nonagle}: {@code TCP_NAGLE_OFF} (TCP_NODELAY) | {@code TCP_NAGLE_CORK}. */
    public int nonagle;
    /** {@code rx_opt.user_mss}: TCP_MAXSEG, 0 for none. */
    public int userMss;
    /** {@code linger2}: TCP_LINGER2 in ns, 0 for {@code tcp_fin_timeout}, negative for none. */
    public long linger2Ns;
    /** {@code keepalive_time}, {@code keepalive_intvl} (ns) and {@code keepalive_probes}; 0 for the sysctls. */
    public long keepaliveTimeNs;
    public long keepaliveIntvlNs;
    public int keepaliveProbes;

    // ---- congestion control (tcp_cong.c) ----------------------------------------------------------
    /** {@code icsk_ca_ops}: the congestion control module. */
    public TcpCongestionOps caOps;
    /** {@code icsk_ca_priv}: its state for this connection. */
    Object caPriv;
    /** {@code is_cwnd_limited}, {@code max_packets_out}, {@code cwnd_usage_seq} ({@code tcp_cwnd_validate}). */
    boolean isCwndLimitedFlag;
    int maxPacketsOut;
    int cwndUsageSeq;
    /** {@code snd_cwnd}, segments. */
    public int sndCwnd = 10;
    /** {@code snd_ssthresh}. */
    public int sndSsthresh = 0x7fffffff;
    /** {@code snd_cwnd_cnt}: ACKed segments counted towards the next congestion-avoidance increase. */
    public int sndCwndCnt;
    /** {@code packets_out}: segments sent and not yet acknowledged. */
    public int packetsOut;
    /** {@code retrans_out}: retransmitted segments in flight. */
    public int retransOut;
    /** {@code lost_out}: segments marked lost, not yet retransmitted. */
    public int lostOut;
    /** {@code sacked_out}: duplicate ACKs seen (a non-SACK flow's "SACKed" count, {@code tcp_add_reno_sack}). */
    public int sackedOut;
    /** {@code prior_cwnd}, {@code prr_delivered}, {@code prr_out}: Proportional Rate Reduction's state in Recovery. */
    public int priorCwnd;
    public int prrDelivered;
    public int prrOut;
    /** {@code high_seq}: {@code snd_nxt} when recovery or loss began. */
    public int highSeq;
    /** {@code rack.mstamp}, {@code rack.end_seq}, {@code rack.rtt_us}: the latest delivered transmission (RFC 8985). */
    long rackMstampNs;
    int rackEndSeq;
    int rackRttUs;
    /** {@code rack.advanced}: a newer delivery was seen since the last loss detection. */
    boolean rackAdvanced;
    /** {@code tlp_high_seq}: {@code snd_nxt} when a loss probe went out, 0 when none is outstanding. */
    public int tlpHighSeq;
    /** {@code tlp_retrans}: the probe retransmitted (rather than sent new data). */
    boolean tlpRetrans;
    /** {@code retrans_stamp} of data: when the head segment was first retransmitted, ns, 0 for none. */
    public long dataRetransStampNs;

    // ---- RTT (tcp_rtt_estimator), all in microseconds as the kernel keeps them ---------------
    /** {@code srtt_us}: smoothed RTT &lt;&lt; 3. */
    public int srttUs;
    /** {@code mdev_us}: medium deviation &lt;&lt; 2... as {@code tcp_rtt_estimator} keeps it. */
    public int mdevUs;
    /** {@code mdev_max_us}. */
    public int mdevMaxUs;
    /** {@code rttvar_us}. */
    public int rttvarUs;
    /** {@code rtt_seq}: the sequence number that ends the current RTT round. */
    public int rttSeq;
    /** {@code rtt_min}: the smallest RTT seen, us. */
    public int minRttUs = Integer.MAX_VALUE;

    // ---- queues -------------------------------------------------------------------------------
    /** {@code tcp_rtx_queue}: segments sent and not fully acknowledged, in sequence order. */
    public final SkBuffHead rtxQueue = new SkBuffHead();
    /** {@code out_of_order_queue}: received segments beyond {@code rcv_nxt}, in sequence order. */
    public final SkBuffHead ofoQueue = new SkBuffHead();
    /** {@code selective_acks}: the SACK blocks we report, most recently changed first ({@code rx_opt.num_sacks} of them). */
    int[] sackStart;
    int[] sackEnd;
    int numSacks;
    /** {@code rx_opt.dsack} and {@code duplicate_sack[0]}: a D-SACK block for the next ACK. */
    boolean dsack;
    int dsackStart;
    int dsackEnd;

    // ---- tcp_info counters --------------------------------------------------------------------
    public long bytesAcked;
    public long bytesReceived;
    public long bytesSent;
    public long bytesRetrans;
    public int segsOut;
    public int segsIn;
    public int dataSegsIn;
    public int dataSegsOut;
    public int totalRetrans;
    public int rcvOoopack;
    public long lastDataSentNs;
    public long lastDataRecvNs;
    public long lastAckRecvNs;
    /** {@code rcv_tstamp}: when the last ACK arrived, ns (keepalive idle time). */
    public long rcvTstampNs;
    /** {@code lsndtime}: when data was last sent, ns. */
    public long lsndtimeNs;
    /** {@code mss_cache}: the current effective sending MSS (without options). */
    public int mssCache;
    /** {@code rx_opt.mss_clamp}: the MSS the peer announced. */
    public int mssClamp;
    /** {@code rx_opt.tstamp_ok}. */
    public boolean tstampOk;
    /** {@code rx_opt.sack_ok}. */
    public boolean sackOk;
    /** {@code rx_opt.wscale_ok}. */
    public boolean wscaleOk;
    /** {@code rx_opt.snd_wscale}: the peer's window scale. */
    public int sndWscale;
    /** {@code rx_opt.rcv_wscale}: our window scale. */
    public int rcvWscale;
    /** {@code rx_opt.ts_recent}: the peer's last TSval. */
    public int tsRecent;
    /** {@code rx_opt.ts_recent_stamp} != 0: {@link #tsRecent} holds a value PAWS may compare with. */
    public boolean tsRecentStamp;
    /** {@code tsoffset}: added to our clock in TSval (random per connection). */
    public int tsOffset;
    /** {@code rx_opt.ts_recent_stamp} of a listener: when it last sent SYN cookies ({@code tcp_synq_overflow}), ns. */
    public long lastSynqOverflowNs = Long.MIN_VALUE;
    /** {@code total_rto}: RTO expirations of this connection. */
    public int totalRto;
    /** The last out-of-window ACK or challenge ACK we sent, ns ({@code last_oow_ack_time}). */
    long lastOowAckNs = -(1L << 62);

    /** When our SYN was last sent, ns (the SYN skb's timestamp, for the handshake's RTT sample). */
    public long synTxNs;
    /** How many times our SYN was sent. */
    public int synTxCount;
    /** When the handshake completed (ns), or -1. */
    public long establishedNs = -1;

    // ---- hash tables ----------------------------------------------------------------------
    TcpSock ehNext;
    boolean ehashed;
    TcpSock lhNext;
    boolean lhashed;
    TcpSock bhNext;
    boolean bhashed;
    /** The listener whose accept queue holds this child, until accepted. */
    TcpSock parent;
    /** Whether this socket is in {@link Tcp}'s orphan list (closed by its program, still alive). */
    boolean orphaned;
    /** Whether the port was taken by {@code bind(2)} (not shared by {@code connect}'s port choice). */
    boolean bindPort;

    public TcpSock(Kernel kernel, Proto prot) {
        super(kernel, prot);
    }

    /** {@code tcp_diag_get_info}: Recv-Q is {@code rcv_nxt - copied_seq} (an unread FIN counts 1). */
    @Override
    public int diagRqueue() {
        return skState == SockConst.TCP_LISTEN ? super.diagRqueue() : Math.max(rcvNxt - copiedSeq, 0);
    }

    /** Send-Q is {@code write_seq - snd_una}: bytes not yet acknowledged. */
    @Override
    public int diagWqueue() {
        return skState == SockConst.TCP_LISTEN ? super.diagWqueue() : Math.max(writeSeq - sndUna, 0);
    }

    // ---- TcpCongestion ------------------------------------------------------------------------

    @Override
    public int sndCwnd() {
        return sndCwnd;
    }

    @Override
    public void setSndCwnd(int cwnd) {
        sndCwnd = cwnd;
    }

    @Override
    public int sndSsthresh() {
        return sndSsthresh;
    }

    @Override
    public void setSndSsthresh(int ssthresh) {
        sndSsthresh = ssthresh;
    }

    @Override
    public int sndCwndCnt() {
        return sndCwndCnt;
    }

    @Override
    public void setSndCwndCnt(int cnt) {
        sndCwndCnt = cnt;
    }

    @Override
    public int sndNxt() {
        return sndNxt;
    }

    @Override
    public int sndUna() {
        return sndUna;
    }

    @Override
    public int srttUs() {
        return srttUs;
    }

    /** {@code tcp_is_cwnd_limited}: the last flight filled the window, or in slow start the window is under twice the largest flight. */
    @Override
    public boolean isCwndLimited() {
        if (isCwndLimitedFlag) {
            return true;
        }
        return inSlowStart() && sndCwnd < 2 * maxPacketsOut;
    }

    @Override
    public long clockUs() {
        return kernel.ktimeGetNs() / 1000;
    }

    @Override
    public int jiffies() {
        return (int) (kernel.ktimeGetNs() / 1_000_000L);
    }

    @Override
    public int lsndtime() {
        return (int) (lsndtimeNs / 1_000_000L);
    }

    @Override
    public Object caPriv() {
        return caPriv;
    }

    @Override
    public void setCaPriv(Object priv) {
        caPriv = priv;
    }

    @Override
    public void mibAdd(String name, long n) {
        kernel.mib(name).add(n);
    }

    /** {@code tcp_sk}. */
    public static TcpSock tcpSk(Sock sk) {
        return (TcpSock) sk;
    }
}
