package net.linuxnet.api.net;

import net.linuxnet.api.config.Options;

/**
 * A driver that creates devices of one kind, as {@code struct rtnl_link_ops} does for
 * {@code ip link add ... type <kind>}. One stateless instance serves every device.
 */
public interface NetDeviceDriver {

    /** The link kind, as {@code ip link add type} names it ({@code "veth"}). */
    String kind();

    /** The most TX/RX queues a device of this kind may have. */
    default int maxQueues() {
        return 1;
    }

    /**
     * Fills a freshly allocated device with the driver's ops, flags and defaults
     * ({@code rtnl_link_ops.setup}, often {@code ether_setup} plus the driver's own). The
     * configuration then overrides MTU, {@code txqueuelen} and address.
     */
    void setup(NetDevice dev);

    /**
     * Completes the device from its options once every device of the world is allocated
     * ({@code rtnl_link_ops.newlink}): private state, peers, IRQs, NAPI. Reads every option
     * it accepts.
     *
     * @throws net.linuxnet.api.config.OptionException for a bad option
     */
    void newLink(NetDevice dev, Options options, LinkContext ctx);

    /** What a driver may ask the core while creating a link. */
    interface LinkContext {
        /**
         * A device of the world by {@code host.device} (or {@code device} for one on the same
         * host), or null if none is configured under that name.
         */
        NetDevice lookup(String spec);
    }
}
