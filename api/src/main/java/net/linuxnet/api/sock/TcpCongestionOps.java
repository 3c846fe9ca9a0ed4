package net.linuxnet.api.sock;

/**
 * {@code struct tcp_congestion_ops} of {@code include/net/tcp.h}: a congestion control module,
 * registered by name as {@code tcp_register_congestion_control} does and chosen by
 * {@code net.ipv4.tcp_congestion_control} or {@code setsockopt(TCP_CONGESTION)}. Called in the
 * socket's context (softirq or process), on one connection at a time.
 */
public interface TcpCongestionOps {

    /** {@code CA_EVENT_TX_START}: first transmission when nothing is in flight. */
    int CA_EVENT_TX_START = 0;

    /** {@code name}: {@code "reno"}, {@code "cubic"}. */
    String name();

    /** {@code init}: sets up {@link TcpCongestion#caPriv()} when the connection is established. */
    default void init(TcpCongestion tp) {
    }

    /** {@code ssthresh}: the slow-start threshold after a loss. */
    int ssthresh(TcpCongestion tp);

    /** {@code cong_avoid}: grows the window for {@code acked} newly acknowledged segments. */
    void congAvoid(TcpCongestion tp, int ack, int acked);

    /** {@code set_state}: the connection enters {@code TCP_CA_*} state {@code newState}. */
    default void setState(TcpCongestion tp, int newState) {
    }

    /** {@code cwnd_event}. */
    default void cwndEvent(TcpCongestion tp, int event) {
    }

    /** {@code pkts_acked}: {@code acked} segments acknowledged, with an RTT sample in us (-1 for none). */
    default void pktsAcked(TcpCongestion tp, int acked, long rttUs) {
    }
}
