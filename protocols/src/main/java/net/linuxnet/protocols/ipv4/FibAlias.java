package net.linuxnet.protocols.ipv4;

import net.linuxnet.api.net.NetDevice;

/**
 * One route of a FIB table, as {@code struct fib_alias} with its {@code fib_info} and one
 * {@code fib_nh}: what {@code ip route show table all} prints in one line.
 */
public final class FibAlias {
    /** {@code RT_TABLE_MAIN}. */
    public static final int RT_TABLE_MAIN = 254;
    /** {@code RT_TABLE_LOCAL}. */
    public static final int RT_TABLE_LOCAL = 255;

    /** {@code RT_SCOPE_UNIVERSE}. */
    public static final int RT_SCOPE_UNIVERSE = 0;
    /** {@code RT_SCOPE_LINK}. */
    public static final int RT_SCOPE_LINK = 253;
    /** {@code RT_SCOPE_HOST}. */
    public static final int RT_SCOPE_HOST = 254;

    public final int table;
    public final int dst;
    public final int dstLen;
    /** {@code fa_type}: an {@code RTN_*} of {@code Rtable}. */
    public final int type;
    public final int gateway;
    public final NetDevice dev;
    /** {@code fib_protocol}: {@code kernel} or {@code boot}. */
    public final String protocol;
    public final int scope;
    public final int prefsrc;
    /** {@code RTAX_MTU}, or 0 for the device's. */
    public final int mtu;

    public FibAlias(int table, int dst, int dstLen, int type, int gateway, NetDevice dev, String protocol, int scope,
            int prefsrc, int mtu) {
        this.table = table;
        this.dst = dst;
        this.dstLen = dstLen;
        this.type = type;
        this.gateway = gateway;
        this.dev = dev;
        this.protocol = protocol;
        this.scope = scope;
        this.prefsrc = prefsrc;
        this.mtu = mtu;
    }

    /** Whether {@code addr} falls in this route's prefix. */
    public boolean matches(int addr) {
        return ((addr ^ dst) & InetAddr.mask(dstLen)) == 0;
    }

    static String typeName(int type) {
        return switch (type) {
            case 1 -> "unicast";
            case 2 -> "local";
            case 3 -> "broadcast";
            case 5 -> "multicast";
            case 7 -> "unreachable";
            default -> "type " + type;
        };
    }

    static String scopeName(int scope) {
        return switch (scope) {
            case RT_SCOPE_UNIVERSE -> "global";
            case RT_SCOPE_LINK -> "link";
            case RT_SCOPE_HOST -> "host";
            default -> String.valueOf(scope);
        };
    }

    String dstText() {
        if (dstLen == 0) {
            return "default";
        }
        return dstLen == 32 ? InetAddr.toString(dst) : InetAddr.toString(dst) + "/" + dstLen;
    }

    /** The line of {@code ip route show table all}. */
    String text() {
        StringBuilder b = new StringBuilder();
        if (type != 1) {
            b.append(typeName(type)).append(' ');
        }
        b.append(dstText());
        if (gateway != 0) {
            b.append(" via ").append(InetAddr.toString(gateway));
        }
        b.append(" dev ").append(dev.name());
        if (table != RT_TABLE_MAIN) {
            b.append(" table ").append(table == RT_TABLE_LOCAL ? "local" : String.valueOf(table));
        }
        if (!protocol.equals("boot")) {
            b.append(" proto ").append(protocol);
        }
        if (scope != RT_SCOPE_UNIVERSE) {
            b.append(" scope ").append(scopeName(scope));
        }
        if (prefsrc != 0) {
            b.append(" src ").append(InetAddr.toString(prefsrc));
        }
        if (mtu != 0) {
            b.append(" mtu ").append(mtu);
        }
        return b.toString();
    }
}
