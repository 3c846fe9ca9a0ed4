/**
 * Sockets as the kernel builds them ({@code include/net/sock.h}, {@code include/linux/net.h}):
 * the {@link net.linuxnet.api.sock.Sock} → {@link net.linuxnet.api.sock.InetSock} →
 * {@code UdpSock} chain, {@link net.linuxnet.api.sock.Socket} ({@code struct socket}), the ops
 * tables {@link net.linuxnet.api.sock.ProtoOps} ({@code struct proto_ops}, the family's side)
 * and {@link net.linuxnet.api.sock.Proto} ({@code struct proto}, the transport's side),
 * {@link net.linuxnet.api.sock.NetProtoFamily} ({@code sock_register}), and the argument types
 * of the socket calls ({@link net.linuxnet.api.sock.SockaddrIn}, {@link net.linuxnet.api.sock.MsgHdr}).
 *
 * <pre>
 *   program ── Kernel.sendto(task, fd, ...) ──▶ socket layer (net/socket.c, in kernel-core)
 *                                                  │ fd → Socket; O_NONBLOCK → MSG_DONTWAIT
 *                                                  ▼
 *                                   Socket.ops  (ProtoOps: inet_dgram_ops)
 *                                                  ▼
 *                                   Sock.skProt (Proto: udp_prot, ping_prot)
 * </pre>
 *
 * <p><b>Blocking in an event-driven model.</b> Nothing here sleeps inside a call. A protocol
 * that cannot make progress (empty receive queue, full send buffer) returns {@code -EAGAIN}.
 * The socket layer returns that to a non-blocking caller; for a blocking one it adds the
 * calling {@link net.linuxnet.api.kernel.Task} to {@link net.linuxnet.api.sock.Sock#skWq} and
 * returns {@code -ERESTARTSYS}: the program's body returns, the task sleeps, and when
 * {@code sk_data_ready} or {@code sk_write_space} wakes it the body runs again and repeats the
 * call, which had no effect the first time. Programs are therefore written as state machines
 * over their task's runs (see the {@code udp-sender} and {@code udp-sink} applications).
 */
package net.linuxnet.api.sock;
