package net.linuxnet.protocols.tcp;

import net.linuxnet.api.sock.InetConnectionSock;
import net.linuxnet.api.sock.RequestSock;

/**
 * {@code struct tcp_request_sock} of {@code include/linux/tcp.h}: a {@link RequestSock} with
 * the sequence numbers of the handshake and the options the SYN carried.
 */
public final class TcpRequestSock extends RequestSock {
    /** {@code rcv_isn}: the peer's initial sequence number. */
    public int rcvIsn;
    /** {@code snt_isn}: ours, the SYN-ACK's sequence number. */
    public int sntIsn;
    /** {@code rcv_nxt}. */
    public int rcvNxt;
    /** {@code ts_off}: our TSval offset. */
    public int tsOff;
    /** {@code ts_recent}: the SYN's TSval. */
    public int tsRecent;
    /** {@code tstamp_ok}, {@code sack_ok}, {@code wscale_ok} of {@code inet_request_sock}. */
    public boolean tstampOk;
    public boolean sackOk;
    public boolean wscaleOk;
    /** {@code snd_wscale}: the peer's scale. */
    public int sndWscale;
    /** {@code rcv_wscale}: ours. */
    public int rcvWscale;
    /** {@code rsk_rcv_wnd}: the window our SYN-ACK offers, 0 until sent. */
    public int rcvWnd;
    /** When the first SYN-ACK went out, ns ({@code snt_synack}). */
    public long synackTxNs;
    /** The window the SYN offered (unscaled, as SYNs are). */
    public int sndWnd;
    /** Chain in the established hash. */
    TcpRequestSock ehNext;
    boolean hashed;

    public TcpRequestSock(InetConnectionSock listener) {
        super(listener);
    }
}
