package net.linuxnet.protocols.inet;

import net.linuxnet.api.kernel.Kernel;

/**
 * The sysctls that hold several numbers in one string ({@code proc_dointvec} vectors):
 * {@code net.ipv4.ip_local_port_range = "32768 60999"}, {@code net.ipv4.tcp_rmem = "4096 131072
 * 6291456"}. Read without splitting or allocating, since connections read them.
 */
public final class SysctlVectors {
    private SysctlVectors() {
    }

    /** Field {@code i} (from 0) of vector {@code v}. */
    public static long field(String v, int i) {
        int n = v.length();
        int p = 0;
        for (int f = 0; ; f++) {
            while (p < n && Character.isWhitespace(v.charAt(p))) {
                p++;
            }
            long x = 0;
            boolean any = false;
            while (p < n && !Character.isWhitespace(v.charAt(p))) {
                x = x * 10 + (v.charAt(p++) - '0');
                any = true;
            }
            if (!any) {
                throw new IllegalStateException("sysctl vector '" + v + "' has no field " + i);
            }
            if (f == i) {
                return x;
            }
        }
    }

    /** Field {@code i} of sysctl {@code name} of {@code kernel}. */
    public static long field(Kernel kernel, String name, int i) {
        return field(kernel.sysctl().getString(name), i);
    }

    /**
     * Checks that sysctl {@code name} holds {@code n} numbers; a protocol calls it when a host
     * boots, so that a malformed value is a configuration error at the line that set it.
     *
     * @throws IllegalArgumentException {@code "name = value: expected ..."}
     */
    public static void check(Kernel kernel, String name, int n, String meaning) {
        String v = kernel.sysctl().getString(name);
        if (!v.trim().matches("\\d+(\\s+\\d+){" + (n - 1) + "}")) {
            throw new IllegalArgumentException(name + " = " + v + ": expected " + n + " numbers separated by spaces (" + meaning + ")");
        }
    }

    /** {@code inet_get_local_port_range}: {@code [low, high]} of {@code net.ipv4.ip_local_port_range}. */
    public static int[] localPortRange(Kernel kernel) {
        String v = kernel.sysctl().getString("net.ipv4.ip_local_port_range");
        return new int[] {(int) field(v, 0), (int) field(v, 1)};
    }
}
