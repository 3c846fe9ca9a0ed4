package net.linuxnet.packetdrill;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.sock.SockConst;

/**
 * The symbol table of {@code symbols_linux.c}: the constants a script may name. The socket
 * constants and errno values come from the API ({@link SockConst}, {@link Errno}); the few the
 * API does not define (fcntl commands and file flags, {@code TCPI_OPT_*}) are listed here with
 * Linux's x86_64 values.
 */
final class Symbols {
    private static final Map<String, Long> TABLE = new HashMap<>();

    static {
        for (Class<?> c : new Class<?>[] {SockConst.class, Errno.class}) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                    try {
                        TABLE.put(f.getName(), (long) f.getInt(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        // Linux x86_64 values the API does not name (setsockopt of an option the model lacks then
        // fails with the model's errno, which names it)
        TABLE.putIfAbsent("MSG_OOB", 1L);
        TABLE.putIfAbsent("MSG_CTRUNC", 8L);
        TABLE.putIfAbsent("MSG_EOR", 0x80L);
        TABLE.putIfAbsent("MSG_MORE", 0x8000L);
        TABLE.putIfAbsent("MSG_FASTOPEN", 0x20000000L);
        TABLE.putIfAbsent("MSG_ZEROCOPY", 0x4000000L);
        TABLE.putIfAbsent("SO_RCVLOWAT", 18L);
        TABLE.putIfAbsent("SO_SNDLOWAT", 19L);
        TABLE.putIfAbsent("TCP_DEFER_ACCEPT", 9L);
        TABLE.putIfAbsent("TCP_CONGESTION", 13L);
        TABLE.putIfAbsent("TCP_FASTOPEN", 23L);
        TABLE.putIfAbsent("TCP_NOTSENT_LOWAT", 25L);
        TABLE.putIfAbsent("SOL_IP", 0L);
        TABLE.put("F_GETFL", 3L);
        TABLE.put("F_SETFL", 4L);
        TABLE.put("O_RDONLY", 0L);
        TABLE.put("O_WRONLY", 1L);
        TABLE.put("O_RDWR", 2L);
        TABLE.put("SOL_TCP", 6L);
        TABLE.put("TCPI_OPT_TIMESTAMPS", 1L);
        TABLE.put("TCPI_OPT_SACK", 2L);
        TABLE.put("TCPI_OPT_WSCALE", 4L);
        TABLE.put("TCPI_OPT_ECN", 8L);
        TABLE.put("TCPI_OPT_ECN_SEEN", 16L);
        TABLE.put("TCPI_OPT_SYN_DATA", 32L);
        TABLE.put("TCPI_OPT_USEC_TS", 64L);
        TABLE.put("TCPI_OPT_TFO_CHILD", 128L);
        TABLE.put("TCP_CA_Open", 0L);
        TABLE.put("TCP_CA_Disorder", 1L);
        TABLE.put("TCP_CA_CWR", 2L);
        TABLE.put("TCP_CA_Recovery", 3L);
        TABLE.put("TCP_CA_Loss", 4L);
    }

    private Symbols() {
    }

    /** The value of {@code name}, or null if the table has no such symbol. */
    static Long get(String name) {
        return TABLE.get(name);
    }

    /** The errno name of a positive errno value, as the API spells it. */
    static String errnoName(int errno) {
        return Errno.name(errno);
    }
}
