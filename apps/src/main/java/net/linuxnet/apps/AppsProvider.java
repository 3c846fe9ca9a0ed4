package net.linuxnet.apps;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.plugin.ApplicationProvider;
import net.linuxnet.apps.packet.AfPacketType;
import net.linuxnet.apps.ping.PingApp;
import net.linuxnet.apps.pktgen.PktgenType;
import net.linuxnet.apps.synflood.SynFloodType;
import net.linuxnet.apps.tcp.TcpAppTypes;
import net.linuxnet.apps.udp.UdpAppTypes;

/**
 * The built-in applications, found by {@link java.util.ServiceLoader}: {@code pktgen}
 * ({@code net/core/pktgen.c}) and {@code af-packet} ({@code net/packet/af_packet.c}), and the UDP programs
 * {@code udp-sender}, {@code udp-sink}, {@code udp-echo}, {@code udp-rr} and {@code ping}, and the TCP programs {@code tcp-server}, {@code tcp-client} and {@code syn-flood}, as
 * {@code module_init} registers a module's handlers.
 */
public final class AppsProvider implements ApplicationProvider {

    private static final List<ApplicationType> APPLICATIONS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(new PktgenType(), new AfPacketType()),
            java.util.stream.Stream.concat(UdpAppTypes.all().stream(),
                    java.util.stream.Stream.concat(PingApp.all().stream(), java.util.stream.Stream.concat(TcpAppTypes.all().stream(),
                            java.util.stream.Stream.of(new SynFloodType()))))).toList();

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<ApplicationType> applications() {
        return APPLICATIONS;
    }
}
