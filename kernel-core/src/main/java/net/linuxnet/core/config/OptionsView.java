package net.linuxnet.core.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.linuxnet.api.config.OptionException;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.config.Rate;

/**
 * One object of the scenario, read strictly: every getter remembers the key it was asked for,
 * and {@link #checkUnused} reports each key nobody asked for, with the asked keys as the
 * accepted ones. Errors start with the value's file and line. This is what plugins see as
 * {@link Options}; the engine reads its own keys through it too.
 */
public final class OptionsView implements Options {
    private final ConfigObject object;
    private final String path;
    private final Set<String> asked = new LinkedHashSet<>();
    private final Map<String, String> retired;

    /**
     * @param retired keys with a message of their own (not built yet, or retired)
     */
    public OptionsView(ConfigObject object, String path, Map<String, String> retired) {
        this.object = object;
        this.path = path;
        this.retired = retired;
    }

    public OptionsView(ConfigObject object, String path) {
        this(object, path, Map.of());
    }

    @Override
    public String path() {
        return path;
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** {@code file:line} of a value, or of this object if the key is absent. */
    public String where(String key) {
        ConfigValue v = key == null ? null : object.get(key);
        return location(v != null ? v.origin() : object.origin());
    }

    static String location(ConfigOrigin o) {
        if (o == null) {
            return "<unknown>";
        }
        if (o.filename() == null && o.resource() == null) {
            // parsed from a string: Typesafe Config's description already ends in ": <line>"
            String name = o.description().replaceFirst(": \\d+$", "");
            return name.startsWith("-D ") || o.lineNumber() <= 0 ? name : name + ":" + o.lineNumber();
        }
        String file = o.filename() != null ? java.nio.file.Path.of(o.filename()).getFileName().toString() : o.resource();
        return o.lineNumber() > 0 ? file + ":" + o.lineNumber() : file;
    }

    @Override
    public OptionException error(String key, String message) {
        return new OptionException(key, where(key) + ": " + keyPath(key) + ": " + message);
    }

    @Override
    public boolean has(String key) {
        asked.add(key);
        ConfigValue v = object.get(key);
        return v != null && v.valueType() != ConfigValueType.NULL;
    }

    @Override
    public Set<String> keys() {
        return new TreeSet<>(object.keySet());
    }

    private ConfigValue value(String key) {
        asked.add(key);
        ConfigValue v = object.get(key);
        return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
    }

    private String scalar(String key, ConfigValue v) {
        return switch (v.valueType()) {
            case STRING, NUMBER, BOOLEAN -> String.valueOf(v.unwrapped());
            case OBJECT, LIST, NULL -> throw error(key, "expected a single value, not " + v.valueType().name().toLowerCase());
        };
    }

    @Override
    public String getString(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            throw error(key, "missing (required)");
        }
        return scalar(key, v);
    }

    @Override
    public String getString(String key, String defaultValue) {
        ConfigValue v = value(key);
        return v == null ? defaultValue : scalar(key, v);
    }

    @Override
    public String getChoice(String key, String defaultValue, String... choices) {
        String s = defaultValue == null ? getString(key) : getString(key, defaultValue);
        for (String c : choices) {
            if (c.equals(s)) {
                return s;
            }
        }
        throw error(key, "'" + s + "' is not one of " + String.join(", ", choices));
    }

    @Override
    public long getLong(String key, long defaultValue, long min, long max) {
        ConfigValue v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String s = scalar(key, v);
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error(key, "'" + s + "' is not an integer (expected: " + min + ".." + max + ")");
        }
        return checkRange(key, n, min, max, s);
    }

    private long checkRange(String key, long n, long min, long max, String text) {
        if (n < min || n > max) {
            throw error(key, text + " is out of range (expected: " + min + ".." + max + ")");
        }
        return n;
    }

    @Override
    public boolean getBoolean(String key, boolean defaultValue) {
        ConfigValue v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String s = scalar(key, v);
        return switch (s) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw error(key, "'" + s + "' is not a boolean (expected: true or false)");
        };
    }

    @Override
    public long getBytes(String key, long defaultValue, long min, long max) {
        ConfigValue v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String s = scalar(key, v);
        try {
            return checkRange(key, Units.parseSize(s), min, max, s);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    @Override
    public long getDurationNs(String key, long defaultValue, long min, long max) {
        ConfigValue v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String s = scalar(key, v);
        try {
            return checkRange(key, Units.parseTimeNs(s), min, max, s);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** A time in picoseconds (for costs). */
    public long getDurationPs(String key, long defaultValue) {
        ConfigValue v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String s = scalar(key, v);
        try {
            return Units.parseTimePs(s);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    @Override
    public Rate getRate(String key, Rate defaultValue) {
        ConfigValue v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String s = scalar(key, v);
        try {
            return Units.parseRate(s);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    @Override
    public List<String> getStringList(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return List.of();
        }
        if (v.valueType() != ConfigValueType.LIST) {
            throw error(key, "expected a list such as [ \"a\", \"b\" ]");
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v.unwrapped()) {
            if (o instanceof Map || o instanceof List) {
                throw error(key, "expected a list of single values");
            }
            out.add(String.valueOf(o));
        }
        return out;
    }

    @Override
    public List<Options> getObjectList(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return List.of();
        }
        if (v.valueType() != ConfigValueType.LIST) {
            throw error(key, "expected a list of objects such as [ { ... }, { ... } ]");
        }
        List<Options> out = new ArrayList<>();
        com.typesafe.config.ConfigList list = (com.typesafe.config.ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue e = list.get(i);
            if (e.valueType() != ConfigValueType.OBJECT) {
                throw new OptionException(key, location(e.origin()) + ": " + keyPath(key) + "[" + i + "]: expected an object { ... }, not "
                        + e.valueType().name().toLowerCase());
            }
            out.add(new OptionsView((ConfigObject) e, keyPath(key) + "[" + i + "]", Map.of()));
        }
        return out;
    }

    /** A nested object, or an empty one if absent. */
    public OptionsView object(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return new OptionsView(com.typesafe.config.ConfigFactory.empty().root(), keyPath(key), Map.of());
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            throw error(key, "expected an object { ... }, not " + v.valueType().name().toLowerCase());
        }
        return new OptionsView((ConfigObject) v, keyPath(key), Map.of());
    }

    /** The raw object. */
    public ConfigObject raw() {
        return object;
    }

    /** Keys that nobody asked for, as errors into {@code errors}. */
    public void checkUnused(ConfigErrors errors) {
        List<String> accepted = new ArrayList<>(asked);
        accepted.sort(null);
        for (String key : new TreeSet<>(object.keySet())) {
            if (asked.contains(key)) {
                continue;
            }
            String special = retired.get(key);
            if (special != null) {
                errors.add(where(key) + ": " + keyPath(key) + ": " + special);
            } else {
                errors.add(where(key) + ": " + keyPath(key) + ": unknown key (accepted: "
                        + (accepted.isEmpty() ? "none" : String.join(", ", accepted)) + ")");
            }
        }
    }

    /** Marks keys as known without reading them. */
    public void accept(String... keys) {
        asked.addAll(Arrays.asList(keys));
    }
}
