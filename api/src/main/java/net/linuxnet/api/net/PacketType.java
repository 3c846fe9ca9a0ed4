package net.linuxnet.api.net;

/**
 * A handler of received frames of one ethertype, or of every frame, as
 * {@code struct packet_type} registered with {@code dev_add_pack}.
 *
 * <p>Handlers of {@link IfEther#ETH_P_ALL} are packet taps ({@code ptype_all}, what AF_PACKET
 * sockets and captures use): they see every frame received and, with
 * {@link #tapsTransmit()}, every frame sent ({@code dev_queue_xmit_nit}), each time with a
 * reference of their own ({@code skb.users()} raised), which they must free. Other handlers
 * are keyed by the ethertype ({@code ptype_base}); the last matching handler receives the
 * caller's reference.
 */
public interface PacketType {

    /** The ethertype handled, host order, or {@link IfEther#ETH_P_ALL}. */
    int type();

    /** The one device this handler listens on, or null for all devices of the host. */
    default NetDevice dev() {
        return null;
    }

    /** For taps: whether transmitted frames are delivered too. */
    default boolean tapsTransmit() {
        return true;
    }

    /**
     * Receives one frame ({@code packet_type.func}), in softirq context, with
     * {@code skb.data()} at the network header and {@code skb.macHeader()} set. The handler
     * owns the reference it was given and must consume or free it.
     *
     * @param dev the device the frame is being received on ({@code skb->dev})
     * @param origDev the device the frame first arrived on
     * @return {@link NetRx#NET_RX_SUCCESS} or {@link NetRx#NET_RX_DROP}
     */
    int func(SkBuff skb, NetDevice dev, NetDevice origDev);
}
