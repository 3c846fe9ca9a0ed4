package net.linuxnet.core.config;

/** Names of the errno values the engine reports ({@code include/uapi/asm-generic/errno*.h}). */
public final class Errno {
    private Errno() {
    }

    public static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 12 -> "ENOMEM";
            case 16 -> "EBUSY";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 95 -> "EOPNOTSUPP";
            case 100 -> "ENETDOWN";
            case 107 -> "ENOTCONN";
            default -> "errno " + errno;
        };
    }
}
