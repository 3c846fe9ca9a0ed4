package net.linuxnet.protocols.tcp;

import static net.linuxnet.api.sock.SockConst.*;

import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.ProtoOps;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;

/**
 * {@code inet_stream_ops} of {@code net/ipv4/af_inet.c}: the {@link ProtoOps} of AF_INET
 * stream sockets. {@code bind}, {@code getname}, {@code setsockopt} and {@code release} are
 * shared with the datagram ops ({@code AfInet}); this adds {@code inet_stream_connect},
 * {@code inet_listen} and {@code inet_accept}.
 */
public final class InetStreamOps implements ProtoOps {
    private final ProtoOps inet;
    private final Tcp tcp;

    /** @param inet the family's datagram ops, whose bind, getname, release and options are shared */
    public InetStreamOps(ProtoOps inet, Tcp tcp) {
        this.inet = inet;
        this.tcp = tcp;
    }

    @Override
    public int family() {
        return AF_INET;
    }

    @Override
    public int release(Socket sock) {
        return inet.release(sock);
    }

    @Override
    public int bind(Socket sock, SockaddrIn addr) {
        return inet.bind(sock, addr);
    }

    /**
     * {@code __inet_stream_connect}: the first call sends the SYN and returns
     * {@code -EINPROGRESS} (non-blocking) or {@code -EAGAIN}, on which the socket layer puts a
     * blocking caller to sleep; a later call returns 0 once established ({@code SS_CONNECTED}),
     * the socket's error once closed, and {@code -EALREADY} / {@code -EAGAIN} while the
     * handshake runs.
     */
    @Override
    public int connect(Socket sock, SockaddrIn addr, int flags) {
        Sock sk = sock.sk;
        boolean nonblock = (flags & O_NONBLOCK) != 0;
        if (addr.family == AF_UNSPEC) {
            int err = sk.skProt.disconnect(sk, flags);
            sock.state = SS_UNCONNECTED;
            return err;
        }
        switch (sock.state) {
            case SS_CONNECTED -> {
                return -Errno.EISCONN;
            }
            case SS_CONNECTING -> {
                if (sk.skState == TCP_SYN_SENT || sk.skState == TCP_SYN_RECV) {
                    return nonblock ? -Errno.EALREADY : -Errno.EAGAIN;
                }
            }
            case SS_UNCONNECTED -> {
                if (sk.skState != TCP_CLOSE) {
                    return -Errno.EISCONN;
                }
                int err = sk.skProt.connect(sk, addr);
                if (err < 0) {
                    return err;
                }
                sock.state = SS_CONNECTING;
                return nonblock ? -Errno.EINPROGRESS : -Errno.EAGAIN;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        if (sk.skState == TCP_CLOSE) {
            // sock_error
            int err = sk.sockError();
            sock.state = SS_UNCONNECTED;
            return err != 0 ? err : -Errno.ECONNABORTED;
        }
        sock.state = SS_CONNECTED;
        return 0;
    }

    /** {@code inet_shutdown} → {@code tcp_shutdown}: {@code SHUT_RD}/{@code SHUT_WR}/{@code SHUT_RDWR} as 1, 2, 3. */
    @Override
    public int shutdown(Socket sock, int how) {
        how++; // SHUT_RD → RCV_SHUTDOWN, ...
        if ((how & ~(RCV_SHUTDOWN | SEND_SHUTDOWN)) != 0 || how == 0) {
            return -Errno.EINVAL;
        }
        if (sock.state == SS_CONNECTING && (sock.sk.skState == TCP_SYN_SENT || sock.sk.skState == TCP_SYN_RECV)) {
            sock.state = SS_UNCONNECTED;
        }
        return tcp.shutdown((TcpSock) sock.sk, how);
    }

    @Override
    public int sendmsg(Socket sock, MsgHdr msg, int flags) {
        return sock.sk.skProt.sendmsg(sock.sk, msg, flags);
    }

    @Override
    public int recvmsg(Socket sock, MsgHdr msg, int flags) {
        return sock.sk.skProt.recvmsg(sock.sk, msg, flags);
    }

    @Override
    public int setsockopt(Socket sock, int level, int optname, int val) {
        return inet.setsockopt(sock, level, optname, val);
    }

    @Override
    public int getsockopt(Socket sock, int level, int optname) {
        return inet.getsockopt(sock, level, optname);
    }

    @Override
    public int getname(Socket sock, SockaddrIn addr, boolean peer) {
        return inet.getname(sock, addr, peer);
    }

    /** {@code inet_listen} → {@code __inet_listen_sk}: sets the backlog; starts listening from CLOSE. */
    @Override
    public int listen(Socket sock, int backlog) {
        Sock sk = sock.sk;
        if (sock.state != SS_UNCONNECTED || sock.type != SOCK_STREAM) {
            return -Errno.EINVAL;
        }
        if (sk.skState != TCP_CLOSE && sk.skState != TCP_LISTEN) {
            return -Errno.EINVAL;
        }
        TcpSock tsk = (TcpSock) sk;
        tsk.skMaxAckBacklog = backlog;
        if (sk.skState != TCP_LISTEN) {
            return tcp.listenStart(tsk);
        }
        return 0;
    }

    /** {@code inet_accept} → {@code inet_csk_accept}, then {@code sock_graft} of the child. */
    @Override
    public int accept(Socket sock, Socket newsock, int flags) {
        Sock sk = sock.sk;
        if (sk.skState != TCP_LISTEN) {
            return -Errno.EINVAL;
        }
        TcpSock child = tcp.accept((TcpSock) sk);
        if (child == null) {
            return -Errno.EAGAIN;
        }
        newsock.sk = child;
        child.skSocket = newsock;
        newsock.state = SS_CONNECTED;
        return 0;
    }
}
