package net.linuxnet.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.plugin.ApplicationProvider;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.core.plugin.DuplicateFifoQdiscProvider.DuplicateFifo;
import net.linuxnet.core.plugin.TestDummyDriverProvider.TestDummyDriver;
import net.linuxnet.core.plugin.TestFifoQdiscProvider.TestFifo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads providers through the real {@link java.util.ServiceLoader} path: classpath and plugin jars. */
final class PluginManagerTest {

    private static final ClassLoader CLASSPATH = PluginManagerTest.class.getClassLoader();

    @TempDir
    Path tempDir;

    @Test
    void loadsTheClasspathProviders() {
        PluginManager manager = PluginManager.load(CLASSPATH, null);

        assertThat(manager.driver("testdummy")).isInstanceOf(TestDummyDriver.class);
        assertThat(manager.qdisc("testfifo")).isInstanceOf(TestFifo.class);
        assertThat(manager.qdisc("nosuchqdisc")).isNull();
        assertThat(manager.driverKinds()).contains("testdummy");
        assertThat(manager.qdiscKinds()).contains("testfifo");
        assertThat(manager.pluginsDir()).isEmpty();
        assertThat(manager.plugins())
                .filteredOn(info -> info.name().equals("testfifo"))
                .singleElement()
                .satisfies(info -> {
                    assertThat(info.kind()).isEqualTo("qdisc");
                    assertThat(info.className()).isEqualTo(TestFifo.class.getName());
                    assertThat(info.source()).endsWith("test-classes");
                    assertThat(info.plugin()).isEqualTo(PluginManager.BUILTIN);
                });
        assertThat(manager.plugins()).isSortedAccordingTo(PluginInfo.ORDER);
        // kernel-core's own reference.conf
        assertThat(manager.referenceConfig().hasPath("linuxnet.run.duration")).isTrue();
    }

    @Test
    void missingPluginsDirectoryLoadsTheClasspathAlone() {
        PluginManager manager = PluginManager.load(CLASSPATH, tempDir.resolve("plugins"));

        assertThat(manager.qdiscKinds()).contains("testfifo");
        assertThat(manager.plugins()).extracting(PluginInfo::plugin).containsOnly(PluginManager.BUILTIN);
    }

    @Test
    void duplicateKindNamesBothClasses() throws IOException {
        ClassLoader classpath = withServices(QdiscProvider.class, DuplicateFifoQdiscProvider.class);

        assertThatThrownBy(() -> PluginManager.load(classpath, null))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("Duplicate qdisc kind 'testfifo'")
                .hasMessageContaining(TestFifo.class.getName())
                .hasMessageContaining(DuplicateFifo.class.getName())
                .hasMessageContaining("test-classes");
    }

    @Test
    void duplicateKindInAPluginNamesBothJars() throws IOException {
        Path pluginsDir = tempDir.resolve("plugins");
        TestingPluginJar.plugin("otherfifo")
                .source("testplugin.OtherFifoProvider", """
                        package testplugin;

                        import java.util.List;
                        import net.linuxnet.api.ApiVersion;
                        import net.linuxnet.api.config.Options;
                        import net.linuxnet.api.net.SkBuff;
                        import net.linuxnet.api.plugin.QdiscProvider;
                        import net.linuxnet.api.sched.Qdisc;
                        import net.linuxnet.api.sched.QdiscOps;

                        public final class OtherFifoProvider implements QdiscProvider, QdiscOps<Void> {
                            public String apiVersion() { return ApiVersion.VERSION; }
                            public List<QdiscOps<?>> qdiscs() { return List.of(this); }
                            public String id() { return "testfifo"; }
                            public Void init(Qdisc<Void> sch, Options options) { return null; }
                            public int enqueue(SkBuff skb, Qdisc<Void> sch) { return sch.qdiscEnqueueTail(skb); }
                            public SkBuff dequeue(Qdisc<Void> sch) { return sch.qdiscDequeueHead(); }
                        }
                        """)
                .service(QdiscProvider.class, "testplugin.OtherFifoProvider")
                .writeTo(pluginsDir, tempDir);

        assertThatThrownBy(() -> PluginManager.load(CLASSPATH, pluginsDir))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("Duplicate qdisc kind 'testfifo'")
                .hasMessageContaining(TestFifo.class.getName() + " (by " + TestFifoQdiscProvider.class.getName())
                .hasMessageContaining("test-classes, plugin builtin")
                .hasMessageContaining("testplugin.OtherFifoProvider (by testplugin.OtherFifoProvider from otherfifo.jar, plugin otherfifo)");
    }

    @Test
    void providerClassSeenTwiceLoadsOnce() throws IOException {
        // a plugin that bundles a copy of a built-in provider, as a distribution might
        Path pluginsDir = tempDir.resolve("plugins");
        TestingPluginJar.plugin("copy")
                .source(TestFifoQdiscProvider.class.getName(), """
                        package net.linuxnet.core.plugin;

                        import java.util.List;
                        import net.linuxnet.api.plugin.QdiscProvider;
                        import net.linuxnet.api.sched.QdiscOps;

                        public final class TestFifoQdiscProvider implements QdiscProvider {
                            public String apiVersion() { return "9.9"; }
                            public List<QdiscOps<?>> qdiscs() { throw new AssertionError("copy must not load"); }
                        }
                        """)
                .service(QdiscProvider.class, TestFifoQdiscProvider.class.getName())
                .writeTo(pluginsDir, tempDir);

        PluginManager manager = PluginManager.load(CLASSPATH, pluginsDir);

        assertThat(manager.qdisc("testfifo").getClass().getClassLoader()).isSameAs(TestFifo.class.getClassLoader());
        assertThat(manager.plugins()).filteredOn(info -> info.name().equals("testfifo")).hasSize(1);
    }

    @Test
    void apiVersionMismatchNamesBothVersions() throws IOException {
        Path pluginsDir = tempDir.resolve("plugins");
        TestingPluginJar.oldApi("oldapi").writeTo(pluginsDir, tempDir);

        assertThatThrownBy(() -> PluginManager.load(CLASSPATH, pluginsDir))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("testplugin.OldApiProvider (from oldapi.jar, plugin oldapi)")
                .hasMessageContaining("built for linuxnet API 9.9")
                .hasMessageContaining("this engine provides API " + ApiVersion.VERSION);
    }

    @Test
    void pluginLoadsInItsOwnClassLoader() throws Exception {
        Path pluginsDir = tempDir.resolve("plugins");
        TestingPluginJar.jarQdisc("isolated").writeTo(pluginsDir, tempDir);

        PluginManager manager = PluginManager.load(CLASSPATH, pluginsDir);

        QdiscOps<?> ops = manager.qdisc(TestingPluginJar.JAR_QDISC);
        assertThat(ops).isNotNull();
        ClassLoader pluginLoader = ops.getClass().getClassLoader();
        assertThat(pluginLoader).isInstanceOfSatisfying(PluginClassLoader.class,
                loader -> assertThat(loader.pluginName()).isEqualTo("isolated"));
        // the api is shared, the engine and its libraries are not
        assertThat(Class.forName(QdiscOps.class.getName(), false, pluginLoader)).isSameAs(QdiscOps.class);
        assertThatThrownBy(() -> Class.forName(PluginManager.class.getName(), false, pluginLoader))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("com.typesafe.config.Config", false, pluginLoader))
                .isInstanceOf(ClassNotFoundException.class);
        // reference.conf comes from the plugin's jar only
        List<URL> references = Collections.list(pluginLoader.getResources("reference.conf"));
        assertThat(references).singleElement().asString().contains("isolated.jar");

        assertThat(manager.pluginsDir()).contains(pluginsDir);
        assertThat(manager.plugins()).contains(
                new PluginInfo("qdisc", "testjarq", "testplugin.JarQ", "isolated.jar", "isolated"));
        assertThat(manager.referenceConfig().getInt("linuxnet.testjarq.limit")).isEqualTo(7);
        assertThat(manager.referenceConfig().hasPath("linuxnet.run.duration")).isTrue();
        assertThat(manager.guiceModules())
                .extracting(module -> module.getClass().getName())
                .contains("testplugin.JarQModule");
    }

    @Test
    void emptyPluginDirectoryFails() throws IOException {
        Path pluginsDir = tempDir.resolve("plugins");
        Files.createDirectories(pluginsDir.resolve("empty"));

        assertThatThrownBy(() -> PluginManager.load(CLASSPATH, pluginsDir))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("No service providers of type NetDeviceDriverProvider, QdiscProvider")
                .hasMessageContaining("found in " + pluginsDir.resolve("empty"))
                .hasMessageContaining("(jars: none)");
    }

    @Test
    void jarDirectlyInPluginsDirectoryFails() throws IOException {
        Path pluginsDir = Files.createDirectories(tempDir.resolve("plugins"));
        Files.write(pluginsDir.resolve("loose.jar"), new byte[0]);

        assertThatThrownBy(() -> PluginManager.load(CLASSPATH, pluginsDir))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("loose.jar lies directly in")
                .hasMessageContaining("expected: " + pluginsDir.resolve("loose").resolve("loose.jar"));
    }

    @Test
    void blankQdiscIdFails() throws IOException {
        ClassLoader classpath = withServices(QdiscProvider.class, BlankIdQdiscProvider.class);

        assertThatThrownBy(() -> PluginManager.load(classpath, null))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("Qdisc ops " + BlankIdQdiscProvider.BlankId.class.getName())
                .hasMessageContaining("has id ' '")
                .hasMessageContaining("expected: a non-blank kind");
    }

    @Test
    void guiceModuleThatIsNotAModuleFails() throws IOException {
        ClassLoader classpath = withServices(ApplicationProvider.class, NotAModuleProvider.class);

        assertThatThrownBy(() -> PluginManager.load(classpath, null))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining(NotAModuleProvider.class.getName())
                .hasMessageContaining("returned a java.lang.String")
                .hasMessageContaining("expected: a com.google.inject.Module, or null");
    }

    /** The test classpath plus a services file listing {@code providers} as {@code type}. */
    private ClassLoader withServices(Class<?> type, Class<?>... providers) throws IOException {
        Path dir = Files.createDirectories(tempDir.resolve("services-" + type.getSimpleName()));
        Path file = Files.createDirectories(dir.resolve("META-INF/services")).resolve(type.getName());
        StringBuilder names = new StringBuilder();
        for (Class<?> provider : providers) {
            names.append(provider.getName()).append('\n');
        }
        Files.writeString(file, names);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, CLASSPATH);
    }
}
