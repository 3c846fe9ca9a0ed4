package net.linuxnet.api.filter;

/**
 * One classic BPF instruction, {@code struct sock_filter} of {@code include/uapi/linux/filter.h}:
 *
 * <pre>
 *   struct sock_filter {
 *       __u16 code;   // opcode: class | size/op | mode/src (see {@link Filter})
 *       __u8  jt;     // jump if true: instructions to skip
 *       __u8  jf;     // jump if false: instructions to skip
 *       __u32 k;      // constant, offset or memory index
 *   };
 * </pre>
 *
 * <p>{@code k} is unsigned in the kernel; here it is the same 32 bits in an {@code int}, so
 * {@code 0xffffffff} is {@code -1} ({@link Integer#toUnsignedLong(int)} gives the number).
 * An instance only holds the fields; whether the opcode means anything is for
 * {@link BpfChecker#bpfCheckClassic} to say.
 *
 * @param code the opcode, 0..0xffff
 * @param jt   instructions to skip when a conditional jump is taken, 0..255
 * @param jf   instructions to skip when it is not taken, 0..255
 * @param k    the generic field
 */
public record SockFilter(int code, int jt, int jf, int k) {

    /**
     * @throws IllegalArgumentException if {@code code} does not fit in 16 bits or {@code jt},
     *     {@code jf} in 8 bits
     */
    public SockFilter {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("code: " + code + " (expected: 0..0xffff)");
        }
        if (jt < 0 || jt > 0xff) {
            throw new IllegalArgumentException("jt: " + jt + " (expected: 0..255)");
        }
        if (jf < 0 || jf > 0xff) {
            throw new IllegalArgumentException("jf: " + jf + " (expected: 0..255)");
        }
    }

    /** {@code BPF_STMT(code, k)}: an instruction that does not branch. */
    public static SockFilter stmt(int code, int k) {
        return new SockFilter(code, 0, 0, k);
    }

    /** {@code BPF_JUMP(code, k, jt, jf)}: a conditional jump. */
    public static SockFilter jump(int code, int k, int jt, int jf) {
        return new SockFilter(code, jt, jf, k);
    }

    /** The line {@code tcpdump -dd} prints for this instruction, without the trailing comma. */
    public String toTcpdumpDd() {
        return String.format("{ 0x%x, %d, %d, 0x%08x }", code, jt, jf, k);
    }

    @Override
    public String toString() {
        return toTcpdumpDd();
    }
}
