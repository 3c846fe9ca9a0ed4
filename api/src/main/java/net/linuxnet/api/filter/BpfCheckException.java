package net.linuxnet.api.filter;

import net.linuxnet.api.kernel.Errno;

/**
 * A classic BPF program the kernel refuses to load: what {@code sk_attach_filter} turns into
 * {@code -EINVAL} for {@code setsockopt(SO_ATTACH_FILTER)}. The socket layer catches it and
 * returns {@code -}{@link #errno()}; the message says which instruction is at fault and why,
 * which the kernel does not tell.
 */
public final class BpfCheckException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final int pc;

    /**
     * @param errno positive errno value, {@link Errno#EINVAL} for every refusal of
     *     {@code bpf_check_classic}
     * @param pc    index of the offending instruction, or -1 when the program as a whole is at fault
     */
    public BpfCheckException(int errno, int pc, String message) {
        super(message);
        this.errno = errno;
        this.pc = pc;
    }

    /** The positive errno value ({@link Errno#EINVAL}); the kernel returns it negated. */
    public int errno() {
        return errno;
    }

    /** Index of the offending instruction, or -1 when the program as a whole is at fault. */
    public int pc() {
        return pc;
    }
}
