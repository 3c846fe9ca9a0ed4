package net.linuxnet.apps;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.sock.SockaddrIn;

/** Options the socket applications share: addresses, address-and-port pairs, the CPU to run on. */
public final class AppOptions {
    private AppOptions() {
    }

    /**
     * Parses {@code "ip:port"} of option {@code key} (required).
     *
     * @param minPort the smallest port accepted (0 where the kernel picks one)
     */
    public static SockaddrIn hostPort(Options o, String key, int minPort) {
        String s = o.getString(key);
        String expected = " (expected: \"ip:port\" like \"10.0.0.2:80\")";
        int i = s.lastIndexOf(':');
        if (i < 0) {
            throw o.error(key, "'" + s + "' has no port" + expected);
        }
        try {
            int addr = SockaddrIn.aton(s.substring(0, i));
            int port = Integer.parseInt(s.substring(i + 1));
            if (port < minPort || port > 0xffff) {
                throw new IllegalArgumentException();
            }
            return new SockaddrIn(addr, port);
        } catch (IllegalArgumentException e) {
            throw o.error(key, "'" + s + "' is not an address and port" + expected);
        }
    }

    /** Parses an IPv4 address option; {@code def} when absent (null: required). */
    public static int ipv4(Options o, String key, String def) {
        String s = def == null ? o.getString(key) : o.getString(key, def);
        try {
            return SockaddrIn.aton(s);
        } catch (IllegalArgumentException e) {
            throw o.error(key, "'" + s + "' is not an IPv4 address (expected: dotted quad like 10.0.0.2)");
        }
    }

    /** Option {@code cpu}: a CPU of the host, default 0. */
    public static int cpu(Options o, Kernel kernel) {
        int cpu = o.getInt("cpu", 0, 0, Integer.MAX_VALUE);
        if (cpu >= kernel.numCpus()) {
            throw o.error("cpu", "cpu " + cpu + " does not exist on host " + kernel.hostname()
                    + " (expected: 0.." + (kernel.numCpus() - 1) + ")");
        }
        return cpu;
    }
}
