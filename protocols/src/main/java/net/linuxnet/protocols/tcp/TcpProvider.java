package net.linuxnet.protocols.tcp;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.plugin.NetProtocolProvider;

/**
 * TCP as {@code inet_init} registers it: {@code tcp_protocol} for {@code IPPROTO_TCP}
 * ({@code inet_add_protocol}); the host's {@link Tcp} is stored with {@code setNetGeneric},
 * where AF_INET's {@code inet_create} finds it for SOCK_STREAM sockets.
 */
public final class TcpProvider implements NetProtocolProvider {

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<NetProtocol> protocols(Kernel kernel) {
        Tcp tcp = new Tcp(kernel);
        kernel.setNetGeneric(Tcp.class, tcp);
        return List.of(tcp);
    }
}
