package net.linuxnet.api.sock;

import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;

/**
 * {@code struct proto}: the transport protocol's side of a socket ({@code udp_prot}), called
 * through the family's {@link ProtoOps} in process context. Return values as in
 * {@link ProtoOps}.
 */
public interface Proto {

    /** {@code name}, as {@code /proc/net/protocols} and {@code ss} show it ({@code "UDP"}). */
    String name();

    /** {@code sk_alloc} with {@code obj_size}: a new sock of the protocol's class ({@code UdpSock}). */
    Sock skAlloc(Kernel kernel);

    /** {@code init}, optional. */
    default int init(Sock sk) {
        return 0;
    }

    /** {@code close}: unhashes the socket and releases what it holds ({@code udp_lib_close}). */
    void close(Sock sk);

    /** {@code connect} ({@code ip4_datagram_connect}). */
    int connect(Sock sk, SockaddrIn addr);

    /** {@code disconnect} ({@code udp_disconnect}). */
    int disconnect(Sock sk, int flags);

    /** {@code sendmsg}. */
    int sendmsg(Sock sk, MsgHdr msg, int flags);

    /** {@code recvmsg}. */
    int recvmsg(Sock sk, MsgHdr msg, int flags);

    /** {@code get_port}: binds {@code sk} to {@code snum}, or to an ephemeral port when 0; 0 or {@code -EADDRINUSE}. */
    int getPort(Sock sk, int snum);

    /** {@code setsockopt} for the protocol's levels, optional. */
    default int setsockopt(Sock sk, int level, int optname, int val) {
        return -Errno.ENOPROTOOPT;
    }

    /** {@code getsockopt} for the protocol's levels, optional. */
    default int getsockopt(Sock sk, int level, int optname) {
        return -Errno.ENOPROTOOPT;
    }

    /** {@code setsockopt} of a struct option for the protocol's levels, optional. */
    default int setsockopt(Sock sk, int level, int optname, byte[] optval) {
        return -Errno.ENOPROTOOPT;
    }

    /** {@code getsockopt} of a struct option ({@code TCP_INFO}): the length written, or a negative errno. */
    default int getsockopt(Sock sk, int level, int optname, byte[] optval) {
        return -Errno.ENOPROTOOPT;
    }

    /** {@code keepalive}: {@code SO_KEEPALIVE} was set or cleared ({@code tcp_set_keepalive}), optional. */
    default void keepalive(Sock sk, boolean on) {
    }

    /**
     * The sockets of this protocol that live on without a descriptor (orphans after close,
     * TIME-WAIT), for the socket report as {@code inet_diag} dumps them; optional.
     */
    default void forEachOrphan(java.util.function.Consumer<Sock> action) {
    }

    /** {@code unhash}. */
    void unhash(Sock sk);
}
