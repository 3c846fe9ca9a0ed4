package net.linuxnet.api.sock;

import net.linuxnet.api.kernel.Kernel;

/**
 * {@code struct net_proto_family}: creates the sockets of one address family
 * ({@code inet_family_ops} with {@code inet_create}), registered with
 * {@code Kernel.sockRegister}.
 */
public interface NetProtoFamily {

    /** {@code family}: {@code AF_INET}. */
    int family();

    /**
     * {@code create}: finds the protocol for {@code sock.type} and {@code protocol}, sets
     * {@code sock.ops}, allocates {@code sock.sk} and initialises it ({@code sock_init_data}
     * is done by the socket layer afterwards for the buffer sizes).
     *
     * @return 0, {@code -ESOCKTNOSUPPORT} or {@code -EPROTONOSUPPORT}
     */
    int create(Kernel kernel, Socket sock, int protocol);
}
