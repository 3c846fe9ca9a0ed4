package net.linuxnet.protocols.tcp;

import net.linuxnet.api.sock.TcpCongestion;
import net.linuxnet.api.sock.TcpCongestionOps;

/** {@code tcp_reno} of {@code net/ipv4/tcp_cong.c}: slow start, then one segment per window per RTT; half the window on a loss. */
public final class TcpReno implements TcpCongestionOps {

    @Override
    public String name() {
        return "reno";
    }

    /** {@code tcp_reno_ssthresh}. */
    @Override
    public int ssthresh(TcpCongestion tp) {
        return Math.max(tp.sndCwnd() >> 1, 2);
    }

    /** {@code tcp_reno_cong_avoid}. */
    @Override
    public void congAvoid(TcpCongestion tp, int ack, int acked) {
        if (!tp.isCwndLimited()) {
            return;
        }
        if (tp.inSlowStart()) {
            acked = tp.slowStart(acked);
            if (acked == 0) {
                return;
            }
        }
        tp.congAvoidAi(tp.sndCwnd(), acked);
    }
}
