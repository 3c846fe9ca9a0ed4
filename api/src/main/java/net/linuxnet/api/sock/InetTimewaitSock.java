package net.linuxnet.api.sock;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.TimerList;

/**
 * {@code struct inet_timewait_sock} of {@code include/net/inet_timewait_sock.h}: what is left of
 * a connection after it closed, kept for {@code TCP_TIMEWAIT_LEN} so that late segments of the
 * old incarnation are answered and not taken for a new one. Its {@link #skState} is
 * {@code TCP_TIME_WAIT}; {@link #twSubstate} says whether it is a real TIME-WAIT or an orphan's
 * FIN-WAIT-2 ({@code tcp_time_wait(sk, TCP_FIN_WAIT2, timeo)}), as {@code ss} shows it.
 *
 * <p>The kernel's timewait sock shares only {@code sock_common} with a full socket; here it
 * extends {@link InetSock} so that the socket report lists it like any other socket.
 */
public class InetTimewaitSock extends InetSock {
    /** {@code tw_substate}: {@code TCP_TIME_WAIT} or {@code TCP_FIN_WAIT2}. */
    public int twSubstate;
    /** {@code tw_timer}. */
    public TimerList twTimer;
    /** {@code tw_kill}: set when scheduled for at most 4 s ({@code inet_twsk_schedule}); counted {@code TWKilled}, not {@code TW}. */
    public boolean twKill;

    public InetTimewaitSock(Kernel kernel, Proto prot) {
        super(kernel, prot);
        skState = SockConst.TCP_TIME_WAIT;
    }
}
