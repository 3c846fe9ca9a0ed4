package net.linuxnet.core.sysctl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.linuxnet.api.kernel.Sysctl;

/**
 * A host's sysctls: every name the modules declared in their {@code reference.conf} under
 * {@code linuxnet.sysctl}, with the Linux default, overridable per host. Hot paths hold an
 * {@link Entry} and read its value directly; a write through {@link #set} is seen at once.
 */
public final class SysctlTable implements Sysctl {

    /** One sysctl: its name and current value. */
    public static final class Entry {
        private final String name;
        private final boolean numeric;
        private long value;
        private String text;

        Entry(String name, String text, boolean numeric) {
            this.name = name;
            this.numeric = numeric;
            this.text = text;
            this.value = numeric ? Long.parseLong(text) : 0;
        }

        public String name() {
            return name;
        }

        public long value() {
            return value;
        }

        public int intValue() {
            return (int) value;
        }

        public String text() {
            return text;
        }

        public boolean numeric() {
            return numeric;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * @param defaults name to default value; a value that parses as an integer makes a numeric sysctl
     */
    public SysctlTable(Map<String, String> defaults) {
        defaults.forEach((k, v) -> entries.put(k, new Entry(k, v, isInteger(v))));
    }

    private static boolean isInteger(String v) {
        try {
            Long.parseLong(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The entry of {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown sysctl '" + name + "'");
        }
        return e;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    @Override
    public long getLong(String name) {
        Entry e = entry(name);
        if (!e.numeric) {
            throw new IllegalArgumentException("sysctl '" + name + "' is not a number: " + e.text);
        }
        return e.value;
    }

    @Override
    public String getString(String name) {
        return entry(name).text;
    }

    @Override
    public void set(String name, String value) {
        Entry e = entry(name);
        String v = value.trim();
        if (e.numeric) {
            try {
                e.value = Long.parseLong(v);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("sysctl '" + name + "' takes an integer, not '" + value + "'");
            }
        }
        e.text = v;
    }
}
