package net.linuxnet.api.config;

/**
 * A configuration value a plugin cannot accept. The message already says where the value is
 * (file, line, key) when it was made by {@link Options#error}; the core collects these and
 * stops before the run.
 */
public final class OptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public OptionException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key in its entry, such as {@code limit}. */
    public String key() {
        return key;
    }
}
