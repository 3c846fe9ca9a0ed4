package net.linuxnet.api.sock;

/**
 * {@code struct sockaddr_in}: an IPv4 address and port, both in host order. Mutable, so that a
 * program keeps one and lets {@code recvfrom} fill it per datagram without allocating.
 */
public final class SockaddrIn {
    /** {@code sin_family}. */
    public int family = SockConst.AF_INET;
    /** {@code sin_addr}, host order ({@code 10.0.0.1} is {@code 0x0a000001}). */
    public int addr;
    /** {@code sin_port}, host order. */
    public int port;

    public SockaddrIn() {
    }

    public SockaddrIn(int addr, int port) {
        this.addr = addr;
        this.port = port;
    }

    public SockaddrIn set(int addr, int port) {
        this.family = SockConst.AF_INET;
        this.addr = addr;
        this.port = port;
        return this;
    }

    /** Dotted quad of an address in host order. */
    public static String ntoa(int addr) {
        return ((addr >>> 24) & 0xff) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    /**
     * Parses a dotted quad ({@code inet_aton}).
     *
     * @throws IllegalArgumentException if {@code s} is not one
     */
    public static int aton(String s) {
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: \"" + s + "\"");
        }
        int a = 0;
        for (String x : p) {
            int v;
            try {
                v = Integer.parseInt(x);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + s + "\"");
            }
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + s + "\"");
            }
            a = (a << 8) | v;
        }
        return a;
    }

    @Override
    public String toString() {
        return (addr == 0 ? "0.0.0.0" : ntoa(addr)) + ":" + (port == 0 ? "*" : Integer.toString(port));
    }
}
