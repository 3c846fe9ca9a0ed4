package net.linuxnet.api.net;

/**
 * A handler of one IP protocol, as {@code struct net_protocol} registered with
 * {@code inet_add_protocol} into {@code inet_protos[protocol]}.
 */
public interface NetProtocol {

    /** The IP protocol number ({@code IPPROTO_UDP} = 17). */
    int protocol();

    /**
     * Receives a local packet ({@code net_protocol.handler}), in softirq context, with
     * {@code skb.data()} at the transport header. Owns the skb.
     *
     * @return 0, or a negative value to ask IP to deliver to another protocol (unused here)
     */
    int handler(SkBuff skb);

    /** An ICMP error about a packet this protocol sent ({@code err_handler}). Optional. */
    default int errHandler(SkBuff skb, int info) {
        return 0;
    }
}
