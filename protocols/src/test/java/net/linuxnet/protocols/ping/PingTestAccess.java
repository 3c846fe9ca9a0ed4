package net.linuxnet.protocols.ping;

/** Opens {@link Ping}'s checksum to the test doubles of other packages. */
public final class PingTestAccess {
    private PingTestAccess() {
    }

    public static int csum(byte[] b, int off, int len) {
        return Ping.csum(b, off, len);
    }
}
