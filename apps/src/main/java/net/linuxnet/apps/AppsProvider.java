package net.linuxnet.apps;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.plugin.ApplicationProvider;
import net.linuxnet.apps.packet.AfPacketType;
import net.linuxnet.apps.pktgen.PktgenType;

/**
 * The built-in applications, found by {@link java.util.ServiceLoader}: {@code pktgen}
 * ({@code net/core/pktgen.c}) and {@code af-packet} ({@code net/packet/af_packet.c}), as
 * {@code module_init} registers a module's handlers.
 */
public final class AppsProvider implements ApplicationProvider {

    private static final List<ApplicationType> APPLICATIONS = List.of(new PktgenType(), new AfPacketType());

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<ApplicationType> applications() {
        return APPLICATIONS;
    }
}
