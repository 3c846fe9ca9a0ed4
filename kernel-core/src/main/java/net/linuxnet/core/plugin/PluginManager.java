package net.linuxnet.core.plugin;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.plugin.ApplicationProvider;
import net.linuxnet.api.plugin.LinuxnetProvider;
import net.linuxnet.api.plugin.NetDeviceDriverProvider;
import net.linuxnet.api.plugin.NetProtocolProvider;
import net.linuxnet.api.plugin.NfHookProvider;
import net.linuxnet.api.plugin.PernetProvider;
import net.linuxnet.api.plugin.PacketTypeProvider;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.QdiscOps;

/**
 * Loads every plugin provider, checks it, and registers what it offers by the kernel's names.
 *
 * <p>The algorithm of {@link #load}:
 * <ol>
 *   <li>Run {@link ServiceLoader} for each provider interface over the classpath loader (the
 *       built-in modules, or the test classpath). A provider class name seen twice is loaded
 *       once, the first time, as Druid's {@code ExtensionsLoader} does.</li>
 *   <li>For each directory under the plugins directory, in sorted order, build a
 *       {@link PluginClassLoader} over its jars (sorted) and run {@link ServiceLoader} again. A
 *       directory that yields no provider at all is an error (Trino's "No service
 *       providers of type ...").</li>
 *   <li>For each provider: check {@link LinuxnetProvider#apiVersion()} against
 *       {@link ApiVersion#VERSION} (major.minor); check that {@link LinuxnetProvider#guiceModule()}
 *       is a Guice {@code Module} or null; register its drivers, qdisc ops and application
 *       types by kind, refusing a blank or duplicate name as {@code register_qdisc} refuses
 *       one with {@code -EEXIST}; log one line per registration.</li>
 *   <li>Merge the classpath's {@code reference.conf} files with each plugin's.</li>
 * </ol>
 *
 * <p>Any failure throws {@link PluginException} naming the provider class, the jar or class
 * directory it came from, and what was expected. A loaded manager is immutable.
 */
public final class PluginManager implements PluginRegistry {

    /** The {@link PluginInfo#plugin()} of everything loaded from the classpath. */
    public static final String BUILTIN = "builtin";

    /** Longest qdisc id: {@code Qdisc_ops.id} is {@code char[IFNAMSIZ]}, NUL included. */
    static final int QDISC_ID_MAX = 15;

    private static final System.Logger LOG = System.getLogger(PluginManager.class.getName());

    private static final List<Class<? extends LinuxnetProvider>> PROVIDER_TYPES = List.of(
            NetDeviceDriverProvider.class,
            QdiscProvider.class,
            PacketTypeProvider.class,
            NetProtocolProvider.class,
            NfHookProvider.class,
            PernetProvider.class,
            ApplicationProvider.class);

    private final Optional<Path> pluginsDir;
    private final Map<String, Registration<NetDeviceDriver>> drivers;
    private final Map<String, Registration<QdiscOps<?>>> qdiscs;
    private final Map<String, Registration<ApplicationType>> applications;
    private final List<PacketTypeProvider> packetTypeProviders;
    private final List<NetProtocolProvider> netProtocolProviders;
    private final List<NfHookProvider> nfHookProviders;
    private final List<PernetProvider> pernetProviders;
    private final List<com.google.inject.Module> guiceModules;
    private final List<PluginInfo> plugins;
    private final Config referenceConfig;

    private PluginManager(Path pluginsDir, Loading loading, Config referenceConfig) {
        this.pluginsDir = Optional.ofNullable(pluginsDir);
        this.drivers = Collections.unmodifiableMap(new TreeMap<>(loading.drivers));
        this.qdiscs = Collections.unmodifiableMap(new TreeMap<>(loading.qdiscs));
        this.applications = Collections.unmodifiableMap(new TreeMap<>(loading.applications));
        this.packetTypeProviders = List.copyOf(loading.packetTypeProviders);
        this.netProtocolProviders = List.copyOf(loading.netProtocolProviders);
        this.nfHookProviders = List.copyOf(loading.nfHookProviders);
        this.pernetProviders = List.copyOf(loading.pernetProviders);
        this.guiceModules = List.copyOf(loading.guiceModules);
        this.plugins = loading.plugins.stream().sorted(PluginInfo.ORDER).toList();
        this.referenceConfig = requireNonNull(referenceConfig, "referenceConfig is null");
    }

    /**
     * Loads the providers of {@code classpath}, then those of every {@code plugins/<name>/}
     * directory.
     *
     * @param classpath the loader of the built-in modules (in tests, the test classpath)
     * @param pluginsDir the plugins directory; null or a missing directory loads the classpath
     *     alone
     * @throws PluginException if a plugin cannot be loaded, checked or registered
     */
    public static PluginManager load(ClassLoader classpath, Path pluginsDir) {
        requireNonNull(classpath, "classpath is null");
        ClassLoader engineLoader = PluginManager.class.getClassLoader();
        List<PluginClassLoader> opened = new ArrayList<>();
        try {
            Loading loading = new Loading();
            loading.load(BUILTIN, "the classpath", classpath);
            Config reference = defaultReference(classpath);
            for (Path dir : pluginDirectories(pluginsDir)) {
                String name = dir.getFileName().toString();
                List<Path> jars = pluginJars(dir);
                PluginClassLoader loader = new PluginClassLoader(name, toUrls(jars), engineLoader);
                opened.add(loader);
                int found = loading.load(name, dir.toString(), loader);
                if (found == 0) {
                    throw new PluginException(String.format(
                            "No service providers of type %s found in %s (jars: %s) (expected: a jar"
                                    + " listing its providers in META-INF/services/net.linuxnet.api.plugin.<type>)",
                            PROVIDER_TYPES.stream().map(Class::getSimpleName).collect(Collectors.joining(", ")),
                            dir,
                            jars.isEmpty() ? "none" : jars.stream()
                                    .map(jar -> jar.getFileName().toString())
                                    .collect(Collectors.joining(", "))));
                }
                reference = reference.withFallback(pluginReference(name, dir, loader));
            }
            return new PluginManager(pluginsDir, loading, resolve(reference));
        } catch (RuntimeException | Error e) {
            for (PluginClassLoader loader : opened) {
                try {
                    loader.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    /** The plugins directory this manager loaded from, if one was given. */
    public Optional<Path> pluginsDir() {
        return pluginsDir;
    }

    @Override
    public NetDeviceDriver driver(String kind) {
        requireNonNull(kind, "kind is null");
        Registration<NetDeviceDriver> registration = drivers.get(kind);
        return registration == null ? null : registration.value();
    }

    @Override
    public Set<String> driverKinds() {
        return drivers.keySet();
    }

    @Override
    public QdiscOps<?> qdisc(String kind) {
        requireNonNull(kind, "kind is null");
        Registration<QdiscOps<?>> registration = qdiscs.get(kind);
        return registration == null ? null : registration.value();
    }

    @Override
    public Set<String> qdiscKinds() {
        return qdiscs.keySet();
    }

    @Override
    public ApplicationType application(String kind) {
        requireNonNull(kind, "kind is null");
        Registration<ApplicationType> registration = applications.get(kind);
        return registration == null ? null : registration.value();
    }

    @Override
    public Set<String> applicationKinds() {
        return applications.keySet();
    }

    @Override
    public List<PacketTypeProvider> packetTypeProviders() {
        return packetTypeProviders;
    }

    @Override
    public List<NetProtocolProvider> netProtocolProviders() {
        return netProtocolProviders;
    }

    @Override
    public List<NfHookProvider> nfHookProviders() {
        return nfHookProviders;
    }

    @Override
    public List<PernetProvider> pernetProviders() {
        return pernetProviders;
    }

    @Override
    public Config referenceConfig() {
        return referenceConfig;
    }

    /** The Guice modules the providers offer, in load order (classpath first). */
    public List<com.google.inject.Module> guiceModules() {
        return guiceModules;
    }

    /** Everything registered, for {@code linuxnet plugins}, sorted by {@link PluginInfo#ORDER}. */
    public List<PluginInfo> plugins() {
        return plugins;
    }

    // ---- loading ------------------------------------------------------------------------------

    private static List<Path> pluginDirectories(Path pluginsDir) {
        if (pluginsDir == null || !Files.exists(pluginsDir)) {
            return List.of();
        }
        if (!Files.isDirectory(pluginsDir)) {
            throw new PluginException(String.format(
                    "Plugins directory %s is not a directory (expected: a directory holding one"
                            + " subdirectory of jars per plugin)", pluginsDir));
        }
        List<Path> dirs = new ArrayList<>();
        for (Path entry : list(pluginsDir)) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                dirs.add(entry);
            } else if (name.endsWith(".jar")) {
                throw new PluginException(String.format(
                        "Plugin jar %s lies directly in %s (expected: %s, one directory of jars per plugin)",
                        entry, pluginsDir, pluginsDir.resolve(name.substring(0, name.length() - 4)).resolve(name)));
            }
        }
        return dirs;
    }

    private static List<Path> pluginJars(Path dir) {
        return list(dir).stream()
                .filter(Files::isRegularFile)
                .filter(path -> path.getFileName().toString().endsWith(".jar"))
                .toList();
    }

    /** The entries of {@code dir}, sorted by file name. */
    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted(Comparator.comparing(path -> path.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new PluginException("Cannot list " + dir + ": " + e, e);
        }
    }

    private static List<URL> toUrls(List<Path> jars) {
        List<URL> urls = new ArrayList<>(jars.size());
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new PluginException("Cannot turn " + jar + " into a URL", e);
            }
        }
        return urls;
    }

    private static Config defaultReference(ClassLoader classpath) {
        try {
            return ConfigFactory.parseResources(classpath, "reference.conf");
        } catch (ConfigException e) {
            throw new PluginException("Cannot read the reference.conf files of the classpath: " + e.getMessage(), e);
        }
    }

    private static Config pluginReference(String name, Path dir, PluginClassLoader loader) {
        try {
            return ConfigFactory.parseResources(loader, "reference.conf");
        } catch (ConfigException e) {
            throw new PluginException(String.format(
                    "Cannot read reference.conf of plugin %s in %s: %s", name, dir, e.getMessage()), e);
        }
    }

    private static Config resolve(Config reference) {
        try {
            return reference.resolve();
        } catch (ConfigException e) {
            throw new PluginException("Cannot resolve the merged reference.conf files: " + e.getMessage(), e);
        }
    }

    /**
     * Where a class was loaded from: the jar's file name, the class directory's path, or
     * {@code classpath} when the JVM does not say.
     */
    static String sourceOf(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return "classpath";
        }
        URL location = codeSource.getLocation();
        if (!"file".equals(location.getProtocol())) {
            return location.toString();
        }
        try {
            Path path = Path.of(location.toURI());
            return Files.isDirectory(path) ? path.toString() : path.getFileName().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return location.toString();
        }
    }

    static String majorMinor(String version) {
        String[] parts = version.strip().split("\\.", 3);
        return parts.length < 2 ? version.strip() : parts[0] + "." + parts[1];
    }

    /** Something registered under a kernel name, with where it came from. */
    private record Registration<T>(T value, Class<?> provider, String source, String plugin) {

        String describe() {
            return String.format("%s (by %s from %s, plugin %s)",
                    value.getClass().getName(), provider.getName(), source, plugin);
        }
    }

    /** The mutable state of one {@link #load} call. */
    private static final class Loading {
        final Set<String> providerClasses = new HashSet<>();
        final Map<String, Registration<NetDeviceDriver>> drivers = new TreeMap<>();
        final Map<String, Registration<QdiscOps<?>>> qdiscs = new TreeMap<>();
        final Map<String, Registration<ApplicationType>> applications = new TreeMap<>();
        final List<PacketTypeProvider> packetTypeProviders = new ArrayList<>();
        final List<NetProtocolProvider> netProtocolProviders = new ArrayList<>();
        final List<NfHookProvider> nfHookProviders = new ArrayList<>();
        final List<PernetProvider> pernetProviders = new ArrayList<>();
        final List<com.google.inject.Module> guiceModules = new ArrayList<>();
        final Set<String> moduleProviders = new HashSet<>();
        final List<PluginInfo> plugins = new ArrayList<>();

        /**
         * Loads and registers every provider {@code loader} lists.
         *
         * @return how many providers were found, skipped duplicates included
         */
        int load(String plugin, String where, ClassLoader loader) {
            int found = 0;
            for (Class<? extends LinuxnetProvider> type : PROVIDER_TYPES) {
                found += load(type, plugin, where, loader);
            }
            return found;
        }

        private <T extends LinuxnetProvider> int load(Class<T> type, String plugin, String where, ClassLoader loader) {
            int found = 0;
            try {
                for (ServiceLoader.Provider<T> candidate : ServiceLoader.load(type, loader).stream().toList()) {
                    found++;
                    Class<? extends T> providerClass = candidate.type();
                    String source = sourceOf(providerClass);
                    if (!providerClasses.add(type.getName() + "=" + providerClass.getName())) {
                        LOG.log(System.Logger.Level.INFO, "{0} {1} from {2} already loaded, skipping it",
                                type.getSimpleName(), providerClass.getName(), source);
                        continue;
                    }
                    T provider = candidate.get();
                    try {
                        register(type, provider, source, plugin);
                    } catch (RuntimeException | LinkageError e) {
                        if (e instanceof PluginException) {
                            throw e;
                        }
                        throw new PluginException(String.format(
                                "Provider %s (from %s, plugin %s) failed while registering: %s",
                                providerClass.getName(), source, plugin, e), e);
                    }
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                throw new PluginException(String.format(
                        "Cannot load a %s from %s: %s", type.getSimpleName(), where, e), e);
            }
            return found;
        }

        private void register(Class<? extends LinuxnetProvider> type, LinuxnetProvider provider, String source, String plugin) {
            checkApiVersion(provider, source, plugin);
            Object module = provider.guiceModule();
            if (module != null) {
                if (!(module instanceof com.google.inject.Module guiceModule)) {
                    throw new PluginException(String.format(
                            "Provider %s (from %s, plugin %s) returned a %s (loaded by %s) from guiceModule()"
                                    + " (expected: a com.google.inject.Module, or null)",
                            provider.getClass().getName(), source, plugin,
                            module.getClass().getName(), module.getClass().getClassLoader()));
                }
                // a class that implements two provider interfaces is instantiated twice: install its module once
                if (moduleProviders.add(provider.getClass().getName())) {
                    guiceModules.add(guiceModule);
                }
            }
            if (type == NetDeviceDriverProvider.class) {
                NetDeviceDriverProvider p = (NetDeviceDriverProvider) provider;
                registerAll(p, "driver", "drivers()", p.drivers(), drivers, NetDeviceDriver::kind, plugin,
                        PluginManager::checkName);
            } else if (type == QdiscProvider.class) {
                QdiscProvider p = (QdiscProvider) provider;
                registerAll(p, "qdisc", "qdiscs()", p.qdiscs(), qdiscs, QdiscOps::id, plugin,
                        PluginManager::checkQdiscId);
            } else if (type == ApplicationProvider.class) {
                ApplicationProvider p = (ApplicationProvider) provider;
                registerAll(p, "application", "applications()", p.applications(), applications,
                        ApplicationType::kind, plugin, PluginManager::checkName);
            } else {
                registerPerHost(type, provider, source, plugin);
            }
        }

        private void registerPerHost(Class<? extends LinuxnetProvider> type, LinuxnetProvider provider, String source, String plugin) {
            String kind;
            if (type == PacketTypeProvider.class) {
                kind = "packet_type";
                packetTypeProviders.add((PacketTypeProvider) provider);
            } else if (type == NetProtocolProvider.class) {
                kind = "net_protocol";
                netProtocolProviders.add((NetProtocolProvider) provider);
            } else if (type == NfHookProvider.class) {
                kind = "nf_hook";
                nfHookProviders.add((NfHookProvider) provider);
            } else if (type == PernetProvider.class) {
                kind = "pernet";
                pernetProviders.add((PernetProvider) provider);
            } else {
                throw new IllegalStateException("Unknown provider type " + type.getName()
                        + " (expected: one of " + PROVIDER_TYPES + ")");
            }
            Class<?> providerClass = provider.getClass();
            plugins.add(new PluginInfo(kind, providerClass.getSimpleName(), providerClass.getName(), source, plugin));
            logRegistration(kind, providerClass.getSimpleName(), providerClass, source, plugin);
        }

        private <T> void registerAll(
                LinuxnetProvider provider,
                String kind,
                String method,
                List<? extends T> values,
                Map<String, Registration<T>> registry,
                Function<T, String> nameOf,
                String plugin,
                NameCheck check) {
            Class<?> providerClass = provider.getClass();
            String providerSource = sourceOf(providerClass);
            if (values == null) {
                throw new PluginException(String.format(
                        "Provider %s (from %s, plugin %s) returned null from %s (expected: a list, possibly empty)",
                        providerClass.getName(), providerSource, plugin, method));
            }
            for (T value : values) {
                if (value == null) {
                    throw new PluginException(String.format(
                            "Provider %s (from %s, plugin %s) returned a null %s in %s (expected: no null elements)",
                            providerClass.getName(), providerSource, plugin, kind, method));
                }
                Registration<T> registration = new Registration<>(value, providerClass, sourceOf(value.getClass()), plugin);
                String name = nameOf.apply(value);
                check.check(kind, name, registration);
                Registration<T> existing = registry.putIfAbsent(name, registration);
                if (existing != null) {
                    throw new PluginException(String.format(
                            "Duplicate %s kind '%s': %s and %s both register it (expected: one registration per kind)",
                            kind, name, existing.describe(), registration.describe()));
                }
                plugins.add(new PluginInfo(kind, name, value.getClass().getName(), registration.source(), plugin));
                logRegistration(kind, name, value.getClass(), registration.source(), plugin);
            }
        }

        private static void logRegistration(String kind, String name, Class<?> type, String source, String plugin) {
            if (BUILTIN.equals(plugin)) {
                LOG.log(System.Logger.Level.INFO, "{0} {1} registered ({2} from {3})",
                        kind, name, type.getName(), source);
            } else {
                LOG.log(System.Logger.Level.INFO, "{0} {1} registered ({2} from {3}, plugin {4})",
                        kind, name, type.getName(), source, plugin);
            }
        }
    }

    @FunctionalInterface
    private interface NameCheck {
        void check(String kind, String name, Registration<?> registration);
    }

    private static void checkApiVersion(LinuxnetProvider provider, String source, String plugin) {
        String version = provider.apiVersion();
        String expected = majorMinor(ApiVersion.VERSION);
        if (version == null || !expected.equals(majorMinor(version))) {
            throw new PluginException(String.format(
                    "Provider %s (from %s, plugin %s) was built for linuxnet API %s, but this engine provides"
                            + " API %s (expected: apiVersion() returning %s; rebuild the plugin against linuxnet-api %s)",
                    provider.getClass().getName(), source, plugin, version, ApiVersion.VERSION, expected, expected));
        }
    }

    /** A driver or application kind: non-blank, without whitespace. */
    private static void checkName(String kind, String name, Registration<?> registration) {
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new PluginException(String.format(
                    "%s %s has kind %s (expected: a non-blank name without whitespace, such as \"%s\")",
                    capitalize(kind), registration.describe(), name == null ? "null" : "'" + name + "'",
                    "driver".equals(kind) ? "veth" : "pktgen"));
        }
    }

    /** As {@code register_qdisc}: an id that fits {@code Qdisc_ops.id[IFNAMSIZ]}. */
    private static void checkQdiscId(String kind, String id, Registration<?> registration) {
        if (id == null || id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new PluginException(String.format(
                    "Qdisc ops %s has id %s (expected: a non-blank kind without whitespace, such as \"pfifo\")",
                    registration.describe(), id == null ? "null" : "'" + id + "'"));
        }
        if (id.length() > QDISC_ID_MAX) {
            throw new PluginException(String.format(
                    "Qdisc ops %s has id '%s' of %d characters (expected: at most %d, as Qdisc_ops.id is char[IFNAMSIZ])",
                    registration.describe(), id, id.length(), QDISC_ID_MAX));
        }
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
