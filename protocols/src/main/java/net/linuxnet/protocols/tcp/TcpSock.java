package net.linuxnet.protocols.tcp;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.InetConnectionSock;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.Sock;

/**
 * {@code struct tcp_sock} of {@code include/linux/tcp.h}: an {@link InetConnectionSock} with
 * the RFC 793 variables under their proper names (sequence numbers are 32-bit and wrap; compare
 * them with {@link Tcp#before}/{@link Tcp#after}), the options the peer agreed to
 * ({@code rx_opt}), and the socket's places in the TCP hash tables.
 */
public final class TcpSock extends InetConnectionSock {
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
    /** {@code tsoffset}: added to our clock in TSval (random per connection). */
    public int tsOffset;
    /** {@code rx_opt.ts_recent_stamp} of a listener: when it last sent SYN cookies ({@code tcp_synq_overflow}), ns. */
    public long lastSynqOverflowNs = Long.MIN_VALUE;
    /** {@code total_rto}: RTO expirations of this connection. */
    public int totalRto;
    /** The last out-of-window ACK or challenge ACK we sent, ns ({@code last_oow_ack_time}). */
    long lastOowAckNs = -(1L << 62);

    /**
     * Model-only per-connection record: when the SYN was sent and retransmitted (ns), first
     * {@link #synTxCount} entries; also the time the connection was established.
     */
    public final long[] synTxNs = new long[16];
    /** How many entries of {@link #synTxNs} are set. */
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

    public TcpSock(Kernel kernel, Proto prot) {
        super(kernel, prot);
    }

    /** {@code tcp_sk}. */
    public static TcpSock tcpSk(Sock sk) {
        return (TcpSock) sk;
    }
}
