package net.linuxnet.core.config;

import java.util.List;

/** A scenario that cannot run; {@link #errors()} lists every problem, one line each. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
