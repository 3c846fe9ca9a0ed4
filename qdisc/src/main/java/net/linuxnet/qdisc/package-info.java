/**
 * The built-in qdiscs and the traffic-control configuration they are used with.
 *
 * <h2>The tree: {@code qdiscs}</h2>
 *
 * <p>Per host, {@code qdiscs { <dev> { <parent> { kind = ..., <options> } } }}, where the
 * parent is what {@code tc qdisc add dev <dev> parent <parent>} names:
 *
 * <pre>
 * qdiscs {
 *   eth0 {
 *     root  { kind = mq, handle = "1:" }          # tc qdisc add dev eth0 root handle 1: mq
 *     "1:2" { kind = pfifo, limit = 100 }         # tc qdisc add dev eth0 parent 1:2 pfifo limit 100
 *   }
 *   ifb0.root { kind = bfifo, limit = 30kb }      # tc qdisc add dev ifb0 root bfifo limit 30kb
 *   eth1.ingress {                                # tc qdisc add dev eth1 ingress
 *     filters = [                                 # tc filter add dev eth1 ingress ...
 *       { pref = 1, kind = u32, protocol = ip, dst = "10.0.0.0/24", ip_proto = udp, dport = 9000,
 *         action = "mirred egress redirect dev ifb0" }
 *       { pref = 2, kind = matchall, action = pass }
 *     ]
 *   }
 * }
 * </pre>
 *
 * <ul>
 *   <li>{@code root}: any registered qdisc; {@code handle} defaults to {@code 1:}.</li>
 *   <li>{@code mq} ({@link net.linuxnet.qdisc.mq.SchMq}) needs a device with more than one
 *       TX queue (veth {@code queues = N}); it gets one child per queue, parent
 *       {@code <major>:<queue + 1>}, handle {@code 0:}, of kind
 *       {@code net.core.default_qdisc} unless the class has its own entry ({@code "1:2"}).
 *       Its counters are the sums of its children's.</li>
 *   <li>A device without a configured root gets what {@code attach_default_qdiscs} gives:
 *       nothing ({@code noqueue}) when it is {@code IFF_NO_QUEUE} (veth, loopback), {@code mq}
 *       when it has several TX queues, else {@code net.core.default_qdisc}.</li>
 *   <li>{@code ingress} ({@link net.linuxnet.qdisc.ingress.SchIngress}): handle
 *       {@code ffff:}, parent {@code ffff:fff1}; its {@code filters} run in
 *       {@code sch_handle_ingress}, after the taps and before the protocol handlers, in
 *       {@code pref} order; the first match decides. Filter keys: {@code pref},
 *       {@code kind} ({@code matchall} or {@code u32}), {@code protocol} ({@code all} or
 *       {@code ip}; any u32 key implies {@code ip}), for u32 {@code src}, {@code dst}
 *       (IPv4 prefixes), {@code ip_proto} ({@code tcp}, {@code udp}, {@code icmp} or a
 *       number), {@code sport}, {@code dport}; and {@code action}: {@code pass},
 *       {@code drop} (freed with reason {@code TC_INGRESS}, counted on the ingress qdisc),
 *       {@code "mirred egress redirect dev X"} or {@code "mirred egress mirror dev X"}.</li>
 * </ul>
 *
 * <p>Anything else is an error before the run: an unknown kind or option, a parent that is
 * not {@code root}, {@code ingress} or a class of the root, {@code mq} on a single-queue
 * device, a filter key, prefix, protocol or action that does not parse, a mirred device that
 * does not exist.
 *
 * <h2>Changes at run time: {@code tc}</h2>
 *
 * <pre>
 * tc = [
 *   { at = 500ms, qdisc = replace, dev = eth0, kind = pfifo, limit = 10 }           # parent root
 *   { at = 1s, qdisc = replace, dev = eth1, parent = "1:2", kind = bfifo, limit = 10kb }
 *   { at = 2s, qdisc = delete, dev = eth0 }                                          # root only
 * ]
 * </pre>
 *
 * <p>Each is {@code tc qdisc replace dev <dev> parent <parent> [handle <h>] <kind> <options>}
 * at time {@code at}: the new qdisc is created and its options checked before the run (a
 * root without {@code handle} gets {@code 8001:}, as {@code qdisc_alloc_handle} does); at
 * its time it is grafted and the old one is reset and destroyed, its packets freed with
 * reason {@code QUEUE_PURGE}. {@code delete} puts back the default of
 * {@code attach_default_qdiscs} ({@code noqueue} for an {@code IFF_NO_QUEUE} device).
 *
 * <h2>Report</h2>
 *
 * <p>{@code tc -s qdisc} prints every qdisc of the tree (root, children, ingress); the JSON
 * {@code qdiscs} rows carry {@code dev}, {@code kind}, {@code handle}, {@code parent}
 * ({@code root}, {@code 1:2}, {@code ffff:fff1}), {@code options} and the counters.
 * {@code tc -s filter show dev X ingress} prints each filter with its action's counters; the
 * JSON has them as {@code filters} rows ({@code dev}, {@code parent}, {@code protocol},
 * {@code pref}, {@code kind}, {@code match}, {@code action}, {@code sent_bytes},
 * {@code sent_packets}, {@code dropped}, {@code overlimits}).
 */
package net.linuxnet.qdisc;
