package net.linuxnet.qdisc.fifo;

import java.util.List;
import java.util.Set;
import net.linuxnet.api.config.OptionException;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.config.Rate;

/**
 * The one option a default child fifo is created with: its {@code limit}, as the
 * {@code tc_fifo_qopt} that {@code fifo_set_limit} builds. Created once per child, at
 * configuration time.
 */
final class LimitOptions implements Options {
    private final String path;
    private final long limit;

    LimitOptions(String path, long limit) {
        this.path = path;
        this.limit = limit;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean has(String key) {
        return key.equals("limit");
    }

    /** It holds no lists: an absent key is an empty list. */
    @Override
    public List<Options> getObjectList(String key) {
        return List.of();
    }

    @Override
    public Set<String> keys() {
        return Set.of("limit");
    }

    @Override
    public String getString(String key) {
        throw error(key, "missing");
    }

    @Override
    public String getString(String key, String defaultValue) {
        return defaultValue;
    }

    @Override
    public String getChoice(String key, String defaultValue, String... choices) {
        return defaultValue;
    }

    @Override
    public long getLong(String key, long defaultValue, long min, long max) {
        return key.equals("limit") ? limit : defaultValue;
    }

    @Override
    public boolean getBoolean(String key, boolean defaultValue) {
        return defaultValue;
    }

    @Override
    public long getBytes(String key, long defaultValue, long min, long max) {
        return key.equals("limit") ? limit : defaultValue;
    }

    @Override
    public long getDurationNs(String key, long defaultValue, long min, long max) {
        return defaultValue;
    }

    @Override
    public Rate getRate(String key, Rate defaultValue) {
        return defaultValue;
    }

    @Override
    public List<String> getStringList(String key) {
        return List.of();
    }

    @Override
    public OptionException error(String key, String message) {
        return new OptionException(key, path + "." + key + ": " + message);
    }
}
