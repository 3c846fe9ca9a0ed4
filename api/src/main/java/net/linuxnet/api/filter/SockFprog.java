package net.linuxnet.api.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A classic BPF program as userspace hands it to {@code setsockopt(SO_ATTACH_FILTER)},
 * {@code struct sock_fprog} of {@code include/uapi/linux/filter.h}:
 *
 * <pre>
 *   struct sock_fprog {
 *       unsigned short       len;     // number of instructions
 *       struct sock_filter  *filter;
 *   };
 * </pre>
 *
 * <p>Nothing is checked here but what the C struct cannot hold (more than 65535
 * instructions): an empty or overlong program, a bad opcode or a jump out of range is for
 * {@link BpfChecker#bpfCheckClassic} to refuse, as the kernel does at attach time.
 * {@link BpfProg#create} checks a program and makes it runnable.
 *
 * <p>{@link #parseTcpdumpDd} reads the C array that {@code tcpdump -dd} prints:
 *
 * <pre>
 *   # tcpdump -y EN10MB -dd 'ip src 10.0.0.1'
 *   { 0x28, 0, 0, 0x0000000c },
 *   { 0x15, 0, 3, 0x00000800 },
 *   ...
 * </pre>
 *
 * @param filter the instructions, in order (copied; immutable)
 */
public record SockFprog(List<SockFilter> filter) {

    /** The most instructions {@code unsigned short len} can count. */
    public static final int MAX_LEN = 0xffff;

    private static final Pattern INSN = Pattern.compile(
            "\\{\\s*([^,\\s]+)\\s*,\\s*([^,\\s]+)\\s*,\\s*([^,\\s]+)\\s*,\\s*([^,\\s}]+)\\s*}\\s*,?");

    /**
     * @throws IllegalArgumentException if there are more than {@link #MAX_LEN} instructions
     * @throws NullPointerException     if {@code filter} or one of its instructions is null
     */
    public SockFprog {
        filter = List.copyOf(filter);
        if (filter.size() > MAX_LEN) {
            throw new IllegalArgumentException(
                    "len: " + filter.size() + " (expected: <= " + MAX_LEN + ", an unsigned short)");
        }
    }

    /** A program of the given instructions. */
    public static SockFprog of(SockFilter... insns) {
        return new SockFprog(List.of(insns));
    }

    /** {@code sock_fprog.len}: the number of instructions. */
    public int len() {
        return filter.size();
    }

    /** Instruction {@code pc}. */
    public SockFilter insn(int pc) {
        return filter.get(pc);
    }

    /**
     * Parses the output of {@code tcpdump -dd}: one {@code { code, jt, jf, k },} per line.
     * Numbers are C literals ({@code 0x28}, {@code 12}, {@code 014} in octal). Blank lines and
     * lines starting with {@code #} or {@code //} are skipped, so a file may open with a
     * comment saying how it was made.
     *
     * @throws IllegalArgumentException naming the line when a line is neither an instruction
     *     nor a comment, or a field is out of range
     */
    public static SockFprog parseTcpdumpDd(String text) {
        List<SockFilter> insns = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
                continue;
            }
            Matcher m = INSN.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": '" + line
                        + "' is not a classic BPF instruction (expected: { code, jt, jf, k }, as tcpdump -dd prints)");
            }
            try {
                int code = (int) number(m.group(1), 0, 0xffff, "code");
                int jt = (int) number(m.group(2), 0, 0xff, "jt");
                int jf = (int) number(m.group(3), 0, 0xff, "jf");
                int k = (int) number(m.group(4), Integer.MIN_VALUE, 0xffffffffL, "k");
                insns.add(new SockFilter(code, jt, jf, k));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": '" + line + "': " + e.getMessage(), e);
            }
        }
        return new SockFprog(insns);
    }

    private static long number(String text, long min, long max, String field) {
        long v;
        try {
            v = Long.decode(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a C integer literal");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " " + text + " is out of range (expected: "
                    + (min < 0 ? min : "0") + "..0x" + Long.toHexString(max) + ")");
        }
        return v;
    }

    /** The program as {@code tcpdump -dd} prints it: one instruction a line, each with a trailing comma. */
    public String toTcpdumpDd() {
        StringBuilder sb = new StringBuilder(filter.size() * 28);
        for (SockFilter insn : filter) {
            sb.append(insn.toTcpdumpDd()).append(",\n");
        }
        return sb.toString();
    }
}
