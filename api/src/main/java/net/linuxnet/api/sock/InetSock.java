package net.linuxnet.api.sock;

import net.linuxnet.api.kernel.Kernel;

/**
 * {@code struct inet_sock} of {@code include/net/inet_sock.h}: the IPv4 part of a socket.
 * Addresses are host-order {@code int}s, ports host-order.
 */
public class InetSock extends Sock {
    /** {@code inet_saddr}: the source address of sent packets, 0 until bound or connected. */
    public int inetSaddr;
    /** {@code inet_rcv_saddr} ({@code skc_rcv_saddr}): the bound local address, 0 for any. */
    public int inetRcvSaddr;
    /** {@code inet_daddr}: the connected peer, 0 when not connected. */
    public int inetDaddr;
    /** {@code inet_num}: the local port, 0 until bound. */
    public int inetNum;
    /** {@code inet_sport}: the source port (= {@code inet_num}). */
    public int inetSport;
    /** {@code inet_dport}: the connected peer's port, 0 when not connected. */
    public int inetDport;
    /** {@code inet_id}: the next IP ID of a connected socket. */
    public int inetId;
    /** {@code tos}: IP_TOS. */
    public int tos;
    /** {@code uc_ttl}: IP_TTL, -1 for the sysctl default. */
    public int ttl = -1;
    /** {@code pmtudisc}: IP_MTU_DISCOVER, {@code IP_PMTUDISC_WANT} by default. */
    public int pmtudisc = SockConst.IP_PMTUDISC_WANT;
    /** {@code RECVERR}: IP_RECVERR. */
    public boolean recverr;

    public InetSock(Kernel kernel, Proto prot) {
        super(kernel, prot);
        skFamily = SockConst.AF_INET;
    }

    /** {@code inet_sk}. */
    public static InetSock inetSk(Sock sk) {
        return (InetSock) sk;
    }
}
