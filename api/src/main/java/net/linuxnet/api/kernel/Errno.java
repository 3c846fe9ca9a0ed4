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
    /** {@code EBADF}. */
    public static final int EBADF = 9;
    /** {@code EAGAIN}. */
    public static final int EAGAIN = 11;
    /** {@code EACCES}. */
    public static final int EACCES = 13;
    /** {@code EPIPE}. */
    public static final int EPIPE = 32;
    /** {@code ENOSYS}. */
    public static final int ENOSYS = 38;
    /** {@code ENOTSOCK}. */
    public static final int ENOTSOCK = 88;
    /** {@code EDESTADDRREQ}. */
    public static final int EDESTADDRREQ = 89;
    /** {@code EMSGSIZE}. */
    public static final int EMSGSIZE = 90;
    /** {@code ENOPROTOOPT}. */
    public static final int ENOPROTOOPT = 92;
    /** {@code EPROTONOSUPPORT}. */
    public static final int EPROTONOSUPPORT = 93;
    /** {@code ESOCKTNOSUPPORT}. */
    public static final int ESOCKTNOSUPPORT = 94;
    /** {@code EAFNOSUPPORT}. */
    public static final int EAFNOSUPPORT = 97;
    /** {@code EADDRINUSE}. */
    public static final int EADDRINUSE = 98;
    /** {@code EADDRNOTAVAIL}. */
    public static final int EADDRNOTAVAIL = 99;
    /** {@code ENETUNREACH}. */
    public static final int ENETUNREACH = 101;
    /** {@code ENOBUFS}. */
    public static final int ENOBUFS = 105;
    /** {@code EISCONN}. */
    public static final int EISCONN = 106;
    /** {@code ECONNREFUSED}. */
    public static final int ECONNREFUSED = 111;
    /** {@code EHOSTUNREACH}. */
    public static final int EHOSTUNREACH = 113;
    /** {@code ECONNABORTED}. */
    public static final int ECONNABORTED = 103;
    /** {@code ECONNRESET}. */
    public static final int ECONNRESET = 104;
    /** {@code ETIMEDOUT}. */
    public static final int ETIMEDOUT = 110;
    /** {@code EALREADY}. */
    public static final int EALREADY = 114;
    /** {@code EINPROGRESS}. */
    public static final int EINPROGRESS = 115;
    /**
     * {@code ERESTARTSYS}: the calling task was put to sleep on the socket's wait queue; it
     * is woken when the call can make progress, and its body then retries the call.
     */
    public static final int ERESTARTSYS = 512;

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
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case EACCES -> "EACCES";
            case EPIPE -> "EPIPE";
            case ENOSYS -> "ENOSYS";
            case ENOTSOCK -> "ENOTSOCK";
            case EDESTADDRREQ -> "EDESTADDRREQ";
            case EMSGSIZE -> "EMSGSIZE";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case ESOCKTNOSUPPORT -> "ESOCKTNOSUPPORT";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETUNREACH -> "ENETUNREACH";
            case ENOBUFS -> "ENOBUFS";
            case EISCONN -> "EISCONN";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case ECONNABORTED -> "ECONNABORTED";
            case ECONNRESET -> "ECONNRESET";
            case ETIMEDOUT -> "ETIMEDOUT";
            case EALREADY -> "EALREADY";
            case EINPROGRESS -> "EINPROGRESS";
            case ERESTARTSYS -> "ERESTARTSYS";
            default -> "errno " + errno;
        };
    }
}
