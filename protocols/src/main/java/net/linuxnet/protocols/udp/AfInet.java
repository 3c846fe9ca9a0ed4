package net.linuxnet.protocols.udp;

import static net.linuxnet.api.sock.SockConst.*;

import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.InetSock;
import net.linuxnet.api.sock.MsgHdr;
import net.linuxnet.api.sock.NetProtoFamily;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.ProtoOps;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.api.sock.Socket;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;
import net.linuxnet.protocols.tcp.InetStreamOps;
import net.linuxnet.protocols.tcp.Tcp;

/**
 * AF_INET of one host as {@code net/ipv4/af_inet.c} builds it: {@code inet_family_ops}
 * ({@code inet_create} picks the protocol from the {@code inetsw} entries: SOCK_DGRAM with
 * protocol 0 or {@code IPPROTO_UDP} is UDP, with {@code IPPROTO_ICMP} an ICMP datagram
 * socket of {@code net/ipv4/ping.c}) and {@code inet_dgram_ops}, the
 * {@link ProtoOps} of datagram sockets: {@code inet_bind}, {@code inet_dgram_connect},
 * {@code inet_sendmsg} (which binds an unbound socket first, {@code inet_send_prepare}),
 * {@code inet_recvmsg}, {@code inet_release}, {@code inet_shutdown}, {@code inet_getname}.
 */
public final class AfInet implements NetProtoFamily, ProtoOps {

    private final Kernel kernel;
    private final Udp udp;
    private final Proto ping;
    /** {@code inet_stream_ops}, made when the first stream socket is created. */
    private InetStreamOps streamOps;

    /** @param ping {@code ping_prot} for SOCK_DGRAM/IPPROTO_ICMP, or null */
    public AfInet(Kernel kernel, Udp udp, Proto ping) {
        this.kernel = kernel;
        this.udp = udp;
        this.ping = ping;
    }

    @Override
    public int family() {
        return AF_INET;
    }

    /** {@code inet_create}. */
    @Override
    public int create(Kernel k, Socket sock, int protocol) {
        if (sock.type == SOCK_STREAM) {
            Tcp tcp = k.netGeneric(Tcp.class);
            if (tcp == null) {
                return -Errno.ESOCKTNOSUPPORT;
            }
            if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP) {
                return -Errno.EPROTONOSUPPORT;
            }
            if (streamOps == null) {
                streamOps = new InetStreamOps(this, tcp);
            }
            sock.ops = streamOps;
            sock.sk = tcp.skAlloc(k);
            return tcp.init(sock.sk);
        }
        if (sock.type != SOCK_DGRAM) {
            return -Errno.ESOCKTNOSUPPORT;
        }
        Proto prot;
        if (protocol == IPPROTO_IP || protocol == IPPROTO_UDP) {
            prot = udp;
        } else if (protocol == IPPROTO_ICMP && ping != null) {
            prot = ping;
        } else {
            return -Errno.EPROTONOSUPPORT;
        }
        sock.ops = this;
        sock.sk = prot.skAlloc(k);
        return prot.init(sock.sk);
    }

    /** {@code inet_bind} → {@code __inet_bind}. */
    @Override
    public int bind(Socket sock, SockaddrIn addr) {
        InetSock inet = (InetSock) sock.sk;
        if (addr.family != AF_INET && !(addr.family == AF_UNSPEC && addr.addr == INADDR_ANY)) {
            return -Errno.EAFNOSUPPORT;
        }
        int chk = Rtable.RTN_UNICAST;
        Inet4 inet4 = Inet4.of(kernel);
        if (addr.addr != INADDR_ANY) {
            chk = inet4 == null ? Rtable.RTN_UNICAST : inet4.inetAddrType(addr.addr);
            if (chk != Rtable.RTN_LOCAL && chk != Rtable.RTN_MULTICAST && chk != Rtable.RTN_BROADCAST) {
                return -Errno.EADDRNOTAVAIL;
            }
        }
        if (addr.port < 0 || addr.port > 0xffff) {
            return -Errno.EINVAL;
        }
        if (inet.skState != TCP_CLOSE || inet.inetNum != 0) {
            return -Errno.EINVAL;
        }
        inet.inetRcvSaddr = addr.addr;
        inet.inetSaddr = addr.addr;
        if (chk == Rtable.RTN_MULTICAST || chk == Rtable.RTN_BROADCAST) {
            inet.inetSaddr = 0;
        }
        if (inet.skProt.getPort(inet, addr.port) != 0) {
            inet.inetSaddr = 0;
            inet.inetRcvSaddr = 0;
            return -Errno.EADDRINUSE;
        }
        if (inet.inetRcvSaddr != 0) {
            inet.skUserlocks |= SOCK_BINDADDR_LOCK;
        }
        if (addr.port != 0) {
            inet.skUserlocks |= SOCK_BINDPORT_LOCK;
        }
        inet.inetSport = inet.inetNum;
        inet.inetDaddr = 0;
        inet.inetDport = 0;
        return 0;
    }

    /** {@code inet_autobind}: an ephemeral port. */
    private static int autobind(InetSock inet) {
        if (inet.inetNum == 0) {
            if (inet.skProt.getPort(inet, 0) != 0) {
                return -Errno.EAGAIN;
            }
            inet.inetSport = inet.inetNum;
        }
        return 0;
    }

    /** {@code inet_dgram_connect}. */
    @Override
    public int connect(Socket sock, SockaddrIn addr, int flags) {
        Sock sk = sock.sk;
        if (addr.family == AF_UNSPEC) {
            return sk.skProt.disconnect(sk, flags);
        }
        if (autobind((InetSock) sk) != 0) {
            return -Errno.EAGAIN;
        }
        return sk.skProt.connect(sk, addr);
    }

    /** {@code inet_shutdown} for a datagram socket. */
    @Override
    public int shutdown(Socket sock, int how) {
        how++; // SHUT_RD → RCV_SHUTDOWN, ...
        if ((how & ~(RCV_SHUTDOWN | SEND_SHUTDOWN)) != 0 || how == 0) {
            return -Errno.EINVAL;
        }
        Sock sk = sock.sk;
        int err = sk.skState == TCP_ESTABLISHED ? 0 : -Errno.ENOTCONN;
        sk.skShutdown |= how;
        sk.skWq.wakeUp(); // sk_state_change
        return err;
    }

    /** {@code inet_sendmsg}: {@code inet_send_prepare} binds an unbound socket first. */
    @Override
    public int sendmsg(Socket sock, MsgHdr msg, int flags) {
        Sock sk = sock.sk;
        if (autobind((InetSock) sk) != 0) {
            return -Errno.EAGAIN;
        }
        return sk.skProt.sendmsg(sk, msg, flags);
    }

    /** {@code inet_recvmsg}. */
    @Override
    public int recvmsg(Socket sock, MsgHdr msg, int flags) {
        return sock.sk.skProt.recvmsg(sock.sk, msg, flags);
    }

    /** {@code inet_release}. */
    @Override
    public int release(Socket sock) {
        Sock sk = sock.sk;
        if (sk != null) {
            sk.skProt.close(sk);
        }
        return 0;
    }

    @Override
    public int setsockopt(Socket sock, int level, int optname, int val) {
        return sock.sk.skProt.setsockopt(sock.sk, level, optname, val);
    }

    @Override
    public int getsockopt(Socket sock, int level, int optname) {
        return sock.sk.skProt.getsockopt(sock.sk, level, optname);
    }

    /** {@code inet_getname}. */
    @Override
    public int getname(Socket sock, SockaddrIn addr, boolean peer) {
        InetSock inet = (InetSock) sock.sk;
        addr.family = AF_INET;
        if (peer) {
            if (inet.inetDport == 0) {
                return -Errno.ENOTCONN;
            }
            addr.addr = inet.inetDaddr;
            addr.port = inet.inetDport;
        } else {
            addr.addr = inet.inetRcvSaddr != 0 ? inet.inetRcvSaddr : inet.inetSaddr;
            addr.port = inet.inetSport;
        }
        return 0;
    }
}
