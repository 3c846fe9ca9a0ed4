package net.linuxnet.core.plugin;

/**
 * A plugin could not be loaded or registered: no providers in a plugin directory, a provider
 * built against another API version, two registrations under one kernel name, a blank name, a
 * broken {@code META-INF/services} entry or {@code reference.conf}. The message names the
 * provider class, where it came from and what was expected; the engine stops before the run.
 */
public final class PluginException extends RuntimeException {

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
