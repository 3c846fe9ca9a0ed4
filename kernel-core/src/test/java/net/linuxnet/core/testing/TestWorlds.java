package net.linuxnet.core.testing;

import java.util.Map;
import net.linuxnet.core.config.ScenarioLoader;
import net.linuxnet.core.config.WorldBuilder;
import net.linuxnet.core.host.World;
import net.linuxnet.core.plugin.PluginManager;

/** Builds worlds from scenario text with the plugins on the test class path, pool debugging on. */
public final class TestWorlds {
    private static final PluginManager PLUGINS = PluginManager.load(TestWorlds.class.getClassLoader(), null);

    private TestWorlds() {
    }

    /** The plugins found on the class path. */
    public static PluginManager plugins() {
        return PLUGINS;
    }

    /** A world built from {@code scenario}, not yet run. */
    public static World build(String scenario) {
        return WorldBuilder.build(ScenarioLoader.merge(ScenarioLoader.parseString(scenario, "test.conf"), Map.of(),
                PLUGINS.referenceConfig()), PLUGINS, true);
    }

    /** A world built from {@code scenario} and run. */
    public static World run(String scenario) {
        World w = build(scenario);
        w.run(null);
        return w;
    }
}
