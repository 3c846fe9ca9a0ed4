package net.linuxnet.api.config;

import java.util.List;
import java.util.Set;

/**
 * The options of one configuration entry (a device, a qdisc, an application), as a plugin
 * sees them: typed getters that parse iproute2's units, and errors that carry the file and
 * line of the value. Plugins never see the configuration library itself.
 *
 * <p>The core remembers which keys were read: a key nobody read is reported as unknown,
 * with the keys that were read listed as the accepted ones. So a plugin should read every
 * key it accepts, also when it only checks that the key is absent.
 *
 * <p>Units: sizes take {@code b}, {@code kb}/{@code k}, {@code mb}/{@code m}, {@code gb}/{@code g}
 * (bytes, powers of 1024) and {@code kbit}, {@code mbit} (bits); rates take {@code bit},
 * {@code kbit}, {@code mbit}, {@code gbit}, {@code tbit} (powers of 1000), {@code bps},
 * {@code kbps}, {@code mbps}, {@code gbps} (bytes per second, as in {@code tc}), and
 * {@code pps}, {@code kpps}, {@code mpps} (packets); times take {@code ns}, {@code us},
 * {@code ms}, {@code s}.
 */
public interface Options {

    /** Where this entry sits in the scenario, such as {@code hosts.a.apps.gen}. */
    String path();

    /** Whether {@code key} is set; counts as reading it. */
    boolean has(String key);

    /** The keys set in this entry. */
    Set<String> keys();

    /** A required string. */
    String getString(String key);

    String getString(String key, String defaultValue);

    /** One of {@code choices}; an error lists them. */
    String getChoice(String key, String defaultValue, String... choices);

    /** An integer within {@code [min, max]}. */
    long getLong(String key, long defaultValue, long min, long max);

    default int getInt(String key, int defaultValue, int min, int max) {
        return (int) getLong(key, defaultValue, min, max);
    }

    boolean getBoolean(String key, boolean defaultValue);

    /** A size in bytes ({@code 32kb}, {@code 1500}, {@code 32kbit}), within {@code [min, max]}. */
    long getBytes(String key, long defaultValue, long min, long max);

    /** A time in nanoseconds ({@code 50ms}, {@code 10us}). */
    long getDurationNs(String key, long defaultValue, long min, long max);

    /** A bit rate or packet rate ({@code 10mbit}, {@code 200kpps}); null if absent and no default. */
    Rate getRate(String key, Rate defaultValue);

    List<String> getStringList(String key);

    /**
     * A list of objects ({@code routes = [ { dst = default, via = "10.0.0.254" } ]}), each as
     * options of its own with its own file and line; an absent key gives an empty list. The
     * reader must check the keys of each element itself: the core does not track them.
     */
    List<Options> getObjectList(String key);

    /**
     * An error about the value of {@code key}, located at that value's file and line, to
     * throw from the plugin.
     */
    OptionException error(String key, String message);
}
