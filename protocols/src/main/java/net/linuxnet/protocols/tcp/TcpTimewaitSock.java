package net.linuxnet.protocols.tcp;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.InetTimewaitSock;
import net.linuxnet.api.sock.Proto;

/**
 * {@code struct tcp_timewait_sock} of {@code include/linux/tcp.h}: an {@link InetTimewaitSock}
 * with what {@code tcp_timewait_state_process} needs to answer the old connection's late
 * segments: the next sequence numbers both ways, the window, and the peer's last timestamp.
 */
public final class TcpTimewaitSock extends InetTimewaitSock {
    /** {@code tw_rcv_nxt}. */
    public int twRcvNxt;
    /** {@code tw_snd_nxt}. */
    public int twSndNxt;
    /** {@code tw_rcv_wnd}: the window last offered, unscaled. */
    public int twRcvWnd;
    /** {@code tw_rcv_wscale}. */
    public int twRcvWscale;
    /** {@code tw_ts_recent}, and whether timestamps were agreed ({@code tw_ts_recent_stamp} != 0). */
    public int twTsRecent;
    public boolean twTstampOk;
    /** {@code tw_ts_offset}. */
    public int twTsOffset;
    /** Chain in the TIME-WAIT part of the established hash. */
    TcpTimewaitSock ehNext;
    boolean hashed;

    public TcpTimewaitSock(Kernel kernel, Proto prot) {
        super(kernel, prot);
    }

    @Override
    public int diagRqueue() {
        return 0;
    }

    @Override
    public int diagWqueue() {
        return 0;
    }
}
