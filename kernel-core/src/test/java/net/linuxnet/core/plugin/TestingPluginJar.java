package net.linuxnet.core.plugin;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.plugin.QdiscProvider;

/**
 * Builds a plugin jar at test time, as a plugin author would: compiles Java sources against the
 * api (and Guice) with {@link ToolProvider#getSystemJavaCompiler()}, then packages the classes,
 * the {@code META-INF/services} files and other resources into
 * {@code <pluginsDir>/<name>/<name>.jar}. The classes exist only in that jar, so the
 * {@link PluginClassLoader} is the only loader that can define them.
 */
final class TestingPluginJar {

    private final String name;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, List<String>> services = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    private TestingPluginJar(String name) {
        this.name = requireNonNull(name, "name is null");
    }

    /** A plugin named {@code name}: its directory and its jar take that name. */
    static TestingPluginJar plugin(String name) {
        return new TestingPluginJar(name);
    }

    /** Qdisc kind of {@link #jarQdisc}. */
    static final String JAR_QDISC = "testjarq";

    /** Guice binding {@code @Named(JAR_GREETING_NAME) String} of {@link #jarQdisc}. */
    static final String JAR_GREETING_NAME = "testjarq.greeting";

    /**
     * A well-behaved plugin: qdisc {@code testjarq} ({@code testplugin.JarQ}), a Guice module
     * binding {@code @Named("testjarq.greeting") String}, and a {@code reference.conf} setting
     * {@code linuxnet.testjarq.limit = 7}.
     */
    static TestingPluginJar jarQdisc(String name) {
        return plugin(name)
                .source("testplugin.JarQProvider", """
                        package testplugin;

                        import java.util.List;
                        import net.linuxnet.api.ApiVersion;
                        import net.linuxnet.api.plugin.QdiscProvider;
                        import net.linuxnet.api.sched.QdiscOps;

                        public final class JarQProvider implements QdiscProvider {
                            @Override
                            public String apiVersion() {
                                return ApiVersion.VERSION;
                            }

                            @Override
                            public Object guiceModule() {
                                return new JarQModule();
                            }

                            @Override
                            public List<QdiscOps<?>> qdiscs() {
                                return List.of(new JarQ());
                            }
                        }
                        """)
                .source("testplugin.JarQ", """
                        package testplugin;

                        import net.linuxnet.api.config.Options;
                        import net.linuxnet.api.net.SkBuff;
                        import net.linuxnet.api.sched.Qdisc;
                        import net.linuxnet.api.sched.QdiscOps;

                        public final class JarQ implements QdiscOps<Void> {
                            @Override
                            public String id() {
                                return "testjarq";
                            }

                            @Override
                            public Void init(Qdisc<Void> sch, Options options) {
                                return null;
                            }

                            @Override
                            public int enqueue(SkBuff skb, Qdisc<Void> sch) {
                                return sch.qdiscEnqueueTail(skb);
                            }

                            @Override
                            public SkBuff dequeue(Qdisc<Void> sch) {
                                return sch.qdiscDequeueHead();
                            }
                        }
                        """)
                .source("testplugin.JarQModule", """
                        package testplugin;

                        import com.google.inject.AbstractModule;
                        import com.google.inject.name.Names;

                        public final class JarQModule extends AbstractModule {
                            @Override
                            protected void configure() {
                                bindConstant().annotatedWith(Names.named("testjarq.greeting")).to("hello from testjarq");
                            }
                        }
                        """)
                .service(QdiscProvider.class, "testplugin.JarQProvider")
                .resource("reference.conf", "linuxnet.testjarq.limit = 7\n");
    }

    /** A plugin whose provider, {@code testplugin.OldApiProvider}, was built for API 9.9. */
    static TestingPluginJar oldApi(String name) {
        return plugin(name)
                .source("testplugin.OldApiProvider", """
                        package testplugin;

                        import java.util.List;
                        import net.linuxnet.api.plugin.QdiscProvider;
                        import net.linuxnet.api.sched.QdiscOps;

                        public final class OldApiProvider implements QdiscProvider {
                            @Override
                            public String apiVersion() {
                                return "9.9";
                            }

                            @Override
                            public List<QdiscOps<?>> qdiscs() {
                                return List.of();
                            }
                        }
                        """)
                .service(QdiscProvider.class, "testplugin.OldApiProvider");
    }

    /** Adds the source of a class, by its fully qualified name. */
    TestingPluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Lists {@code className} in {@code META-INF/services/<type>}. */
    TestingPluginJar service(Class<?> type, String className) {
        services.computeIfAbsent(type.getName(), key -> new ArrayList<>()).add(className);
        return this;
    }

    /** Adds a resource, such as {@code reference.conf}. */
    TestingPluginJar resource(String path, String content) {
        resources.put(path, content);
        return this;
    }

    /**
     * Compiles and packages the plugin into {@code pluginsDir/<name>/<name>.jar}, using
     * {@code workDir} for sources and classes.
     *
     * @return the jar
     */
    Path writeTo(Path pluginsDir, Path workDir) throws IOException {
        Path sourceDir = Files.createDirectories(workDir.resolve("build-" + name).resolve("src"));
        Path classesDir = Files.createDirectories(workDir.resolve("build-" + name).resolve("classes"));
        compile(sourceDir, classesDir);
        Path jar = Files.createDirectories(pluginsDir.resolve(name)).resolve(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest);
                Stream<Path> classFiles = Files.walk(classesDir)) {
            for (Path classFile : classFiles.filter(Files::isRegularFile).sorted().toList()) {
                String entry = classesDir.relativize(classFile).toString().replace(File.separatorChar, '/');
                put(jarOut, entry, Files.readAllBytes(classFile));
            }
            for (Map.Entry<String, List<String>> service : services.entrySet()) {
                put(jarOut, "META-INF/services/" + service.getKey(),
                        String.join("\n", service.getValue()).concat("\n").getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                put(jarOut, resource.getKey(), resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private void compile(Path sourceDir, Path classesDir) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceDir.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file);
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("No system Java compiler (expected: tests to run on a JDK, not a JRE)");
        }
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
            List<String> options = List.of(
                    "-proc:none",
                    "-classpath", compileClasspath(),
                    "-d", classesDir.toString());
            boolean compiled = compiler.getTask(diagnostics, fileManager, null, options, null, units).call();
            if (!compiled) {
                throw new IllegalStateException("Cannot compile plugin " + name + ":\n" + diagnostics);
            }
        }
    }

    /**
     * What a plugin compiles against: the api, Guice and jakarta.inject, taken from where the
     * test JVM loaded them (surefire may hide the real class path behind a manifest jar).
     */
    private static String compileClasspath() {
        return Stream.of(
                        ApiVersion.class,
                        com.google.inject.AbstractModule.class,
                        jakarta.inject.Inject.class)
                .map(TestingPluginJar::location)
                .distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate " + type.getName(), e);
        }
    }

    private static void put(JarOutputStream jarOut, String entry, byte[] content) throws IOException {
        jarOut.putNextEntry(new JarEntry(entry));
        jarOut.write(content);
        jarOut.closeEntry();
    }
}
