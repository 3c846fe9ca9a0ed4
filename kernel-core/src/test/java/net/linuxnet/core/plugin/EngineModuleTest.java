package net.linuxnet.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import net.linuxnet.core.EngineModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's injector: the plugin registry and the Guice modules plugins contribute. */
final class EngineModuleTest {

    private static final ClassLoader CLASSPATH = EngineModuleTest.class.getClassLoader();
    private static final Key<Optional<Path>> PLUGINS_DIR =
            Key.get(new TypeLiteral<Optional<Path>>() {}, Names.named(EngineModule.PLUGINS_DIR));

    @TempDir
    Path tempDir;

    @Test
    void bindsTheRegistryAsOneInstance() {
        Injector injector = EngineModule.createInjector(CLASSPATH, null);

        PluginRegistry registry = injector.getInstance(PluginRegistry.class);
        assertThat(registry).isSameAs(injector.getInstance(PluginRegistry.class));
        assertThat(registry).isSameAs(injector.getInstance(PluginManager.class));
        assertThat(registry.qdiscKinds()).contains(TestFifoQdiscProvider.KIND);
        assertThat(registry.driverKinds()).contains(TestDummyDriverProvider.KIND);
        assertThat(injector.getInstance(PLUGINS_DIR)).isEmpty();
    }

    @Test
    void installsThePluginsGuiceModules() throws IOException {
        Path pluginsDir = tempDir.resolve("plugins");
        TestingPluginJar.jarQdisc("guicy").writeTo(pluginsDir, tempDir);
        PluginManager manager = PluginManager.load(CLASSPATH, pluginsDir);

        Injector injector = com.google.inject.Guice.createInjector(new EngineModule(manager));

        assertThat(injector.getInstance(Key.get(String.class, Names.named(TestingPluginJar.JAR_GREETING_NAME))))
                .isEqualTo("hello from testjarq");
        assertThat(injector.getInstance(PluginRegistry.class)).isSameAs(manager);
        assertThat(injector.getInstance(PLUGINS_DIR)).contains(pluginsDir);
    }
}
