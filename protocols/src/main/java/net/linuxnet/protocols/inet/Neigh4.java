package net.linuxnet.protocols.inet;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;

/**
 * The ARP neighbour table of one host ({@code arp_tbl}) as IPv4 output sees it. The ARP
 * module stores its implementation on each host with
 * {@code kernel.setNetGeneric(Neigh4.class, ...)} when the host boots.
 */
public interface Neigh4 {

    /** The neighbour table of {@code kernel}; null only before boot or without the ARP module. */
    static Neigh4 of(Kernel kernel) {
        return kernel.netGeneric(Neigh4.class);
    }

    /**
     * {@code ip_finish_output2} from the neighbour lookup on: finds or creates the
     * neighbour of {@code nexthop} on {@code dev} ({@code __ipv4_neigh_lookup_noref},
     * {@code __neigh_create}) and sends {@code skb} through it ({@code neigh_output}): a
     * resolved neighbour builds the Ethernet header and calls {@code dev_queue_xmit}; an
     * unresolved one queues the skb ({@code arp_queue}, bounded by {@code unres_qlen_bytes};
     * overflow frees the oldest with {@code NEIGH_QUEUEFULL}) and starts or continues
     * resolution. Devices without a hardware header (loopback) send at once.
     *
     * <p>{@code skb.data()} is at the network header; {@code skb.dev} and
     * {@code skb.protocol} are set. The skb is consumed in every case.
     *
     * @return the result of {@code dev_queue_xmit}, or 0 when queued, or a negative errno
     */
    int output(SkBuff skb, NetDevice dev, int nexthop);

    /**
     * An address was added to {@code dev} ({@code inetaddr_event} with {@code NETDEV_UP}):
     * ARP announces it with a gratuitous request ({@code arp_send} of
     * {@code ARPOP_REQUEST} for the address itself), when {@code dev} does ARP.
     */
    void inetaddrAdded(NetDevice dev, int addr);
}
