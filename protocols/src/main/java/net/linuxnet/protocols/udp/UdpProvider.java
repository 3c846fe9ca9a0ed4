package net.linuxnet.protocols.udp;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.plugin.NetProtocolProvider;
import net.linuxnet.protocols.inet.PingRcv;
import net.linuxnet.protocols.ping.Ping;

/**
 * UDP and AF_INET datagram sockets, as {@code inet_init} registers them: {@code udp_protocol}
 * for {@code IPPROTO_UDP} ({@code inet_add_protocol}) and {@code inet_family_ops} for AF_INET
 * ({@code sock_register}) with UDP and ICMP datagram ("ping") sockets, once per host at boot;
 * the ping sockets are stored as the host's {@code PingRcv}, where {@code icmp_rcv} finds them. The host's {@link Udp} is also stored with
 * {@code setNetGeneric} for tests and other protocols.
 */
public final class UdpProvider implements NetProtocolProvider {

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<NetProtocol> protocols(Kernel kernel) {
        Udp udp = new Udp(kernel);
        kernel.setNetGeneric(Udp.class, udp);
        Ping ping = new Ping(kernel);
        kernel.setNetGeneric(PingRcv.class, ping);
        kernel.sockRegister(new AfInet(kernel, udp, ping));
        return List.of(udp);
    }
}
