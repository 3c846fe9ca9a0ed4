/**
 * IPv4, as {@code net/ipv4} of Linux 6.18: {@code ip_rcv} with its header checks, the FIB
 * ({@code local} and {@code main} tables, longest prefix), route input and output with
 * source address selection and path MTU exceptions, forwarding with TTL and
 * "fragmentation needed", output through the five netfilter hooks, fragmentation and
 * reassembly, and ICMP with the kernel's rate limits.
 *
 * <p>{@link net.linuxnet.protocols.ipv4.Ipv4Provider} registers it in every host:
 * {@link net.linuxnet.protocols.ipv4.Ipv4} is the {@code ETH_P_IP} handler and the host's
 * {@link net.linuxnet.protocols.inet.Inet4};
 * {@link net.linuxnet.protocols.ipv4.Icmp} is protocol 1. The host key {@code routes} and the
 * device key {@code addresses} belong to it.
 */
package net.linuxnet.protocols.ipv4;
