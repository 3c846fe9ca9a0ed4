package net.linuxnet.api.plugin;

/**
 * What every plugin provider has, whatever it provides. A plugin jar lists its providers in
 * {@code META-INF/services/<provider interface>}; the core finds them with
 * {@link java.util.ServiceLoader}, checks {@link #apiVersion()}, registers what they offer
 * by its kernel name, and logs one line per registration. A plugin may ship a
 * {@code reference.conf} with the defaults of its options and costs.
 */
public interface LinuxnetProvider {

    /**
     * The API version the plugin was compiled against: implement it as
     * {@code return ApiVersion.VERSION;}, which the compiler copies into the plugin.
     */
    String apiVersion();

    /**
     * A Guice {@code com.google.inject.Module} to install into the engine's injector, or null
     * (the default). A plugin need not use Guice to register ops tables.
     */
    default Object guiceModule() {
        return null;
    }
}
