package net.linuxnet.api;

/**
 * The version of the plugin API. A plugin returns {@link #VERSION} from its providers'
 * {@code apiVersion()}; the constant is copied into the plugin's class files when it is
 * compiled, so the core can tell which API a plugin was built against and refuse one built
 * against another major or minor version.
 */
public final class ApiVersion {
    /** {@code major.minor}: a plugin loads when both match the core's. */
    public static final String VERSION = "0.1";

    private ApiVersion() {
    }
}
