package net.linuxnet.protocols.arp;

import java.util.Map;
import java.util.Set;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.OptionException;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.plugin.PernetProvider;

/**
 * The host key {@code neigh}: static ARP entries, what
 * {@code ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent} makes.
 *
 * <pre>
 *   neigh = [ { dst = "10.0.0.2", lladdr = "02:00:00:00:00:02", dev = eth0 } ]
 * </pre>
 *
 * <p>{@code nud} may be given and must be {@code permanent} (the default, and the only state
 * a configured entry can have here). Follows {@code neigh_add} in
 * {@code net/core/neighbour.c} with {@code NEIGH_UPDATE_F_ADMIN}.
 */
public final class NeighPernetProvider implements PernetProvider {
    private static final Set<String> KEYS = Set.of("dst", "lladdr", "dev", "nud");

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public Set<String> hostKeys() {
        return Set.of("neigh");
    }

    @Override
    public Set<String> deviceKeys() {
        return Set.of();
    }

    @Override
    public void init(Kernel kernel, Options host, Map<NetDevice, Options> devices) {
        NeighTable tbl = NeighTable.of(kernel);
        if (!host.has("neigh")) {
            return;
        }
        for (Options e : host.getObjectList("neigh")) {
            for (String k : e.keys()) {
                if (!KEYS.contains(k)) {
                    throw e.error(k, "unknown key (accepted: dev, dst, lladdr, nud)");
                }
            }
            int dst = parseIpv4(e, "dst");
            byte[] lladdr;
            try {
                lladdr = IfEther.parseMac(e.getString("lladdr"));
            } catch (IllegalArgumentException ex) {
                throw e.error("lladdr", ex.getMessage());
            }
            String devName = e.getString("dev");
            NetDevice dev = kernel.devGetByName(devName);
            if (dev == null) {
                throw e.error("dev", "no device '" + devName + "' on host " + kernel.hostname() + " (devices: "
                        + String.join(", ", kernel.devices().stream().map(NetDevice::name).toList()) + ")");
            }
            e.getChoice("nud", "permanent", "permanent");
            if (tbl == null) {
                throw e.error("dst", "no ARP table on this host");
            }
            tbl.neighAddPermanent(dev, dst, lladdr);
        }
    }

    /** {@code neigh_table_clear} at the end of a run: timers stop, queued skbs are purged. */
    @Override
    public long exit(Kernel kernel) {
        NeighTable tbl = NeighTable.of(kernel);
        return tbl != null ? tbl.neighTableClear() : 0;
    }

    /** A dotted-quad IPv4 address, host order. */
    static int parseIpv4(Options o, String key) {
        String s = o.getString(key);
        String[] p = s.split("\\.", -1);
        OptionException bad = o.error(key, "'" + s + "' is not an IPv4 address (expected: a dotted quad like 10.0.0.2)");
        if (p.length != 4) {
            throw bad;
        }
        int a = 0;
        for (String part : p) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw bad;
            }
            int v = Integer.parseInt(part);
            if (v > 255) {
                throw bad;
            }
            a = (a << 8) | v;
        }
        return a;
    }
}
