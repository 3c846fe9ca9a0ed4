package net.linuxnet.protocols.tcp;

import net.linuxnet.api.sock.TcpCongestion;
import net.linuxnet.api.sock.TcpCongestionOps;

/**
 * CUBIC, Linux's default ({@code net/ipv4/tcp_cubic.c}, RFC 9438) with its module defaults:
 * {@code beta} 717/1024, {@code bic_scale} 41, fast convergence, TCP friendliness, and HyStart
 * (ACK-train and delay detection from a window of 16). After a loss the window follows
 * {@code W(t) = C (t - K)^3 + W_max} from {@code ssthresh = 0.7 cwnd}. Time is in jiffies of
 * 1 ms (HZ = 1000). {@code cubic_root} is computed exactly where the kernel uses a table and one
 * Newton step (within 0.2 % of each other).
 */
public final class TcpCubic implements TcpCongestionOps {
    static final int BICTCP_BETA_SCALE = 1024;
    static final int BICTCP_HZ = 10;
    static final int HZ = 1000;
    static final int BETA = 717;
    static final int BIC_SCALE = 41;
    static final int HYSTART_LOW_WINDOW = 16;
    static final int HYSTART_ACK_DELTA_US = 2000;
    static final int HYSTART_MIN_SAMPLES = 8;
    static final int HYSTART_DELAY_MIN = 4000;
    static final int HYSTART_DELAY_MAX = 16000;
    /** {@code beta_scale}: 8 (1024 + beta) / 3 / (1024 - beta). */
    static final int BETA_SCALE = 8 * (BICTCP_BETA_SCALE + BETA) / 3 / (BICTCP_BETA_SCALE - BETA);
    /** {@code cube_rtt_scale}: 1024 c / rtt. */
    static final long CUBE_RTT_SCALE = BIC_SCALE * 10;
    /** {@code cube_factor}: 2^40 / (bic_scale * 10). */
    static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / (BIC_SCALE * 10);

    /** {@code struct bictcp}. */
    static final class Bictcp {
        int cnt;
        int lastMaxCwnd;
        int lastCwnd;
        int lastTime;
        int bicOriginPoint;
        int bicK;
        int delayMin;
        int epochStart;
        int ackCnt;
        int tcpCwnd;
        int sampleCnt;
        boolean found;
        long roundStart;
        int endSeq;
        long lastAck;
        int currRtt;

        /** {@code bictcp_reset}. */
        void reset() {
            cnt = 0;
            lastMaxCwnd = 0;
            lastCwnd = 0;
            lastTime = 0;
            bicOriginPoint = 0;
            bicK = 0;
            delayMin = 0;
            epochStart = 0;
            ackCnt = 0;
            tcpCwnd = 0;
            found = false;
        }
    }

    @Override
    public String name() {
        return "cubic";
    }

    private static Bictcp ca(TcpCongestion tp) {
        return (Bictcp) tp.caPriv();
    }

    /** {@code bictcp_hystart_reset}. */
    private static void hystartReset(TcpCongestion tp, Bictcp ca) {
        ca.roundStart = tp.clockUs();
        ca.lastAck = ca.roundStart;
        ca.endSeq = tp.sndNxt();
        ca.currRtt = -1; // ~0U
        ca.sampleCnt = 0;
    }

    /** {@code cubictcp_init}. */
    @Override
    public void init(TcpCongestion tp) {
        Bictcp ca = new Bictcp();
        tp.setCaPriv(ca);
        ca.reset();
        hystartReset(tp, ca);
    }

    /** {@code cubictcp_cwnd_event}: after an idle period the epoch moves on, so the curve does not jump. */
    @Override
    public void cwndEvent(TcpCongestion tp, int event) {
        if (event != CA_EVENT_TX_START) {
            return;
        }
        Bictcp ca = ca(tp);
        int now = tp.jiffies();
        int delta = now - tp.lsndtime();
        if (ca.epochStart != 0 && delta > 0) {
            ca.epochStart += delta;
            if (ca.epochStart - now > 0) {
                ca.epochStart = now;
            }
        }
    }

    /** {@code cubic_root}. */
    static int cubicRoot(long a) {
        return (int) Math.cbrt((double) a);
    }

    /** {@code bictcp_update}: the ACKs per one-segment increase that keep cwnd on the cubic curve. */
    private static void update(TcpCongestion tp, Bictcp ca, int cwnd, int acked) {
        ca.ackCnt += acked;
        int now = tp.jiffies();
        if (ca.lastCwnd == cwnd && now - ca.lastTime <= HZ / 32) {
            return;
        }
        if (!(ca.epochStart != 0 && now == ca.lastTime)) {
            ca.lastCwnd = cwnd;
            ca.lastTime = now;
            if (ca.epochStart == 0) {
                ca.epochStart = now;
                ca.ackCnt = acked;
                ca.tcpCwnd = cwnd;
                if (ca.lastMaxCwnd <= cwnd) {
                    ca.bicK = 0;
                    ca.bicOriginPoint = cwnd;
                } else {
                    ca.bicK = cubicRoot(CUBE_FACTOR * (ca.lastMaxCwnd - cwnd));
                    ca.bicOriginPoint = ca.lastMaxCwnd;
                }
            }
            long t = now - ca.epochStart;
            t += (ca.delayMin + 999) / 1000; // usecs_to_jiffies
            t = (t << BICTCP_HZ) / HZ;
            long offs = t < ca.bicK ? ca.bicK - t : t - ca.bicK;
            int delta = (int) ((CUBE_RTT_SCALE * offs * offs * offs) >>> (10 + 3 * BICTCP_HZ));
            int bicTarget = t < ca.bicK ? ca.bicOriginPoint - delta : ca.bicOriginPoint + delta;
            if (bicTarget > cwnd) {
                ca.cnt = cwnd / (bicTarget - cwnd);
            } else {
                ca.cnt = 100 * cwnd;
            }
            if (ca.lastMaxCwnd == 0 && ca.cnt > 20) {
                ca.cnt = 20;
            }
        }
        // TCP friendliness: never slower than Reno would be
        int delta = (cwnd * BETA_SCALE) >> 3;
        while (delta > 0 && ca.ackCnt > delta) {
            ca.ackCnt -= delta;
            ca.tcpCwnd++;
        }
        if (ca.tcpCwnd > cwnd) {
            int maxCnt = cwnd / (ca.tcpCwnd - cwnd);
            if (ca.cnt > maxCnt) {
                ca.cnt = maxCnt;
            }
        }
        ca.cnt = Math.max(ca.cnt, 2);
    }

    /** {@code cubictcp_cong_avoid}. */
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
        Bictcp ca = ca(tp);
        update(tp, ca, tp.sndCwnd(), acked);
        tp.congAvoidAi(ca.cnt, acked);
    }

    /** {@code cubictcp_recalc_ssthresh}: {@code W_max} (lowered further by fast convergence) and 0.7 cwnd. */
    @Override
    public int ssthresh(TcpCongestion tp) {
        Bictcp ca = ca(tp);
        int cwnd = tp.sndCwnd();
        ca.epochStart = 0;
        if (cwnd < ca.lastMaxCwnd) {
            ca.lastMaxCwnd = (int) ((long) cwnd * (BICTCP_BETA_SCALE + BETA) / (2 * BICTCP_BETA_SCALE));
        } else {
            ca.lastMaxCwnd = cwnd;
        }
        return Math.max((int) ((long) cwnd * BETA / BICTCP_BETA_SCALE), 2);
    }

    /** {@code cubictcp_state}: a loss timeout starts over. */
    @Override
    public void setState(TcpCongestion tp, int newState) {
        if (newState == Tcp.TCP_CA_LOSS) {
            Bictcp ca = ca(tp);
            ca.reset();
            hystartReset(tp, ca);
        }
    }

    /**
     * {@code cubictcp_acked}: the minimum delay, and HyStart in slow start: a train of ACKs longer
     * than half the minimum RTT ({@code TCPHystartTrainDetect}) or a round's RTT grown by an
     * eighth ({@code TCPHystartDelayDetect}) ends slow start at the current window.
     */
    @Override
    public void pktsAcked(TcpCongestion tp, int acked, long rttUs) {
        if (rttUs < 0) {
            return;
        }
        Bictcp ca = ca(tp);
        if (ca.epochStart != 0 && tp.jiffies() - ca.epochStart < HZ) {
            return;
        }
        int delay = (int) Math.max(1, Math.min(rttUs, Integer.MAX_VALUE));
        if (ca.delayMin == 0 || ca.delayMin > delay) {
            ca.delayMin = delay;
        }
        if (!ca.found && tp.inSlowStart()) {
            hystartUpdate(tp, ca, delay);
        }
    }

    /** {@code hystart_update}. */
    private static void hystartUpdate(TcpCongestion tp, Bictcp ca, int delay) {
        if (Tcp.after(tp.sndUna(), ca.endSeq)) {
            hystartReset(tp, ca);
        }
        if (tp.sndCwnd() < HYSTART_LOW_WINDOW) {
            return;
        }
        long now = tp.clockUs();
        if (now - ca.lastAck <= HYSTART_ACK_DELTA_US) {
            ca.lastAck = now;
            long threshold = ca.delayMin >> 1; // no pacing: half the minimum delay
            if (now - ca.roundStart > threshold) {
                ca.found = true;
                tp.mibAdd("TcpExtTCPHystartTrainDetect", 1);
                tp.mibAdd("TcpExtTCPHystartTrainCwnd", tp.sndCwnd());
                tp.setSndSsthresh(tp.sndCwnd());
            }
        }
        if (Integer.compareUnsigned(ca.currRtt, delay) > 0) {
            ca.currRtt = delay;
        }
        if (ca.sampleCnt < HYSTART_MIN_SAMPLES) {
            ca.sampleCnt++;
        } else {
            int thresh = Math.max(HYSTART_DELAY_MIN, Math.min(ca.delayMin >> 3, HYSTART_DELAY_MAX));
            if (Integer.compareUnsigned(ca.currRtt, ca.delayMin + thresh) > 0) {
                ca.found = true;
                tp.mibAdd("TcpExtTCPHystartDelayDetect", 1);
                tp.mibAdd("TcpExtTCPHystartDelayCwnd", tp.sndCwnd());
                tp.setSndSsthresh(tp.sndCwnd());
            }
        }
    }
}
