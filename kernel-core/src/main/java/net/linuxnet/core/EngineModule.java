package net.linuxnet.core;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import java.nio.file.Path;
import net.linuxnet.core.plugin.PluginManager;
import net.linuxnet.core.plugin.PluginRegistry;

/**
 * The engine's Guice module: the loaded plugins and the Guice modules they contribute.
 *
 * <p>Plugins are loaded in two steps, because Guice cannot install modules that are only known
 * once a binding has been computed:
 * <pre>
 *   1. PluginManager.load(classpath, pluginsDir)      ServiceLoader, checks, registrations
 *   2. Guice.createInjector(new EngineModule(manager)) binds the manager, installs
 *                                                      manager.guiceModules()
 * </pre>
 * {@link #createInjector} does both. The injector then offers {@link PluginRegistry} and
 * {@link PluginManager} (one instance) and {@code @Named("linuxnet.plugins.dir") Optional<Path>},
 * empty when only the classpath was loaded.
 */
public final class EngineModule extends AbstractModule {

    /** The name of the plugins directory binding. */
    public static final String PLUGINS_DIR = "linuxnet.plugins.dir";

    private final PluginManager pluginManager;

    public EngineModule(PluginManager pluginManager) {
        this.pluginManager = requireNonNull(pluginManager, "pluginManager is null");
    }

    /**
     * Loads the plugins and creates the engine's injector.
     *
     * @param classpath the loader of the built-in modules
     * @param pluginsDir the plugins directory, or null for the classpath alone
     * @throws net.linuxnet.core.plugin.PluginException if a plugin cannot be loaded
     */
    public static Injector createInjector(ClassLoader classpath, Path pluginsDir) {
        return Guice.createInjector(new EngineModule(PluginManager.load(classpath, pluginsDir)));
    }

    @Override
    protected void configure() {
        bind(PluginManager.class).toInstance(pluginManager);
        bind(PluginRegistry.class).to(PluginManager.class);
        OptionalBinder<Path> pluginsDir = OptionalBinder.newOptionalBinder(
                binder(), Key.get(Path.class, Names.named(PLUGINS_DIR)));
        pluginManager.pluginsDir().ifPresent(dir -> pluginsDir.setBinding().toInstance(dir));
        for (Module module : pluginManager.guiceModules()) {
            install(module);
        }
    }
}
