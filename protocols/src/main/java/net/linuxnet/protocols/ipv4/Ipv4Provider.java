package net.linuxnet.protocols.ipv4;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetProtocol;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.plugin.NetProtocolProvider;
import net.linuxnet.api.plugin.PacketTypeProvider;
import net.linuxnet.api.plugin.PernetProvider;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Neigh4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * Registers IPv4 in every host, as {@code inet_init} does: the {@code ETH_P_IP} handler
 * ({@code ip_packet_type}), ICMP as protocol 1, and the per-host state ({@link Ipv4}, stored
 * as {@link Inet4}). At boot it applies the configuration as {@code ip addr add} and
 * {@code ip route add} would: device key {@code addresses = ["10.0.0.1/24"]}, host key
 * {@code routes = [ { dst = default, via = "10.0.0.254", dev = eth0, src = ..., mtu = ... } ]}.
 */
public final class Ipv4Provider implements PacketTypeProvider, NetProtocolProvider, PernetProvider {

    private static final Set<String> ROUTE_KEYS = Set.of("dst", "via", "dev", "src", "mtu");

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    /** The host's IPv4 state, made on first use ({@code ipv4_net_init}). */
    static Ipv4 ipv4(Kernel kernel) {
        Inet4 i = Inet4.of(kernel);
        if (i instanceof Ipv4 ip) {
            return ip;
        }
        Ipv4 ip = new Ipv4(kernel);
        kernel.setNetGeneric(Inet4.class, ip);
        return ip;
    }

    @Override
    public List<PacketType> packetTypes(Kernel kernel) {
        return List.of(ipv4(kernel));
    }

    @Override
    public List<NetProtocol> protocols(Kernel kernel) {
        return List.of(new Icmp(ipv4(kernel)));
    }

    @Override
    public Set<String> hostKeys() {
        return Set.of("routes");
    }

    @Override
    public Set<String> deviceKeys() {
        return Set.of("addresses");
    }

    @Override
    public void init(Kernel kernel, Options host, Map<NetDevice, Options> devices) {
        Ipv4 ip = ipv4(kernel);
        ip.devicesUp();
        kernel.registerReportSection(ip.fib());
        for (Map.Entry<NetDevice, Options> e : devices.entrySet()) {
            NetDevice dev = e.getKey();
            Options o = e.getValue();
            for (String a : o.getStringList("addresses")) {
                int slash = a.indexOf('/');
                int addr;
                int plen = 32;
                try {
                    addr = InetAddr.parse(slash < 0 ? a : a.substring(0, slash));
                    if (slash >= 0) {
                        plen = Integer.parseInt(a.substring(slash + 1));
                        if (plen < 0 || plen > 32) {
                            throw new NumberFormatException();
                        }
                    }
                } catch (IllegalArgumentException ex) {
                    throw o.error("addresses", "'" + a + "' is not an IPv4 address with a prefix length"
                            + " (accepted: \"a.b.c.d/len\" with len 0..32, or \"a.b.c.d\" for /32)");
                }
                if (InetAddr.isMulticast(addr) || InetAddr.isLbcast(addr) || addr == 0) {
                    throw o.error("addresses", "'" + a + "' is not a unicast address (accepted: \"a.b.c.d/len\")");
                }
                if (!ip.inetInsertIfa(dev, addr, plen)) {
                    throw o.error("addresses", "'" + a + "': RTNETLINK answers: File exists");
                }
            }
        }
        for (Options r : host.getObjectList("routes")) {
            addRoute(ip, kernel, r);
        }
        Neigh4 neigh = Neigh4.of(kernel);
        if (neigh != null) {
            for (NetDevice dev : devices.keySet()) {
                if ((dev.flags() & NetDevice.IFF_LOOPBACK) == 0) {
                    for (int a : ip.addresses(dev)) {
                        neigh.inetaddrAdded(dev, a);
                    }
                }
            }
        }
    }

    /** {@code ipv4_frags_exit_net}: the reassembly queues are freed with {@code QUEUE_PURGE}. */
    @Override
    public long exit(Kernel kernel) {
        Inet4 i = Inet4.of(kernel);
        return i instanceof Ipv4 ip ? ip.frag.exit() : 0;
    }

    /** {@code ip route add}: {@code inet_rtm_newroute} with {@code fib_create_info}'s checks. */
    private static void addRoute(Ipv4 ip, Kernel kernel, Options r) {
        for (String k : new TreeSet<>(r.keys())) {
            if (!ROUTE_KEYS.contains(k)) {
                throw r.error(k, "unknown key '" + k + "' (accepted: " + String.join(", ", new TreeSet<>(ROUTE_KEYS)) + ")");
            }
        }
        String dstText = r.getString("dst");
        int dst = 0;
        int plen = 0;
        if (!dstText.equals("default")) {
            int slash = dstText.indexOf('/');
            try {
                dst = InetAddr.parse(slash < 0 ? dstText : dstText.substring(0, slash));
                plen = slash < 0 ? 32 : Integer.parseInt(dstText.substring(slash + 1));
                if (plen < 0 || plen > 32) {
                    throw new NumberFormatException();
                }
            } catch (IllegalArgumentException ex) {
                throw r.error("dst", "'" + dstText + "' is not a destination (accepted: default, \"a.b.c.d/len\", \"a.b.c.d\")");
            }
            if ((dst & ~InetAddr.mask(plen)) != 0) {
                throw r.error("dst", "'" + dstText + "': Error: Invalid prefix for given prefix length.");
            }
        }
        NetDevice dev = null;
        if (r.has("dev")) {
            String name = r.getString("dev");
            dev = kernel.devGetByName(name);
            if (dev == null) {
                throw r.error("dev", "Cannot find device \"" + name + "\" (accepted: "
                        + String.join(", ", kernel.devices().stream().map(NetDevice::name).toList()) + ")");
            }
        }
        int gw = 0;
        if (r.has("via")) {
            String via = r.getString("via");
            try {
                gw = InetAddr.parse(via);
            } catch (IllegalArgumentException ex) {
                throw r.error("via", "'" + via + "' is not a gateway address (accepted: \"a.b.c.d\")");
            }
            FibAlias link = ip.fib().onLink(gw, dev);
            if (link == null || ip.inetAddrType(gw) != Rtable.RTN_UNICAST) {
                throw r.error("via", "Error: Nexthop has invalid gateway. (" + via
                        + " is not on a connected network" + (dev == null ? "" : " of " + dev.name()) + ")");
            }
            dev = link.dev;
        }
        if (dev == null) {
            throw r.error("dst", "a route needs a gateway or a device (accepted: via = \"a.b.c.d\" and/or dev = <device>)");
        }
        int src = 0;
        if (r.has("src")) {
            String s = r.getString("src");
            try {
                src = InetAddr.parse(s);
            } catch (IllegalArgumentException ex) {
                throw r.error("src", "'" + s + "' is not an address (accepted: a local address \"a.b.c.d\")");
            }
            if (ip.inetAddrType(src) != Rtable.RTN_LOCAL) {
                throw r.error("src", "Error: Invalid prefsrc address. (" + s + " is not an address of this host)");
            }
        }
        int mtu = r.has("mtu") ? r.getInt("mtu", 0, 68, 65535) : 0;
        FibAlias fa = new FibAlias(FibAlias.RT_TABLE_MAIN, dst, plen, Rtable.RTN_UNICAST, gw, dev, "boot",
                gw == 0 ? FibAlias.RT_SCOPE_LINK : FibAlias.RT_SCOPE_UNIVERSE, src, mtu);
        if (!ip.fib().insert(fa)) {
            throw r.error("dst", "'" + dstText + "': RTNETLINK answers: File exists");
        }
    }

    /** For tests: the state of a host. */
    public static Ipv4 of(Kernel kernel) {
        return (Ipv4) Inet4.of(kernel);
    }

}
