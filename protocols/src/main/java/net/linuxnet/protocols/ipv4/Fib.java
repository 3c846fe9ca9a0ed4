package net.linuxnet.protocols.ipv4;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.linuxnet.api.kernel.ReportSection;
import net.linuxnet.api.net.NetDevice;

/**
 * The two FIB tables of a host, {@code local} and {@code main}, as {@code fib_table} with
 * {@code fib_table_lookup} ({@code net/ipv4/fib_trie.c}, {@code fib_frontend.c}). A lookup
 * searches the local table, then the main table ({@code fib_lookup} without policy rules),
 * each by longest prefix; each table is kept sorted by prefix length, longest first, so the
 * first match wins. Lookups allocate nothing.
 *
 * <p>It is also the {@code routes} section of the report, in the words of
 * {@code ip route show table all}.
 */
public final class Fib implements ReportSection {
    private final List<FibAlias> local = new ArrayList<>();
    private final List<FibAlias> main = new ArrayList<>();

    /** {@code fib_table_insert}: false if the same prefix, type and device is there ({@code -EEXIST}). */
    public boolean insert(FibAlias fa) {
        List<FibAlias> t = fa.table == FibAlias.RT_TABLE_LOCAL ? local : main;
        for (FibAlias o : t) {
            if (o.dst == fa.dst && o.dstLen == fa.dstLen && o.type == fa.type) {
                return false;
            }
        }
        int i = 0;
        while (i < t.size() && t.get(i).dstLen >= fa.dstLen) {
            i++;
        }
        t.add(i, fa);
        return true;
    }

    /**
     * {@code fib_lookup}: the route for {@code daddr}, local table first, or null. With
     * {@code oif} non-zero only routes through that device match.
     */
    public FibAlias lookup(int daddr, int oif) {
        FibAlias fa = lookup(local, daddr, 0);
        if (fa != null) {
            return fa;
        }
        return lookup(main, daddr, oif);
    }

    private static FibAlias lookup(List<FibAlias> t, int daddr, int oif) {
        for (int i = 0, n = t.size(); i < n; i++) {
            FibAlias fa = t.get(i);
            if (fa.matches(daddr) && (oif == 0 || fa.dev.ifindex() == oif)) {
                return fa;
            }
        }
        return null;
    }

    /** The connected route (scope link, no gateway) of the main table covering {@code addr}, or null. */
    public FibAlias onLink(int addr, NetDevice dev) {
        for (FibAlias fa : main) {
            if (fa.gateway == 0 && fa.scope == FibAlias.RT_SCOPE_LINK && fa.matches(addr)
                    && (dev == null || fa.dev == dev)) {
                return fa;
            }
        }
        return null;
    }

    /**
     * Every route as {@code ip route show table all} lists them: the main table, then the
     * local table, each in trie order (address ascending, the shorter prefix first).
     */
    public List<FibAlias> all() {
        java.util.Comparator<FibAlias> trie = java.util.Comparator
                .<FibAlias>comparingLong(fa -> fa.dst & 0xffffffffL).thenComparingInt(fa -> fa.dstLen);
        List<FibAlias> m = new ArrayList<>(main);
        m.sort(trie);
        List<FibAlias> l = new ArrayList<>(local);
        l.sort(trie);
        m.addAll(l);
        return m;
    }

    @Override
    public String key() {
        return "routes";
    }

    @Override
    public Object json() {
        List<Object> out = new ArrayList<>();
        for (FibAlias fa : all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", fa.table == FibAlias.RT_TABLE_LOCAL ? "local" : "main");
            m.put("type", FibAlias.typeName(fa.type));
            m.put("dst", fa.dstText());
            if (fa.gateway != 0) {
                m.put("gateway", InetAddr.toString(fa.gateway));
            }
            m.put("dev", fa.dev.name());
            m.put("protocol", fa.protocol);
            m.put("scope", FibAlias.scopeName(fa.scope));
            if (fa.prefsrc != 0) {
                m.put("prefsrc", InetAddr.toString(fa.prefsrc));
            }
            if (fa.mtu != 0) {
                m.put("mtu", fa.mtu);
            }
            out.add(m);
        }
        return out;
    }

    @Override
    public void text(StringBuilder out) {
        out.append("$ ip route show table all\n");
        for (FibAlias fa : all()) {
            out.append(fa.text()).append('\n');
        }
    }
}
