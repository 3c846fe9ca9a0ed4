package net.linuxnet.api.kernel;

/**
 * A host's sysctls by their {@code /proc/sys} names with dots ({@code net.core.netdev_max_backlog}).
 * Values are read when used, so a change during a run takes effect at once, as writing to
 * {@code /proc/sys} does.
 */
public interface Sysctl {

    /**
     * @throws IllegalArgumentException if no such sysctl exists
     */
    long getLong(String name);

    /**
     * @throws IllegalArgumentException if no such sysctl exists
     */
    default int getInt(String name) {
        return (int) getLong(name);
    }

    /**
     * @throws IllegalArgumentException if no such sysctl exists
     */
    String getString(String name);

    /**
     * Sets a sysctl, as {@code sysctl -w} does.
     *
     * @throws IllegalArgumentException if no such sysctl exists or the value does not fit it
     */
    void set(String name, String value);
}
