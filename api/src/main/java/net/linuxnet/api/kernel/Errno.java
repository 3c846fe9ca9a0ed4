package net.linuxnet.api.kernel;

/**
 * The errno values the api reports, with their Linux numbers
 * ({@code include/uapi/asm-generic/errno-base.h}, {@code errno.h}). The kernel returns them
 * negated ({@code -EINVAL}); the constants here are the positive values, as userspace's
 * {@code errno} holds them.
 *
 * <p>Only values some api type uses are listed; add one, with its Linux number, when a type
 * needs it.
 */
public final class Errno {
    /** Operation not permitted; {@code sk_filter_trim_cap} returns it for a filtered packet. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Bad address; the classic BPF load helpers return it for an out-of-bounds load. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument; {@code bpf_check_classic} returns it for a refused filter. */
    public static final int EINVAL = 22;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Network is down. */
    public static final int ENETDOWN = 100;
    /** Transport endpoint is not connected. */
    public static final int ENOTCONN = 107;

    private Errno() {
    }

    /**
     * The symbolic name of a positive errno value, such as {@code "EINVAL"} for 22, or
     * {@code "errno N"} for a value not listed here.
     */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ENOMEM -> "ENOMEM";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ENETDOWN -> "ENETDOWN";
            case ENOTCONN -> "ENOTCONN";
            default -> "errno " + errno;
        };
    }
}
