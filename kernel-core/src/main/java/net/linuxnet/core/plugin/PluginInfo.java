package net.linuxnet.core.plugin;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One line of {@code linuxnet plugins}: something a provider registered, by kind and name, and
 * where its class came from.
 *
 * @param kind {@code driver}, {@code qdisc}, {@code packet_type}, {@code net_protocol},
 *     {@code nf_hook} or {@code application}
 * @param name the kernel name it is registered by ({@code pfifo}, {@code veth}); for packet
 *     types, protocols and netfilter hooks, which are created per host, the provider class's
 *     simple name
 * @param className the class of the registered object (the provider, for per-host kinds)
 * @param source the jar file name or class directory the class was loaded from, or
 *     {@code classpath} if the JVM does not say
 * @param plugin {@code builtin} for the classpath, or the name of the {@code plugins/<name>}
 *     directory
 */
public record PluginInfo(String kind, String name, String className, String source, String plugin) {

    /** The order of {@code linuxnet plugins}: by kind, name, plugin, then class. */
    public static final Comparator<PluginInfo> ORDER = Comparator.comparing(PluginInfo::kind)
            .thenComparing(PluginInfo::name)
            .thenComparing(PluginInfo::plugin)
            .thenComparing(PluginInfo::className)
            .thenComparing(PluginInfo::source);

    public PluginInfo {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(className, "className is null");
        requireNonNull(source, "source is null");
        requireNonNull(plugin, "plugin is null");
    }
}
