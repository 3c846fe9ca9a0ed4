package net.linuxnet.api.plugin;

import java.util.List;
import net.linuxnet.api.sched.QdiscOps;

/** Provides qdisc kinds, registered by {@code QdiscOps.id()} as {@code register_qdisc} does. */
public interface QdiscProvider extends LinuxnetProvider {
    List<QdiscOps<?>> qdiscs();
}
