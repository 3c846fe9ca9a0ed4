package net.linuxnet.api.sock;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.TimerList;

/**
 * {@code struct inet_connection_sock} of {@code include/net/inet_connection_sock.h}: the part
 * of a connection-oriented socket shared by the protocols that listen and accept
 * ({@code tcp_sock} embeds it). "inet_sock has to be the first member", so here it extends
 * {@link InetSock}.
 *
 * <pre>
 *   listen(backlog) ──▶ sk_max_ack_backlog = min(backlog, net.core.somaxconn)
 *   SYN ──▶ request sock (icsk_accept_queue.qlen++) ──▶ final ACK ──▶ child
 *        ──▶ accept queue (sk_ack_backlog++) ──▶ accept(2) takes the head
 * </pre>
 */
public class InetConnectionSock extends InetSock {
    /** {@code icsk_accept_queue}. */
    public final RequestSockQueue icskAcceptQueue = new RequestSockQueue();
    /** {@code sk_max_ack_backlog}: the listen backlog, clamped by {@code net.core.somaxconn}. */
    public int skMaxAckBacklog;
    /** {@code icsk_retransmits}: retransmissions of the head segment since the last ACK. */
    public int icskRetransmits;
    /** {@code icsk_backoff}: the exponential backoff shift of the RTO. */
    public int icskBackoff;
    /** {@code icsk_rto}: the retransmission timeout, ns. */
    public long icskRto;
    /** {@code icsk_retransmit_timer}, set up by the protocol. */
    public TimerList icskRetransmitTimer;
    /** {@code icsk_syn_retries}: TCP_SYNCNT, 0 for the sysctl. */
    public int icskSynRetries;
    /** {@code icsk_pending}: which of the retransmit-timer users is armed ({@code ICSK_TIME_RETRANS}, {@code ICSK_TIME_PROBE0}). */
    public int icskPending;
    /** {@code icsk_probes_out}: unanswered zero-window or keepalive probes. */
    public int icskProbesOut;
    /** {@code icsk_ca_state}: {@code TCP_CA_Open}, {@code Disorder}, {@code CWR}, {@code Recovery}, {@code Loss}. */
    public int icskCaState;
    /** {@code icsk_delack_timer}. */
    public TimerList icskDelackTimer;
    /** {@code sk_timer}: the keepalive timer, also the orphan's FIN-WAIT-2 timer. */
    public TimerList skTimer;

    // ---- icsk_ack: the delayed-ACK engine ----------------------------------------------------
    /** {@code icsk_ack.pending}: {@code ICSK_ACK_SCHED} | {@code ICSK_ACK_TIMER} | {@code ICSK_ACK_PUSHED} | ... */
    public int icskAckPending;
    /** {@code icsk_ack.quick}: immediate ACKs left in quickack mode. */
    public int icskAckQuick;
    /** {@code icsk_ack.pingpong}: interactive (request/response) mode, which delays ACKs. */
    public int icskAckPingpong;
    /** {@code icsk_ack.ato}: the delayed-ACK timeout, ns; 0 before the first data. */
    public long icskAckAtoNs;
    /** {@code icsk_ack.lrcvtime}: when data last arrived, ns. */
    public long icskAckLrcvtimeNs;
    /** {@code icsk_ack.timeout}: when the delayed-ACK timer fires, ns. */
    public long icskAckTimeoutNs;
    /** {@code icsk_ack.rcv_mss}: the peer's segment size as we see it. */
    public int icskAckRcvMss;

    public InetConnectionSock(Kernel kernel, Proto prot) {
        super(kernel, prot);
    }

    /** {@code inet_csk}. */
    public static InetConnectionSock inetCsk(Sock sk) {
        return (InetConnectionSock) sk;
    }

    /** {@code sk_ack_backlog}: the children waiting in the accept queue. */
    public int skAckBacklog() {
        return icskAcceptQueue.acceptLen();
    }

    /** {@code inet_sk_diag_fill}: a listener's Recv-Q is its accept queue. */
    @Override
    public int diagRqueue() {
        return skState == SockConst.TCP_LISTEN ? skAckBacklog() : super.diagRqueue();
    }

    /** A listener's Send-Q is its backlog. */
    @Override
    public int diagWqueue() {
        return skState == SockConst.TCP_LISTEN ? skMaxAckBacklog : super.diagWqueue();
    }

    /** {@code sk_acceptq_is_full}: {@code sk_ack_backlog > sk_max_ack_backlog}. */
    public boolean skAcceptqIsFull() {
        return skAckBacklog() > skMaxAckBacklog;
    }

    /** {@code inet_csk_reqsk_queue_is_full}: {@code qlen > sk_max_ack_backlog} (Linux 6.13 on). */
    public boolean reqskQueueIsFull() {
        return icskAcceptQueue.qlen > skMaxAckBacklog;
    }
}
