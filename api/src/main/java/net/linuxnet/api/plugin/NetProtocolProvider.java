package net.linuxnet.api.plugin;

import java.util.List;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetProtocol;

/** Provides IP protocol handlers, registered by protocol number as {@code inet_add_protocol} does. */
public interface NetProtocolProvider extends LinuxnetProvider {
    /** The handlers for one host; called once per host at boot. */
    List<NetProtocol> protocols(Kernel kernel);
}
