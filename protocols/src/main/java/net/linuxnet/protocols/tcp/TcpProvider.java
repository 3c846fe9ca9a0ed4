package net.linuxnet.protocols.tcp;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.plugin.NetProtocolProvider;
import net.linuxnet.api.plugin.PernetProvider;

/**
 * TCP as {@code inet_init} registers it: {@code tcp_protocol} for {@code IPPROTO_TCP}
 * ({@code inet_add_protocol}); the host's {@link Tcp} is stored with {@code setNetGeneric},
 * where AF_INET's {@code inet_create} finds it for SOCK_STREAM sockets. As a pernet provider it
 * claims no keys and, when a run ends, frees the segments connections still queue.
 */
public final class TcpProvider implements NetProtocolProvider, PernetProvider {

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

    @Override
    public Set<String> hostKeys() {
        return Set.of();
    }

    @Override
    public Set<String> deviceKeys() {
        return Set.of();
    }

    @Override
    public void init(Kernel kernel, Options host, Map<NetDevice, Options> devices) {
    }

    @Override
    public long exit(Kernel kernel) {
        Tcp tcp = kernel.netGeneric(Tcp.class);
        return tcp == null ? 0 : tcp.purgeAll();
    }
}
