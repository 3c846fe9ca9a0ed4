package net.linuxnet.api.plugin;

import java.util.Map;
import java.util.Set;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetDevice;

/**
 * Per-host state of a protocol, made when a host boots, as {@code register_pernet_subsys}
 * with its {@code pernet_operations.init}: IPv4's addresses, routing tables and neighbour
 * table, for example. A provider claims configuration keys of a host ({@code routes}) and of
 * its devices ({@code addresses}); those keys then belong to it, and it reads them, with the
 * same strictness as the core: every error names file, line, key and the accepted values.
 */
public interface PernetProvider extends LinuxnetProvider {

    /** The host-level keys this provider reads, such as {@code routes}. */
    Set<String> hostKeys();

    /** The device-level keys this provider reads, such as {@code addresses}. */
    Set<String> deviceKeys();

    /**
     * Sets up the provider's state for one host, after every device of every host is up and
     * before the run starts ({@code pernet_operations.init} and the configuration that
     * {@code ip addr add}/{@code ip route add} would apply). Called in no CPU context; work
     * that must run on a CPU (a gratuitous ARP) is started with a timer.
     *
     * @param host the host's options; read only {@link #hostKeys()}
     * @param devices each device's options; read only {@link #deviceKeys()}
     * @throws net.linuxnet.api.config.OptionException for a bad value
     */
    void init(Kernel kernel, Options host, Map<NetDevice, Options> devices);

    /**
     * Ends the provider's state on one host at the end of a run, after the drain and before the
     * devices close ({@code pernet_operations.exit}, as {@code cleanup_net} calls it): stops
     * timers and frees every skb the provider still holds (an unresolved neighbour's queue, a
     * reassembly queue) with {@code QUEUE_PURGE}, which the run counts as purged. Optional;
     * the default holds nothing.
     */
    default void exit(Kernel kernel) {
    }
}
