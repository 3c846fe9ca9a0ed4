package net.linuxnet.api.sock;

import net.linuxnet.api.kernel.TimerList;

/**
 * {@code struct request_sock} of {@code include/net/request_sock.h} with the part of
 * {@code struct inet_request_sock} every IPv4 connection-oriented protocol uses: an embryonic
 * connection a listener answered with a SYN-ACK ({@code TCP_NEW_SYN_RECV}), waiting for the
 * handshake's final ACK. It lives in the established hash, counts in its listener's
 * {@link RequestSockQueue#qlen}, and has its own timer ({@code rsk_timer}) that retransmits the
 * SYN-ACK. Protocols extend it ({@code TcpRequestSock}).
 */
public class RequestSock {
    /** {@code rsk_listener}: the listener the request belongs to. */
    public final InetConnectionSock rskListener;
    /** {@code ir_rmt_addr}: the peer's address, host order. */
    public int irRmtAddr;
    /** {@code ir_loc_addr}: our address, host order. */
    public int irLocAddr;
    /** {@code ir_rmt_port}. */
    public int irRmtPort;
    /** {@code ir_num}: our (the listener's) port. */
    public int irNum;
    /** {@code num_timeout}: SYN-ACK timer expirations so far. */
    public int numTimeout;
    /** {@code num_retrans}: SYN-ACKs retransmitted so far. */
    public int numRetrans;
    /** {@code timeout}: the initial SYN-ACK timeout in ns ({@code TCP_TIMEOUT_INIT}). */
    public long timeoutNs;
    /** {@code acked} of {@code inet_request_sock}: the final ACK came while the accept queue was full. */
    public boolean acked;
    /** {@code mss}: the MSS the peer announced ({@code mss_clamp}). */
    public int mss;
    /** {@code rsk_timer}. */
    public TimerList rskTimer;

    public RequestSock(InetConnectionSock listener) {
        this.rskListener = listener;
    }
}
