package net.linuxnet.protocols.tcp;

import static net.linuxnet.api.sock.SockConst.*;
import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.TcpCongestion;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** CUBIC's window after a loss, on a connection whose clock and ACKs the test drives, and the choice of module. */
final class TcpCubicTest {

    /** A window that is always fully used, ACKed a window per RTT. */
    static final class Flow implements TcpCongestion {
        int cwnd = 10;
        int ssthresh = Integer.MAX_VALUE;
        int cnt;
        long nowUs;
        Object priv;
        int nxt;

        @Override public int sndCwnd() { return cwnd; }
        @Override public void setSndCwnd(int c) { cwnd = c; }
        @Override public int sndSsthresh() { return ssthresh; }
        @Override public void setSndSsthresh(int s) { ssthresh = s; }
        @Override public int sndCwndCnt() { return cnt; }
        @Override public void setSndCwndCnt(int c) { cnt = c; }
        @Override public int sndNxt() { return nxt; }
        @Override public int sndUna() { return nxt; }
        @Override public int srttUs() { return 100_000 << 3; }
        @Override public boolean isCwndLimited() { return true; }
        @Override public long clockUs() { return nowUs; }
        @Override public int jiffies() { return (int) (nowUs / 1000); }
        @Override public int lsndtime() { return jiffies(); }
        @Override public Object caPriv() { return priv; }
        @Override public void setCaPriv(Object p) { priv = p; }
        @Override public void mibAdd(String name, long n) { }

        /** One RTT of 100 ms: a window of ACKs, one per segment. */
        void rtt(TcpCubic cubic) {
            int w = cwnd;
            for (int i = 0; i < w; i++) {
                nowUs += 100_000 / w;
                nxt += 1000;
                cubic.congAvoid(this, nxt, 1);
            }
        }
    }

    @Test
    void afterALossTheWindowReturnsToItsMaximumAlongTheCubicCurveInKSeconds() {
        TcpCubic cubic = new TcpCubic();
        Flow f = new Flow();
        f.nowUs = 1_000_000;
        cubic.init(f);
        f.cwnd = 100;
        f.ssthresh = cubic.ssthresh(f);
        // beta 717/1024
        assertThat(f.ssthresh).isEqualTo(100 * 717 / 1024);
        f.cwnd = f.ssthresh;
        // K = cbrt(W_max (1 - beta) / C) = cbrt(100 * 0.3 / 0.4) = 4.2 s
        int[] atSecond = new int[7];
        for (int s = 0; s < 7; s++) {
            for (int r = 0; r < 10; r++) {
                f.rtt(cubic);
            }
            atSecond[s] = f.cwnd;
        }
        // concave up to W_max around K, then convex beyond it
        assertThat(atSecond[3]).isBetween(92, 100);
        assertThat(atSecond[4]).isBetween(97, 103);
        assertThat(atSecond[6]).isGreaterThan(104);
        int early = atSecond[1] - atSecond[0];
        int nearK = atSecond[4] - atSecond[3];
        int late = atSecond[6] - atSecond[5];
        assertThat(early).isGreaterThan(nearK);
        assertThat(late).isGreaterThan(nearK);
    }

    @Test
    void fastConvergenceLowersWmaxWhenTheWindowShrinksAgain() {
        TcpCubic cubic = new TcpCubic();
        Flow f = new Flow();
        cubic.init(f);
        f.cwnd = 100;
        cubic.ssthresh(f);
        f.cwnd = 80; // lost again below the previous maximum
        assertThat(cubic.ssthresh(f)).isEqualTo(80 * 717 / 1024);
        assertThat(((TcpCubic.Bictcp) f.priv).lastMaxCwnd).isEqualTo(80 * (1024 + 717) / 2048);
    }

    @Test
    void connectionsUseTheSysctlsModuleAndTcpCongestionChangesIt() {
        World w = TestWorlds.build("""
                linuxnet {
                  run { duration = 1s, seed = 5 }
                  hosts {
                    a { cpus = 1, sysctl { "net.ipv4.tcp_congestion_control" = reno }
                        devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } } }
                    b { cpus = 1
                        devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } } }
                  }
                }
                """);
        try {
            Host a = w.host("a");
            Host b = w.host("b");
            int fa = a.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            int fb = b.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            byte[] name = new byte[16];
            assertThat(new String(name, 0, a.getsockopt(fa, SOL_TCP, TCP_CONGESTION, name))).isEqualTo("reno");
            assertThat(new String(name, 0, b.getsockopt(fb, SOL_TCP, TCP_CONGESTION, name))).isEqualTo("cubic");
            assertThat(a.setsockopt(fa, SOL_TCP, TCP_CONGESTION, "cubic".getBytes())).isZero();
            assertThat(new String(name, 0, a.getsockopt(fa, SOL_TCP, TCP_CONGESTION, name))).isEqualTo("cubic");
            assertThat(a.setsockopt(fa, SOL_TCP, TCP_CONGESTION, "vegas".getBytes())).isEqualTo(-Errno.ENOENT);
            assertThat(b.bind(fb, new SockaddrIn(SockaddrIn.aton("10.0.0.2"), 80))).isZero();
        } finally {
            w.finish();
        }
    }
}
