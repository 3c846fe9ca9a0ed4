package net.linuxnet.core.plugin;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.plugin.ApplicationProvider;

/**
 * Offers a string where a Guice module belongs. Not listed in {@code META-INF/services}: tests
 * list it in a services file of their own.
 */
public final class NotAModuleProvider implements ApplicationProvider {

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public Object guiceModule() {
        return "not a module";
    }

    @Override
    public List<ApplicationType> applications() {
        return List.of();
    }
}
