package net.linuxnet.apps;

import java.util.stream.Collectors;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.sock.SockaddrIn;

/** Options the applications share: addresses, address-and-port pairs, devices, the CPU to run on. */
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
        checkCpu(o, kernel, cpu);
        return cpu;
    }

    /** Checks {@code cpu}, read by an application's own parser, against the host's CPUs. */
    public static void checkCpu(Options o, Kernel kernel, int cpu) {
        if (cpu >= kernel.numCpus()) {
            throw o.error("cpu", "cpu " + cpu + " does not exist on host " + kernel.hostname()
                    + " (expected: 0.." + (kernel.numCpus() - 1) + ")");
        }
    }

    /**
     * The device named {@code name} (option {@code dev}), which must exist and, with
     * {@code ether}, be Ethernet ({@code ARPHRD_ETHER}); {@code alsoAccepted} ends the list of
     * choices in the error.
     */
    public static NetDevice device(Options o, Kernel kernel, String name, boolean ether, String alsoAccepted) {
        NetDevice dev = kernel.devGetByName(name);
        if (dev == null) {
            throw o.error("dev", "no such netdevice: \"" + name + "\" on host " + kernel.hostname()
                    + " (expected: one of " + kernel.devices().stream().map(NetDevice::name)
                    .collect(Collectors.joining(", ", "[", "]")) + alsoAccepted + ")");
        }
        if (ether && dev.type() != IfEther.ARPHRD_ETHER) {
            throw o.error("dev", "not an ethernet device: \"" + name + "\" (expected: a device of type ARPHRD_ETHER)");
        }
        return dev;
    }
}
