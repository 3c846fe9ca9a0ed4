package net.linuxnet.protocols.udp;

import net.linuxnet.api.sock.SockConst;

/**
 * {@code struct sock_reuseport} of {@code net/core/sock_reuseport.c}: the sockets bound to the
 * same address and port with SO_REUSEPORT, in the order they joined. A datagram goes to
 * {@code socks[reciprocal_scale(hash, num_socks)]} ({@code reuseport_select_sock_by_hash});
 * a socket that leaves is replaced by the last one ({@code reuseport_detach_sock}).
 */
final class SockReuseport {
    UdpSock[] socks = new UdpSock[4];
    int numSocks;

    void add(UdpSock sk) {
        if (numSocks == socks.length) {
            socks = java.util.Arrays.copyOf(socks, numSocks * 2);
        }
        socks[numSocks++] = sk;
        sk.reuseport = this;
    }

    void detach(UdpSock sk) {
        for (int i = 0; i < numSocks; i++) {
            if (socks[i] == sk) {
                socks[i] = socks[--numSocks];
                socks[numSocks] = null;
                break;
            }
        }
        sk.reuseport = null;
    }

    /** {@code reuseport_select_sock_by_hash}: skips connected sockets, as the kernel does. */
    UdpSock selectByHash(int hash) {
        int n = numSocks;
        if (n == 0) {
            return null;
        }
        int i = (int) (((hash & 0xffffffffL) * n) >>> 32);
        int first = i;
        do {
            UdpSock sk = socks[i];
            if (sk.skState != SockConst.TCP_ESTABLISHED) {
                return sk;
            }
            i = i + 1 >= n ? 0 : i + 1;
        } while (i != first);
        return null;
    }
}
