package net.linuxnet.api.sock;

/**
 * {@code struct socket} of {@code include/linux/net.h}, with the part of {@code struct file}
 * the model needs (the file flags): the BSD socket a program holds by its descriptor, bound to
 * its family's {@link ProtoOps} and to the protocol's {@link Sock}.
 */
public final class Socket {
    /** {@code state}: {@code SS_UNCONNECTED}, {@code SS_CONNECTED}. */
    public int state = SockConst.SS_UNCONNECTED;
    /** {@code type}: {@code SOCK_DGRAM}, ... */
    public final int type;
    /** {@code file->f_flags}: {@code O_NONBLOCK}. */
    public int fFlags;
    /** {@code ops}. */
    public ProtoOps ops;
    /** {@code sk}. */
    public Sock sk;
    /** The descriptor in its host's table, or -1 once closed. */
    public int fd = -1;

    public Socket(int type) {
        this.type = type;
    }

    /** Whether calls on this socket never sleep ({@code O_NONBLOCK}). */
    public boolean nonblocking() {
        return (fFlags & SockConst.O_NONBLOCK) != 0;
    }
}
