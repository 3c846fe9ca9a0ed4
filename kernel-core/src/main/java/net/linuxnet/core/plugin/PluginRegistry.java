package net.linuxnet.core.plugin;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.plugin.NetProtocolProvider;
import net.linuxnet.api.plugin.NfHookProvider;
import net.linuxnet.api.plugin.PernetProvider;
import net.linuxnet.api.plugin.PacketTypeProvider;
import net.linuxnet.api.sched.QdiscOps;

/**
 * What the loaded plugins registered, by the kernel's names, and the merged defaults of the
 * engine and every plugin ({@code reference.conf}).
 */
public interface PluginRegistry {

    /** The driver of a link kind ({@code veth}), or null. */
    NetDeviceDriver driver(String kind);

    /** Registered link kinds, sorted. */
    Set<String> driverKinds();

    /** The qdisc ops of a kind ({@code pfifo}), or null. */
    QdiscOps<?> qdisc(String kind);

    /** Registered qdisc kinds, sorted. */
    Set<String> qdiscKinds();

    /** The application type of a kind ({@code pktgen}), or null. */
    ApplicationType application(String kind);

    /** Registered application kinds, sorted. */
    Set<String> applicationKinds();

    List<PacketTypeProvider> packetTypeProviders();

    List<NetProtocolProvider> netProtocolProviders();

    List<NfHookProvider> nfHookProviders();

    /** Per-host protocol state with its configuration keys ({@code pernet_operations}). */
    List<PernetProvider> pernetProviders();

    /** The engine's {@code reference.conf} merged with every plugin's. */
    Config referenceConfig();
}
