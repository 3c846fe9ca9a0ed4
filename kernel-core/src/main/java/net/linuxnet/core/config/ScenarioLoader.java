package net.linuxnet.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a scenario: the file (HOCON), then the command line's overrides on top
 * ({@code -D linuxnet.run.seed=3}), then the merged defaults of the engine and the plugins
 * under everything. Syntax errors come back as one {@link net.linuxnet.core.config.ConfigException}
 * line with file and line.
 */
public final class ScenarioLoader {

    private ScenarioLoader() {
    }

    /** Parses a file. */
    public static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new net.linuxnet.core.config.ConfigException(List.of(file + ": no such file"));
        }
        try {
            return ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            throw syntax(e);
        }
    }

    /** Parses text, naming it {@code origin} in errors. */
    public static Config parseString(String text, String origin) {
        try {
            return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin)
                    .setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw syntax(e);
        }
    }

    /**
     * Puts {@code overrides} (path to HOCON value) on top of {@code scenario} and the
     * defaults below it, and resolves substitutions.
     */
    public static Config merge(Config scenario, Map<String, String> overrides, Config reference) {
        Config c = scenario;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Config o = parseString(e.getKey() + " = " + quoteIfNeeded(e.getValue()), "-D " + e.getKey() + "=" + e.getValue());
            c = o.withFallback(c);
        }
        try {
            // only the linuxnet subtree of the defaults: Typesafe lays system properties over them
            return c.withFallback(reference.hasPath("linuxnet") ? reference.withOnlyPath("linuxnet") : reference).resolve();
        } catch (ConfigException e) {
            throw syntax(e);
        }
    }

    private static String quoteIfNeeded(String v) {
        if (v.isEmpty() || v.startsWith("[") || v.startsWith("{") || v.startsWith("\"")) {
            return v.isEmpty() ? "\"\"" : v;
        }
        return v.matches("[A-Za-z0-9_.:/+-]+") ? v : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static net.linuxnet.core.config.ConfigException syntax(ConfigException e) {
        String where = e.origin() == null ? "" : OptionsView.location(e.origin()) + ": ";
        String msg = e.getMessage();
        if (e.origin() != null && msg.startsWith(e.origin().description())) {
            msg = msg.substring(e.origin().description().length()).replaceFirst("^:\\s*", "");
        }
        return new net.linuxnet.core.config.ConfigException(List.of(where + msg));
    }
}
