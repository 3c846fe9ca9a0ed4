package net.linuxnet.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every configuration error found before a run, each a line that starts with file and line. */
public final class ConfigErrors {
    private final List<String> messages = new ArrayList<>();

    public void add(String message) {
        if (!messages.contains(message)) {
            messages.add(message);
        }
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** Throws a {@link ConfigException} with every message if there is any. */
    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new ConfigException(messages);
        }
    }
}
