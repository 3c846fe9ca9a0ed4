package net.linuxnet.api.plugin;

import java.util.List;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.netfilter.NfHookOps;

/** Provides netfilter hooks, registered by hook point and priority as {@code nf_register_net_hooks} does. */
public interface NfHookProvider extends LinuxnetProvider {
    /** The hooks for one host; called once per host at boot. */
    List<NfHookOps> hooks(Kernel kernel);
}
