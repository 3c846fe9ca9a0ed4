package net.linuxnet.api.sock;

/**
 * The socket constants of {@code include/linux/socket.h}, {@code include/linux/net.h},
 * {@code include/uapi/asm-generic/socket.h} and {@code include/uapi/linux/in.h}, with their
 * Linux values, so that a model program reads like a C one.
 */
public final class SockConst {
    private SockConst() {
    }

    // ---- families, types, protocols ---------------------------------------------------------
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    /** {@code AF_MAX}: families are numbered below this. */
    public static final int AF_MAX = 46;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    /** {@code SOCK_NONBLOCK} (= {@code O_NONBLOCK}), or-ed into the type of {@code socket(2)}. */
    public static final int SOCK_NONBLOCK = 04000;
    /** {@code SOCK_TYPE_MASK}. */
    public static final int SOCK_TYPE_MASK = 0xf;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_TCP = 6;
    /** {@code INADDR_ANY}. */
    public static final int INADDR_ANY = 0;

    // ---- file flags -------------------------------------------------------------------------
    public static final int O_NONBLOCK = 04000;

    // ---- message flags ----------------------------------------------------------------------
    public static final int MSG_PEEK = 2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;

    // ---- levels and options -----------------------------------------------------------------
    public static final int SOL_SOCKET = 1;
    public static final int SOL_IP = 0;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_BROADCAST = 6;
    public static final int SO_KEEPALIVE = 9;
    /** {@code SO_LINGER}: a {@code struct linger} ({@code int l_onoff; int l_linger;}, seconds), 8 bytes. */
    public static final int SO_LINGER = 13;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_PRIORITY = 12;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_BINDTOIFINDEX = 62;
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_DETACH_FILTER = 27;
    public static final int SO_MARK = 36;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CORK = 3;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_SYNCNT = 7;
    public static final int TCP_LINGER2 = 8;
    public static final int TCP_WINDOW_CLAMP = 10;
    /** {@code TCP_INFO}: a {@code struct tcp_info}, see {@link TcpInfo}. */
    public static final int TCP_INFO = 11;
    public static final int TCP_QUICKACK = 12;
    /** {@code TCP_CONGESTION}: the congestion control's name, a string of at most 16 bytes. */
    public static final int TCP_CONGESTION = 13;
    public static final int TCP_USER_TIMEOUT = 18;
    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    public static final int IP_RECVERR = 11;
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IP_PMTUDISC_DONT = 0;
    public static final int IP_PMTUDISC_WANT = 1;
    public static final int IP_PMTUDISC_DO = 2;

    // ---- shutdown ---------------------------------------------------------------------------
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int RCV_SHUTDOWN = 1;
    public static final int SEND_SHUTDOWN = 2;

    // ---- sk_userlocks -----------------------------------------------------------------------
    public static final int SOCK_SNDBUF_LOCK = 1;
    public static final int SOCK_RCVBUF_LOCK = 2;
    public static final int SOCK_BINDADDR_LOCK = 4;
    public static final int SOCK_BINDPORT_LOCK = 8;

    // ---- sk_state (the TCP states, which datagram sockets reuse) ----------------------------
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECV = 3;
    public static final int TCP_FIN_WAIT1 = 4;
    public static final int TCP_FIN_WAIT2 = 5;
    public static final int TCP_TIME_WAIT = 6;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_CLOSE_WAIT = 8;
    public static final int TCP_LAST_ACK = 9;
    public static final int TCP_LISTEN = 10;
    public static final int TCP_CLOSING = 11;
    public static final int TCP_NEW_SYN_RECV = 12;

    /** The state names {@code ss} prints ({@code sstate_name} of iproute2's {@code misc/ss.c}), by state. */
    private static final String[] SS_STATE_NAME = {"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
        "FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "SYN-RECV"};

    /** The name {@code ss} prints for {@code state}. */
    public static String ssStateName(int state) {
        return state >= 0 && state < SS_STATE_NAME.length ? SS_STATE_NAME[state] : "UNKNOWN";
    }

    // ---- struct socket state ----------------------------------------------------------------
    public static final int SS_UNCONNECTED = 1;
    public static final int SS_CONNECTING = 2;
    public static final int SS_CONNECTED = 3;
}
