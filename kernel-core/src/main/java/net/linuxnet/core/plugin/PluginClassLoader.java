package net.linuxnet.core.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one {@code plugins/<name>/} directory.
 *
 * <p>How a name is resolved:
 * <pre>
 *   class / resource name                      loaded by
 *   -----------------------------------------  ---------------------------------------
 *   net.linuxnet.api.*, com.google.inject.*,    the engine's loader (one shared copy,
 *   jakarta.inject.*                            so provider interfaces and Guice match)
 *   java.*, javax.*, jdk.* ...                  the platform loader (parent)
 *   everything else                             the plugin's own jars, in sorted order
 *   reference.conf, META-INF/services/*         the plugin's own jars only
 * </pre>
 *
 * <p>The parent is the platform loader, never the application loader: a plugin must not see
 * the engine's classes or its libraries (Typesafe Config, Guava, Log4j), so it can bring its
 * own versions and cannot come to depend on engine internals. Resources are looked up in the
 * plugin's jars first; {@code reference.conf} and service files only there, so that the engine's
 * defaults and built-in providers are never read twice through a plugin.
 *
 * <p>Follows Trino's {@code PluginClassLoader} (allow-listed SPI packages to the engine,
 * everything else child-only).
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Packages (with their trailing dot) that a plugin shares with the engine. */
    public static final List<String> SHARED_PACKAGES = List.of(
            "net.linuxnet.api.",
            "com.google.inject.",
            "jakarta.inject.");

    private static final List<String> SHARED_RESOURCE_PREFIXES = SHARED_PACKAGES.stream()
            .map(name -> name.replace('.', '/'))
            .toList();

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final String pluginName;
    private final ClassLoader engineClassLoader;

    /**
     * @param pluginName the {@code plugins/<name>} directory name, for diagnostics
     * @param urls the plugin's jars, in the order they are searched
     * @param engineClassLoader the loader that defines the shared packages
     */
    public PluginClassLoader(String pluginName, List<URL> urls, ClassLoader engineClassLoader) {
        super("plugin-" + requireNonNull(pluginName, "pluginName is null"),
                requireNonNull(urls, "urls is null").toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        this.pluginName = pluginName;
        this.engineClassLoader = requireNonNull(engineClassLoader, "engineClassLoader is null");
    }

    /** The {@code plugins/<name>} directory name this loader serves. */
    public String pluginName() {
        return pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = isSharedClass(name)
                        ? engineClassLoader.loadClass(name)
                        : super.loadClass(name, false); // platform first, then our jars
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            return engineClassLoader.getResource(name);
        }
        URL url = findResource(name);
        if (url != null || isPluginOnlyResource(name)) {
            return url;
        }
        return getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isSharedResource(name)) {
            return engineClassLoader.getResources(name);
        }
        if (isPluginOnlyResource(name)) {
            return findResources(name);
        }
        List<URL> urls = Collections.list(findResources(name));
        urls.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(urls);
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + pluginName + "]";
    }

    private static boolean isSharedClass(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSharedResource(String name) {
        for (String prefix : SHARED_RESOURCE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPluginOnlyResource(String name) {
        return name.equals("reference.conf") || name.startsWith("META-INF/services/");
    }
}
