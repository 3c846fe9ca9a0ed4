package net.linuxnet.api.sock;

/**
 * {@code struct proto_ops}: the family's side of the socket calls ({@code inet_dgram_ops}),
 * called by the socket layer ({@code net/socket.c}) in process context on the calling task's
 * CPU. Every method returns 0 or a non-negative count on success and a negative errno on
 * failure; none sleeps. A call that cannot make progress returns {@code -EAGAIN}: when the
 * socket is blocking and {@code MSG_DONTWAIT} is not in {@code flags}, the socket layer then
 * puts the calling task to sleep on {@code sk.skWq} and returns {@code -ERESTARTSYS} to it.
 */
public interface ProtoOps {

    /** {@code family}: {@code AF_INET}. */
    int family();

    /** {@code release}: {@code close(2)}; frees the sock. */
    int release(Socket sock);

    /** {@code bind}. */
    int bind(Socket sock, SockaddrIn addr);

    /** {@code connect}; {@code AF_UNSPEC} disconnects a datagram socket. */
    int connect(Socket sock, SockaddrIn addr, int flags);

    /** {@code shutdown}. */
    int shutdown(Socket sock, int how);

    /** {@code sendmsg}: returns the bytes sent. {@code flags} holds {@code MSG_DONTWAIT} for a non-blocking call. */
    int sendmsg(Socket sock, MsgHdr msg, int flags);

    /** {@code recvmsg}: returns the bytes copied (or the datagram's length with {@code MSG_TRUNC}). */
    int recvmsg(Socket sock, MsgHdr msg, int flags);

    /** {@code setsockopt} for levels other than {@code SOL_SOCKET}. */
    int setsockopt(Socket sock, int level, int optname, int val);

    /** {@code getsockopt} for levels other than {@code SOL_SOCKET}: the value, or a negative errno. */
    int getsockopt(Socket sock, int level, int optname);

    /** {@code setsockopt} of a struct option ({@code optval} as the C bytes) for levels other than {@code SOL_SOCKET}. */
    default int setsockopt(Socket sock, int level, int optname, byte[] optval) {
        return sock.sk.skProt.setsockopt(sock.sk, level, optname, optval);
    }

    /** {@code getsockopt} of a struct option: fills {@code optval}, returns the length written or a negative errno. */
    default int getsockopt(Socket sock, int level, int optname, byte[] optval) {
        return sock.sk.skProt.getsockopt(sock.sk, level, optname, optval);
    }

    /** {@code getname}: the local address, or the peer's when {@code peer}. */
    int getname(Socket sock, SockaddrIn addr, boolean peer);

    /** {@code listen}: {@code -EOPNOTSUPP} unless the family's type listens ({@code inet_listen}). */
    default int listen(Socket sock, int backlog) {
        return -net.linuxnet.api.kernel.Errno.EOPNOTSUPP;
    }

    /**
     * {@code accept}: moves the head of {@code sock}'s accept queue into {@code newsock}
     * ({@code inet_accept}); {@code -EAGAIN} when the queue is empty.
     */
    default int accept(Socket sock, Socket newsock, int flags) {
        return -net.linuxnet.api.kernel.Errno.EOPNOTSUPP;
    }
}
