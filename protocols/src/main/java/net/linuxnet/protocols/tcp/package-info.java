/**
 * TCP over IPv4, after {@code net/ipv4/tcp*.c} of Linux 6.18: connection set-up, data
 * transfer and close. {@link net.linuxnet.protocols.tcp.Tcp} is {@code tcp_prot} and the
 * {@code IPPROTO_TCP} handler; {@link net.linuxnet.protocols.tcp.TcpSock} is
 * {@code struct tcp_sock} (extending the api's {@code InetConnectionSock}, which extends
 * {@code InetSock}); {@link net.linuxnet.protocols.tcp.TcpRequestSock} an embryonic connection;
 * {@link net.linuxnet.protocols.tcp.TcpTimewaitSock} what is left in TIME-WAIT;
 * {@link net.linuxnet.protocols.tcp.InetStreamOps} is {@code inet_stream_ops}.
 *
 * <pre>
 *   client                                   server (listener, backlog N)
 *   connect ─ SYN ──────────────────────▶ tcp_conn_request: qlen > N? cookie / drop
 *                                           accept queue > N? drop (ListenOverflows)
 *           ◀────────────────── SYN-ACK ─ request sock (qlen++), rsk_timer 1 s doubling
 *   ESTAB   ─ ACK ──────────────────────▶ tcp_check_req → child → accept queue
 *                                           (full: drop and resend SYN-ACK, or RST)
 *   SYN rtx at +1 +2 +3 +4 +5 +7 +11 +19 +35 +67 s, ETIMEDOUT at +131 s
 *
 *   close ─ FIN ─▶ FIN-WAIT-1 ─ACK─▶ FIN-WAIT-2 ─FIN─▶ TIME-WAIT (60 s)
 *   peer:   CLOSE-WAIT ── close ─ FIN ─▶ LAST-ACK ─ACK─▶ CLOSE
 * </pre>
 */
package net.linuxnet.protocols.tcp;
