package net.linuxnet.api.sock;

/**
 * {@code struct msghdr} with one I/O vector: the data as {@code byte[]} + offset + length,
 * the peer address ({@code msg_name}), and the flags the call returns ({@code msg_flags},
 * such as {@code MSG_TRUNC}). Reusable: a program keeps one and refills it per call.
 */
public final class MsgHdr {
    /** {@code msg_name}: the destination of a send, or where a receive writes the source; may be null. */
    public SockaddrIn name;
    /** The data ({@code msg_iter} over one {@code iovec}). */
    public byte[] buf;
    public int off;
    public int len;
    /** {@code msg_flags}, set by a receive. */
    public int flags;

    public MsgHdr set(SockaddrIn name, byte[] buf, int off, int len) {
        this.name = name;
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.flags = 0;
        return this;
    }
}
