package net.linuxnet.apps.tcp;

/**
 * The bytes {@code tcp-client} and {@code tcp-server} put on a connection, so that the receiver
 * can check every byte that arrives.
 *
 * <p>A stream is named by a seed: the client's port (both ends know it: the client from
 * {@code getsockname(2)}, the server from {@code accept(2)}'s peer address) shifted left by one,
 * plus the direction ({@link #TO_SERVER} for what the client writes, {@link #TO_CLIENT} for the
 * server's replies). The byte at offset {@code k} of a stream is byte {@code k mod 8} of a
 * 64-bit mix (SplitMix64's finaliser) of {@code k / 8} and the seed, so a byte that lands at the
 * wrong offset, on the wrong connection or in the wrong direction does not match. An echo
 * server sends the client's own stream back, so the client checks it against
 * {@link #TO_SERVER}.
 */
public final class TcpPayload {
    /** The direction of the bytes a client writes. */
    public static final int TO_SERVER = 0;
    /** The direction of a {@code reply} server's answers. */
    public static final int TO_CLIENT = 1;

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private TcpPayload() {
    }

    /** The seed of the stream of the connection whose client port is {@code clientPort}, in {@code dir}. */
    public static int seed(int clientPort, int dir) {
        return (clientPort << 1) | dir;
    }

    private static long word(int seed, long k8) {
        long x = k8 * 0x9E3779B97F4A7C15L + (seed + 1L) * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** The byte at {@code offset} of stream {@code seed}. */
    public static byte at(int seed, long offset) {
        return (byte) (word(seed, offset >>> 3) >>> ((offset & 7) << 3));
    }

    /** Writes {@code len} bytes of stream {@code seed} from {@code offset} into {@code buf[off..]}. */
    public static void fill(byte[] buf, int off, int len, int seed, long offset) {
        int i = 0;
        while (i < len) {
            long o = offset + i;
            if ((o & 7) == 0 && len - i >= 8) {
                // a whole word: its 8 bytes little end first, as the loop below writes them
                LONG_LE.set(buf, off + i, word(seed, o >>> 3));
                i += 8;
                continue;
            }
            long w = word(seed, o >>> 3);
            for (int b = (int) (o & 7); b < 8 && i < len; b++, i++) {
                buf[off + i] = (byte) (w >>> (b << 3));
            }
        }
    }

    /**
     * Counts the bytes of {@code buf[off..off+len)} that differ from stream {@code seed} at
     * {@code offset}.
     */
    public static int mismatches(byte[] buf, int off, int len, int seed, long offset) {
        int bad = 0;
        int i = 0;
        while (i < len) {
            long o0 = offset + i;
            if ((o0 & 7) == 0 && len - i >= 8 && (long) LONG_LE.get(buf, off + i) == word(seed, o0 >>> 3)) {
                i += 8;
                continue;
            }
            long o = offset + i;
            long w = word(seed, o >>> 3);
            for (int b = (int) (o & 7); b < 8 && i < len; b++, i++) {
                if (buf[off + i] != (byte) (w >>> (b << 3))) {
                    bad++;
                }
            }
        }
        return bad;
    }
}
