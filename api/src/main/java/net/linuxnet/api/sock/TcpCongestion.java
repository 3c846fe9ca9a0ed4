package net.linuxnet.api.sock;

/**
 * The part of {@code struct tcp_sock} a congestion control module reads and writes
 * ({@code tcp_snd_cwnd}, {@code snd_ssthresh}, {@code snd_cwnd_cnt}, the clocks, the RTT), with
 * the helpers of {@code net/ipv4/tcp_cong.c} every module uses ({@link #slowStart},
 * {@link #congAvoidAi}), and the module's private state ({@code inet_csk_ca(sk)}).
 */
public interface TcpCongestion {

    int sndCwnd();

    void setSndCwnd(int cwnd);

    int sndSsthresh();

    void setSndSsthresh(int ssthresh);

    /** {@code snd_cwnd_cnt}. */
    int sndCwndCnt();

    void setSndCwndCnt(int cnt);

    /** {@code snd_cwnd_clamp}. */
    default int sndCwndClamp() {
        return Integer.MAX_VALUE;
    }

    int sndNxt();

    int sndUna();

    /** {@code srtt_us}: the smoothed RTT in microseconds, shifted left by 3; 0 before a sample. */
    int srttUs();

    /** {@code tcp_is_cwnd_limited}: whether the window, not the application, limited the last flight. */
    boolean isCwndLimited();

    /** {@code tcp_mstamp}: the socket's clock in microseconds. */
    long clockUs();

    /** {@code tcp_jiffies32}: the clock in jiffies (1 ms: HZ = 1000). */
    int jiffies();

    /** {@code lsndtime}: when data was last sent, in jiffies. */
    int lsndtime();

    /** {@code inet_csk_ca(sk)}: the module's per-connection state, null until its {@code init}. */
    Object caPriv();

    void setCaPriv(Object priv);

    /** Counts a TCP MIB counter of the host ({@code TcpExtTCPHystartTrainDetect}), by name. */
    void mibAdd(String name, long n);

    /** {@code tcp_in_slow_start}. */
    default boolean inSlowStart() {
        return sndCwnd() < sndSsthresh();
    }

    /**
     * {@code tcp_slow_start}: the window grows by what was acknowledged, up to
     * {@code ssthresh}; returns the acknowledged segments left over for congestion avoidance.
     */
    default int slowStart(int acked) {
        int cwnd = Math.min(sndCwnd() + acked, sndSsthresh());
        acked -= cwnd - sndCwnd();
        setSndCwnd(Math.min(cwnd, sndCwndClamp()));
        return acked;
    }

    /** {@code tcp_cong_avoid_ai}: one more segment for every {@code w} acknowledged. */
    default void congAvoidAi(int w, int acked) {
        int cnt = sndCwndCnt();
        int cwnd = sndCwnd();
        if (cnt >= w) {
            cnt = 0;
            cwnd++;
        }
        cnt += acked;
        if (cnt >= w) {
            int delta = cnt / w;
            cnt -= delta * w;
            cwnd += delta;
        }
        setSndCwndCnt(cnt);
        setSndCwnd(Math.min(cwnd, sndCwndClamp()));
    }
}
