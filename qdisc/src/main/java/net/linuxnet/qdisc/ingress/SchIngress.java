package net.linuxnet.qdisc.ingress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.NetXmit;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.api.sched.TcAct;

/**
 * The {@code ingress} qdisc, after {@code net/sched/sch_ingress.c} of Linux 6.18, with its
 * filter chain: the classifiers {@code matchall} ({@code cls_matchall.c}) and a
 * {@code u32}-style match on IPv4 fields ({@code cls_u32.c}, as {@code tc filter ... u32 match
 * ip dst 10.0.0.0/24 match ip dport 9000 0xffff} compiles to), each with one action:
 * {@code gact} {@code pass}/{@code drop} ({@code act_gact.c}) or {@code mirred egress
 * redirect|mirror dev X} ({@code act_mirred.c}).
 *
 * <p>It queues nothing: the device layer's {@code sch_handle_ingress} calls {@link #classify}
 * ({@code tc_run}: {@code mini_qdisc_bstats_cpu_update}, then {@code tcf_classify}) for each
 * received frame after the taps and before the protocol handlers. Filters are tried in
 * {@code pref} order; the first that matches runs its action, whose verdict is the result.
 *
 * <p>Configuration: {@code qdiscs { eth0.ingress { filters = [ { pref = 1, kind = u32,
 * protocol = ip, dst = "10.0.0.0/24", ip_proto = udp, dport = 9000,
 * action = "mirred egress redirect dev ifb0" } ] } }}. {@code kind} is {@code matchall}
 * (no match keys) or {@code u32} (keys {@code src}, {@code dst} as prefixes, {@code ip_proto}
 * as {@code tcp}, {@code udp}, {@code icmp} or a number, {@code sport}, {@code dport});
 * {@code protocol} is {@code all} (default) or {@code ip}; {@code action} is {@code pass},
 * {@code drop}, {@code "mirred egress redirect dev X"} or {@code "mirred egress mirror dev X"}.
 */
public final class SchIngress implements QdiscOps<SchIngress.IngressSchedData> {

    /** {@code ingress_qdisc_ops}. */
    public static final SchIngress INGRESS_QDISC_OPS = new SchIngress();

    private static final Set<String> FILTER_KEYS = Set.of("pref", "kind", "protocol", "src", "dst", "ip_proto", "sport",
            "dport", "action");

    /** The action of one filter. */
    enum ActKind { PASS, DROP, REDIRECT, MIRROR }

    /** One filter with its single action and the action's counters ({@code tcf_action_stats}). */
    static final class Filter {
        int pref;
        String kind;
        boolean protoIp;
        int src;
        int srcMask;
        int dst;
        int dstMask;
        int ipProto = -1;
        int sport = -1;
        int dport = -1;
        String match;
        ActKind act;
        NetDevice target;
        String actText;
        long bytes;
        long packets;
        long drops;
        long overlimits;
    }

    /** {@code struct ingress_sched_data}: the filter chain. */
    public static final class IngressSchedData {
        final Filter[] filters;

        IngressSchedData(Filter[] filters) {
            this.filters = filters;
        }
    }

    private SchIngress() {
    }

    @Override
    public String id() {
        return "ingress";
    }

    @Override
    public int staticFlags() {
        return Qdisc.TCQ_F_INGRESS;
    }

    /** {@code ingress_init} plus the {@code tc filter add} of each configured filter ({@code tc_new_tfilter}). */
    @Override
    public IngressSchedData init(Qdisc<IngressSchedData> sch, Options options) {
        List<Filter> out = new ArrayList<>();
        int autoPref = 49152;
        for (Options fo : options.getObjectList("filters")) {
            for (String k : fo.keys()) {
                if (!FILTER_KEYS.contains(k)) {
                    throw fo.error(k, fo.path() + "." + k + ": unknown filter key (accepted: " + String.join(", ",
                            new java.util.TreeSet<>(FILTER_KEYS)) + ")");
                }
            }
            Filter f = new Filter();
            f.pref = fo.getInt("pref", autoPref--, 1, 0xffff);
            f.kind = fo.getChoice("kind", "matchall", "matchall", "u32");
            f.protoIp = fo.getChoice("protocol", "all", "all", "ip").equals("ip");
            StringBuilder m = new StringBuilder();
            if (f.kind.equals("u32")) {
                f.protoIp |= fo.has("src") || fo.has("dst") || fo.has("ip_proto") || fo.has("sport") || fo.has("dport");
                if (fo.has("src")) {
                    int[] p = prefix(fo, "src");
                    f.src = p[0];
                    f.srcMask = p[1];
                    m.append("match ip src ").append(fo.getString("src")).append(' ');
                }
                if (fo.has("dst")) {
                    int[] p = prefix(fo, "dst");
                    f.dst = p[0];
                    f.dstMask = p[1];
                    m.append("match ip dst ").append(fo.getString("dst")).append(' ');
                }
                if (fo.has("ip_proto")) {
                    String s = fo.getString("ip_proto");
                    f.ipProto = switch (s) {
                        case "tcp" -> 6;
                        case "udp" -> 17;
                        case "icmp" -> 1;
                        default -> {
                            try {
                                int v = Integer.parseInt(s);
                                if (v < 0 || v > 255) {
                                    throw new NumberFormatException();
                                }
                                yield v;
                            } catch (NumberFormatException e) {
                                throw fo.error("ip_proto", fo.path() + ".ip_proto: '" + s
                                        + "' is not an IP protocol (expected: tcp, udp, icmp or 0..255)");
                            }
                        }
                    };
                    m.append("match ip protocol ").append(f.ipProto).append(" 0xff ");
                }
                if (fo.has("sport")) {
                    f.sport = fo.getInt("sport", 0, 0, 65535);
                    m.append("match ip sport ").append(f.sport).append(" 0xffff ");
                }
                if (fo.has("dport")) {
                    f.dport = fo.getInt("dport", 0, 0, 65535);
                    m.append("match ip dport ").append(f.dport).append(" 0xffff ");
                }
            } else {
                for (String k : List.of("src", "dst", "ip_proto", "sport", "dport")) {
                    if (fo.has(k)) {
                        throw fo.error(k, fo.path() + "." + k + ": matchall matches every packet (use kind = u32 to match on " + k + ")");
                    }
                }
            }
            f.match = m.toString().trim();
            parseAction(sch, fo, f);
            out.add(f);
        }
        out.sort((a, b) -> Integer.compare(a.pref, b.pref));
        return new IngressSchedData(out.toArray(new Filter[0]));
    }

    private static int[] prefix(Options fo, String key) {
        String s = fo.getString(key);
        String[] parts = s.split("/", -1);
        try {
            int len = parts.length == 1 ? 32 : Integer.parseInt(parts[1]);
            if (parts.length > 2 || len < 0 || len > 32) {
                throw new IllegalArgumentException();
            }
            String[] o = parts[0].split("\\.", -1);
            if (o.length != 4) {
                throw new IllegalArgumentException();
            }
            int a = 0;
            for (String x : o) {
                int v = Integer.parseInt(x);
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException();
                }
                a = (a << 8) | v;
            }
            int mask = len == 0 ? 0 : -1 << (32 - len);
            return new int[] {a & mask, mask};
        } catch (IllegalArgumentException e) {
            throw fo.error(key, fo.path() + "." + key + ": '" + s + "' is not an IPv4 prefix (expected: a.b.c.d or a.b.c.d/len)");
        }
    }

    private static void parseAction(Qdisc<?> sch, Options fo, Filter f) {
        String a = fo.getString("action").trim();
        f.actText = a;
        if (a.equals("pass") || a.equals("ok")) {
            f.act = ActKind.PASS;
            f.actText = "gact action pass";
            return;
        }
        if (a.equals("drop") || a.equals("shot")) {
            f.act = ActKind.DROP;
            f.actText = "gact action drop";
            return;
        }
        String[] w = a.split("\\s+");
        if (w.length == 5 && w[0].equals("mirred") && w[1].equals("egress") && (w[2].equals("redirect") || w[2].equals("mirror"))
                && w[3].equals("dev")) {
            NetDevice target = sch.kernel().devGetByName(w[4]);
            if (target == null) {
                throw fo.error("action", fo.path() + ".action: mirred: no device '" + w[4] + "' on host " + sch.kernel().hostname());
            }
            f.act = w[2].equals("redirect") ? ActKind.REDIRECT : ActKind.MIRROR;
            f.target = target;
            f.actText = "mirred (Egress " + (f.act == ActKind.REDIRECT ? "Redirect" : "Mirror") + " to device " + target.name() + ")"
                    + (f.act == ActKind.REDIRECT ? " stolen" : " pipe");
            return;
        }
        throw fo.error("action", fo.path() + ".action: '" + a
                + "' is not an action (expected: pass, drop, \"mirred egress redirect dev X\" or \"mirred egress mirror dev X\")");
    }

    /** Nothing is queued on ingress: {@code ingress} has no enqueue ({@code noop_enqueue}). */
    @Override
    public int enqueue(SkBuff skb, Qdisc<IngressSchedData> sch) {
        return sch.qdiscDrop(skb);
    }

    @Override
    public SkBuff dequeue(Qdisc<IngressSchedData> sch) {
        return null;
    }

    @Override
    public SkBuff peek(Qdisc<IngressSchedData> sch) {
        return null;
    }

    @Override
    public void reset(Qdisc<IngressSchedData> sch, SkbDropReason reason) {
    }

    /**
     * {@code tc_run} on the ingress chain: counts the packet in the qdisc's bstats
     * ({@code mini_qdisc_bstats_cpu_update}), then {@code tcf_classify}: the first filter
     * that matches ({@code mall_classify}, {@code u32_classify}) runs its action.
     */
    @Override
    public int classify(SkBuff skb, Qdisc<IngressSchedData> sch) {
        sch.bstatsUpdate(skb);
        for (Filter f : sch.priv().filters) {
            if (matches(f, skb)) {
                return act(f, skb, sch);
            }
        }
        return TcAct.TC_ACT_UNSPEC;
    }

    /** {@code u32_classify} for the keys the model knows; {@code mall_classify} always matches. */
    private static boolean matches(Filter f, SkBuff skb) {
        if (f.protoIp && skb.protocol() != IfEther.ETH_P_IP) {
            return false;
        }
        if (!f.kind.equals("u32")) {
            return true;
        }
        int nh = skb.networkHeader();
        if (skb.len() < 20) {
            return false;
        }
        if (f.srcMask != 0 && (skb.getU32(nh + 12) & f.srcMask) != f.src) {
            return false;
        }
        if (f.dstMask != 0 && (skb.getU32(nh + 16) & f.dstMask) != f.dst) {
            return false;
        }
        int proto = skb.getU8(nh + 9);
        if (f.ipProto >= 0 && proto != f.ipProto) {
            return false;
        }
        if (f.sport >= 0 || f.dport >= 0) {
            int ihl = (skb.getU8(nh) & 0x0f) * 4;
            // u32's "nexthdr+" offsets: ports of the first fragment only
            if ((skb.getU16(nh + 6) & 0x1fff) != 0 || skb.len() < ihl + 4) {
                return false;
            }
            if (f.sport >= 0 && skb.getU16(nh + ihl) != f.sport) {
                return false;
            }
            if (f.dport >= 0 && skb.getU16(nh + ihl + 2) != f.dport) {
                return false;
            }
        }
        return true;
    }

    /** {@code tcf_gact_act} / {@code tcf_mirred_act}: runs the action and counts it. */
    private static int act(Filter f, SkBuff skb, Qdisc<IngressSchedData> sch) {
        f.bytes += skb.len();
        f.packets++;
        switch (f.act) {
            case PASS:
                return TcAct.TC_ACT_OK;
            case DROP:
                f.drops++;
                return TcAct.TC_ACT_SHOT;
            case MIRROR: {
                if (!f.target.isUp()) {
                    f.overlimits++;   // err_cant_do: "device is down"
                    return TcAct.TC_ACT_PIPE;
                }
                if (!mirredForward(f.target, skb.clone(), sch, false)) {
                    f.overlimits++;
                }
                return TcAct.TC_ACT_PIPE;
            }
            default:
                if (!f.target.isUp()) {
                    f.overlimits++;   // err_cant_do: a redirect that cannot be done is shot
                    return TcAct.TC_ACT_SHOT;
                }
                if (!mirredForward(f.target, skb, sch, true)) {
                    f.overlimits++;
                }
                return TcAct.TC_ACT_CONSUMED;
        }
    }

    /**
     * {@code tcf_mirred_to_dev} towards egress from ingress: the MAC header is pushed back
     * ({@code skb_push_rcsum(skb, mac_len)}), {@code skb_iif} is the device it came in on, a
     * redirected skb is marked {@code skb_set_redirected(skb, at_ingress)}, and
     * {@code tcf_mirred_forward} sends it with {@code dev_queue_xmit} from the target; an
     * error there counts an overlimit on the action.
     *
     * @return whether {@code dev_queue_xmit} took it
     */
    private static boolean mirredForward(NetDevice dev, SkBuff skb, Qdisc<?> sch, boolean redirect) {
        int macLen = skb.networkHeader() - skb.macHeader();
        if (skb.tcAtIngress() && macLen > 0 && skb.data() == skb.networkHeader()) {
            skb.push(macLen);
        }
        skb.setSkbIif(skb.dev().ifindex());
        skb.setDev(dev);
        if (redirect) {
            skb.setRedirected(skb.tcAtIngress());
        }
        skb.setTcAtIngress(false);
        int rc = sch.kernel().devQueueXmit(skb);
        return rc == NetXmit.NET_XMIT_SUCCESS || rc == NetXmit.NET_XMIT_CN;
    }

    /** {@code tc -s filter show dev X ingress}: one row per filter with its action's counters. */
    @Override
    public List<Map<String, Object>> dumpFilters(Qdisc<IngressSchedData> sch) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Filter f : sch.priv().filters) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("dev", sch.dev().name());
            r.put("parent", "ffff:");
            r.put("protocol", f.protoIp ? "ip" : "all");
            r.put("pref", f.pref);
            r.put("kind", f.kind);
            r.put("match", f.match);
            r.put("action", f.actText);
            r.put("sent_bytes", f.bytes);
            r.put("sent_packets", f.packets);
            r.put("dropped", f.drops);
            r.put("overlimits", f.overlimits);
            rows.add(r);
        }
        return rows;
    }

    /** {@code ingress_dump}: the qdisc prints {@code ----------------} after its parent. */
    @Override
    public String dump(Qdisc<IngressSchedData> sch) {
        return "----------------";
    }

}
