package net.linuxnet.protocols.inet;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.SkBuff;

/**
 * The ICMP datagram sockets' receive entry ({@code ping_rcv} in {@code net/ipv4/ping.c}):
 * {@code icmp_rcv} hands every ICMP echo reply here, when the socket module is present (it
 * stores its implementation with {@code kernel.setNetGeneric(PingRcv.class, ...)}).
 */
public interface PingRcv {

    /** The ping sockets of {@code kernel}, or null. */
    static PingRcv of(Kernel kernel) {
        return kernel.netGeneric(PingRcv.class);
    }

    /**
     * {@code ping_rcv}: delivers an echo reply to the ping socket bound to its identifier.
     * {@code skb.data()} is at the ICMP header, the network header set.
     *
     * @return true if a socket took the skb (it then owns it); false if none did, and the
     *     caller frees it
     */
    boolean pingRcv(SkBuff skb);
}
