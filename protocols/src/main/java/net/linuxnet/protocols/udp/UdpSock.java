package net.linuxnet.protocols.udp;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.InetSock;
import net.linuxnet.api.sock.Proto;
import net.linuxnet.api.sock.Sock;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * {@code struct udp_sock} of {@code include/linux/udp.h}: an {@link InetSock} with its place
 * in the UDP hash table and, for a connected socket, its cached route ({@code sk_dst_cache}).
 */
public final class UdpSock extends InetSock {
    /** {@code udp_port_hash}: the bound port, the key of the table's slot. */
    int udpPortHash;
    /** Whether the socket is in the table ({@code sk_hashed}). */
    boolean hashed;
    /** The next socket in the same port slot ({@code sk_node}). */
    UdpSock next;
    /** {@code sk_reuseport_cb}: the SO_REUSEPORT group the socket belongs to, or null. */
    SockReuseport reuseport;
    /** {@code sk_dst_cache}: the route of a connected socket, valid when {@link #dstCached}. */
    final Rtable dst = new Rtable();
    boolean dstCached;
    /** The flow key reused by every send ({@code inet->cork.fl.u.ip4}). */
    final Flowi4 fl4 = new Flowi4();
    /** The route of an unconnected send, reused. */
    final Rtable rt = new Rtable();

    public UdpSock(Kernel kernel, Proto prot) {
        super(kernel, prot);
    }

    /** {@code udp_sk}. */
    public static UdpSock udpSk(Sock sk) {
        return (UdpSock) sk;
    }

    /** The bound port, 0 when unbound. */
    public int port() {
        return inetNum;
    }
}
