package net.linuxnet.api.filter;

import static net.linuxnet.api.filter.Filter.BPF_A;
import static net.linuxnet.api.filter.Filter.BPF_ABS;
import static net.linuxnet.api.filter.Filter.BPF_ADD;
import static net.linuxnet.api.filter.Filter.BPF_ALU;
import static net.linuxnet.api.filter.Filter.BPF_AND;
import static net.linuxnet.api.filter.Filter.BPF_B;
import static net.linuxnet.api.filter.Filter.BPF_DIV;
import static net.linuxnet.api.filter.Filter.BPF_H;
import static net.linuxnet.api.filter.Filter.BPF_IMM;
import static net.linuxnet.api.filter.Filter.BPF_IND;
import static net.linuxnet.api.filter.Filter.BPF_JA;
import static net.linuxnet.api.filter.Filter.BPF_JEQ;
import static net.linuxnet.api.filter.Filter.BPF_JGE;
import static net.linuxnet.api.filter.Filter.BPF_JGT;
import static net.linuxnet.api.filter.Filter.BPF_JMP;
import static net.linuxnet.api.filter.Filter.BPF_JSET;
import static net.linuxnet.api.filter.Filter.BPF_K;
import static net.linuxnet.api.filter.Filter.BPF_LD;
import static net.linuxnet.api.filter.Filter.BPF_LDX;
import static net.linuxnet.api.filter.Filter.BPF_LEN;
import static net.linuxnet.api.filter.Filter.BPF_LSH;
import static net.linuxnet.api.filter.Filter.BPF_MAXINSNS;
import static net.linuxnet.api.filter.Filter.BPF_MEM;
import static net.linuxnet.api.filter.Filter.BPF_MEMWORDS;
import static net.linuxnet.api.filter.Filter.BPF_MISC;
import static net.linuxnet.api.filter.Filter.BPF_MOD;
import static net.linuxnet.api.filter.Filter.BPF_MSH;
import static net.linuxnet.api.filter.Filter.BPF_MUL;
import static net.linuxnet.api.filter.Filter.BPF_NEG;
import static net.linuxnet.api.filter.Filter.BPF_OR;
import static net.linuxnet.api.filter.Filter.BPF_RET;
import static net.linuxnet.api.filter.Filter.BPF_RSH;
import static net.linuxnet.api.filter.Filter.BPF_ST;
import static net.linuxnet.api.filter.Filter.BPF_STX;
import static net.linuxnet.api.filter.Filter.BPF_SUB;
import static net.linuxnet.api.filter.Filter.BPF_TAX;
import static net.linuxnet.api.filter.Filter.BPF_TXA;
import static net.linuxnet.api.filter.Filter.BPF_W;
import static net.linuxnet.api.filter.Filter.BPF_X;
import static net.linuxnet.api.filter.Filter.BPF_XOR;
import static net.linuxnet.api.filter.Filter.SKF_AD_ALU_XOR_X;
import static net.linuxnet.api.filter.Filter.SKF_AD_CPU;
import static net.linuxnet.api.filter.Filter.SKF_AD_HATYPE;
import static net.linuxnet.api.filter.Filter.SKF_AD_IFINDEX;
import static net.linuxnet.api.filter.Filter.SKF_AD_MARK;
import static net.linuxnet.api.filter.Filter.SKF_AD_NLATTR;
import static net.linuxnet.api.filter.Filter.SKF_AD_NLATTR_NEST;
import static net.linuxnet.api.filter.Filter.SKF_AD_OFF;
import static net.linuxnet.api.filter.Filter.SKF_AD_PAY_OFFSET;
import static net.linuxnet.api.filter.Filter.SKF_AD_PKTTYPE;
import static net.linuxnet.api.filter.Filter.SKF_AD_PROTOCOL;
import static net.linuxnet.api.filter.Filter.SKF_AD_QUEUE;
import static net.linuxnet.api.filter.Filter.SKF_AD_RANDOM;
import static net.linuxnet.api.filter.Filter.SKF_AD_RXHASH;
import static net.linuxnet.api.filter.Filter.SKF_AD_VLAN_TAG;
import static net.linuxnet.api.filter.Filter.SKF_AD_VLAN_TAG_PRESENT;
import static net.linuxnet.api.filter.Filter.SKF_AD_VLAN_TPID;

import java.util.Arrays;
import net.linuxnet.api.kernel.Errno;

/**
 * The load-time checks of a classic BPF program, as {@code sk_attach_filter} runs them in
 * {@code net/core/filter.c} before a filter goes on a socket. A program that passes cannot
 * loop, cannot jump outside itself, cannot divide by a constant zero, and never reads a
 * scratch memory word that no path has written, so the interpreter ({@link BpfProg#run})
 * needs no checks of its own beyond packet bounds.
 *
 * <p>The checks, in the kernel's order:
 * <ol>
 *   <li>{@code bpf_check_basics_ok}: 1 to {@link Filter#BPF_MAXINSNS} instructions;</li>
 *   <li>{@code bpf_check_classic}, instruction by instruction from the first:
 *     <ul>
 *       <li>the opcode is one of the 49 that {@code chk_code_allowed} lists (the exact value,
 *           so unused bits must be zero);</li>
 *       <li>{@code BPF_ALU|BPF_DIV|BPF_K} and {@code BPF_ALU|BPF_MOD|BPF_K} with {@code k == 0};</li>
 *       <li>{@code BPF_ALU|BPF_LSH|BPF_K} and {@code BPF_ALU|BPF_RSH|BPF_K} with {@code k >= 32};</li>
 *       <li>{@code BPF_LD|BPF_MEM}, {@code BPF_LDX|BPF_MEM}, {@code BPF_ST}, {@code BPF_STX}
 *           with {@code k >= BPF_MEMWORDS};</li>
 *       <li>{@code BPF_JMP|BPF_JA} whose target {@code pc + 1 + k} is past the end (jumps only go
 *           forward, so a program always ends);</li>
 *       <li>a conditional jump whose {@code jt} or {@code jf} target is past the end;</li>
 *       <li>{@code BPF_LD|BPF_ABS} with {@code k >= SKF_AD_OFF} (unsigned) that is no ancillary
 *           load the kernel knows ({@code bpf_anc_helper});</li>
 *     </ul></li>
 *   <li>the last instruction is {@code BPF_RET|BPF_K} or {@code BPF_RET|BPF_A};</li>
 *   <li>{@code check_load_and_stores}: no {@code M[k]} is loaded on a path where it was not
 *       stored.</li>
 * </ol>
 * Every refusal is {@code -EINVAL}. Follows {@code bpf_check_basics_ok},
 * {@code chk_code_allowed}, {@code bpf_check_classic} and {@code check_load_and_stores} in
 * {@code net/core/filter.c} and {@code bpf_anc_helper} in {@code include/linux/filter.h}.
 *
 * <p>Unreachable instructions are allowed, as in the kernel.
 */
public final class BpfChecker {

    /** {@code chk_code_allowed}: the opcodes a socket filter may use, by value. */
    private static final boolean[] CODES = new boolean[0x100];

    static {
        int[] allowed = {
            // 32-bit ALU operations
            BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_ADD | BPF_X,
            BPF_ALU | BPF_SUB | BPF_K, BPF_ALU | BPF_SUB | BPF_X,
            BPF_ALU | BPF_MUL | BPF_K, BPF_ALU | BPF_MUL | BPF_X,
            BPF_ALU | BPF_DIV | BPF_K, BPF_ALU | BPF_DIV | BPF_X,
            BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_MOD | BPF_X,
            BPF_ALU | BPF_AND | BPF_K, BPF_ALU | BPF_AND | BPF_X,
            BPF_ALU | BPF_OR | BPF_K, BPF_ALU | BPF_OR | BPF_X,
            BPF_ALU | BPF_XOR | BPF_K, BPF_ALU | BPF_XOR | BPF_X,
            BPF_ALU | BPF_LSH | BPF_K, BPF_ALU | BPF_LSH | BPF_X,
            BPF_ALU | BPF_RSH | BPF_K, BPF_ALU | BPF_RSH | BPF_X,
            BPF_ALU | BPF_NEG,
            // loads
            BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
            BPF_LD | BPF_W | BPF_LEN,
            BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND,
            BPF_LD | BPF_IMM, BPF_LD | BPF_MEM,
            BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_B | BPF_MSH,
            BPF_LDX | BPF_IMM, BPF_LDX | BPF_MEM,
            // stores
            BPF_ST, BPF_STX,
            // misc
            BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
            // returns
            BPF_RET | BPF_K, BPF_RET | BPF_A,
            // jumps
            BPF_JMP | BPF_JA,
            BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X,
            BPF_JMP | BPF_JGE | BPF_K, BPF_JMP | BPF_JGE | BPF_X,
            BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGT | BPF_X,
            BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X,
        };
        for (int code : allowed) {
            CODES[code] = true;
        }
    }

    private BpfChecker() {
    }

    /**
     * Checks a program as {@code sk_attach_filter} does before it attaches it:
     * {@code bpf_check_basics_ok}, then {@code bpf_check_classic} (which ends with
     * {@code check_load_and_stores}). The first fault found, in the kernel's order, is the one
     * reported.
     *
     * @throws BpfCheckException with {@link Errno#EINVAL} when the kernel would refuse the program
     */
    public static void bpfCheckClassic(SockFprog fprog) throws BpfCheckException {
        int flen = fprog.len();
        if (flen == 0 || flen > BPF_MAXINSNS) {
            throw refuse(-1, "bpf_check_basics_ok: program of " + flen + " instructions (expected: 1.."
                    + BPF_MAXINSNS + ", BPF_MAXINSNS)");
        }
        for (int pc = 0; pc < flen; pc++) {
            SockFilter insn = fprog.insn(pc);
            int code = insn.code();
            int k = insn.k();
            if (!chkCodeAllowed(code)) {
                throw refuse(pc, insn, "unknown or unsupported opcode 0x" + Integer.toHexString(code));
            }
            switch (code) {
                case BPF_ALU | BPF_DIV | BPF_K, BPF_ALU | BPF_MOD | BPF_K -> {
                    if (k == 0) {
                        throw refuse(pc, insn, (code == (BPF_ALU | BPF_DIV | BPF_K) ? "division" : "modulo")
                                + " by the constant 0");
                    }
                }
                case BPF_ALU | BPF_LSH | BPF_K, BPF_ALU | BPF_RSH | BPF_K -> {
                    if (Integer.compareUnsigned(k, 32) >= 0) {
                        throw refuse(pc, insn, "shift by " + Integer.toUnsignedString(k) + " (expected: 0..31)");
                    }
                }
                case BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX -> {
                    if (Integer.compareUnsigned(k, BPF_MEMWORDS) >= 0) {
                        throw refuse(pc, insn, "scratch memory word M[" + Integer.toUnsignedString(k)
                                + "] (expected: 0.." + (BPF_MEMWORDS - 1) + ", BPF_MEMWORDS is " + BPF_MEMWORDS + ")");
                    }
                }
                case BPF_JMP | BPF_JA -> {
                    if (Integer.compareUnsigned(k, flen - pc - 1) >= 0) {
                        throw refuse(pc, insn, "jump by " + Integer.toUnsignedString(k) + " leaves the program (expected: 0.."
                                + (flen - pc - 2) + ")");
                    }
                }
                case BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X,
                     BPF_JMP | BPF_JGE | BPF_K, BPF_JMP | BPF_JGE | BPF_X,
                     BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGT | BPF_X,
                     BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X -> {
                    if (pc + insn.jt() + 1 >= flen || pc + insn.jf() + 1 >= flen) {
                        throw refuse(pc, insn, "conditional jump (jt " + insn.jt() + ", jf " + insn.jf()
                                + ") leaves the program (expected: 0.." + (flen - pc - 2) + ")");
                    }
                }
                case BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS -> {
                    if (Integer.compareUnsigned(k, SKF_AD_OFF) >= 0 && bpfAncHelper(insn) < 0) {
                        throw refuse(pc, insn, "unknown ancillary load SKF_AD_OFF + " + (k - SKF_AD_OFF)
                                + " (expected: one of the SKF_AD_* offsets 0.." + (Filter.SKF_AD_MAX - 4) + " in steps of 4)");
                    }
                }
                default -> {
                    // nothing more to check
                }
            }
        }
        int last = fprog.insn(flen - 1).code();
        if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A)) {
            throw refuse(flen - 1, fprog.insn(flen - 1),
                    "the last instruction is not a return (expected: BPF_RET|BPF_K or BPF_RET|BPF_A)");
        }
        checkLoadAndStores(fprog);
    }

    /**
     * {@code check_load_and_stores}: refuses a load from scratch memory {@code M[k]} that some
     * path reaches without a store to {@code M[k]}, so the interpreter never reads memory a
     * previous packet left behind.
     *
     * <p>One forward pass suffices because jumps only go forward. {@code memvalid} has one bit
     * per word written on the path being followed; a jump hands its set to each target (where
     * the sets of all the ways in meet by intersection, in {@code masks}) and the instruction
     * after a jump starts again from everything, narrowed by what its own predecessors gave.
     *
     * <p>Requires the checks of {@link #bpfCheckClassic} before it (memory indices below 16,
     * jump targets inside the program).
     */
    static void checkLoadAndStores(SockFprog fprog) throws BpfCheckException {
        int flen = fprog.len();
        int[] masks = new int[flen];
        Arrays.fill(masks, 0xffff);
        int memvalid = 0;
        for (int pc = 0; pc < flen; pc++) {
            memvalid &= masks[pc];
            SockFilter insn = fprog.insn(pc);
            switch (insn.code()) {
                case BPF_ST, BPF_STX -> memvalid |= 1 << insn.k();
                case BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM -> {
                    if ((memvalid & (1 << insn.k())) == 0) {
                        throw refuse(pc, insn, "check_load_and_stores: M[" + insn.k()
                                + "] may be read before it is written");
                    }
                }
                case BPF_JMP | BPF_JA -> {
                    masks[pc + 1 + insn.k()] &= memvalid;
                    memvalid = 0xffff;
                }
                case BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JEQ | BPF_X,
                     BPF_JMP | BPF_JGE | BPF_K, BPF_JMP | BPF_JGE | BPF_X,
                     BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGT | BPF_X,
                     BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JSET | BPF_X -> {
                    masks[pc + 1 + insn.jt()] &= memvalid;
                    masks[pc + 1 + insn.jf()] &= memvalid;
                    memvalid = 0xffff;
                }
                default -> {
                    // no effect on scratch memory
                }
            }
        }
    }

    /**
     * {@code chk_code_allowed}: whether {@code code} is one of the opcodes a classic socket
     * filter may use. The test is on the exact value: {@code BPF_LD|BPF_H|BPF_MEM}, a return of
     * {@code X} or any bit above the low byte are refused.
     */
    public static boolean chkCodeAllowed(int code) {
        return code >= 0 && code < CODES.length && CODES[code];
    }

    /**
     * {@code bpf_anc_helper}: the {@code SKF_AD_*} number an instruction loads, or -1 when it
     * is no ancillary load. Only {@code BPF_LD|BPF_ABS} of any size at exactly
     * {@code SKF_AD_OFF + SKF_AD_*} is one; the size is ignored (a byte load of
     * {@code SKF_AD_IFINDEX} gives the whole ifindex).
     */
    public static int bpfAncHelper(SockFilter insn) {
        int code = insn.code();
        if (code != (BPF_LD | BPF_W | BPF_ABS) && code != (BPF_LD | BPF_H | BPF_ABS)
                && code != (BPF_LD | BPF_B | BPF_ABS)) {
            return -1;
        }
        int anc = insn.k() - SKF_AD_OFF;
        return switch (anc) {
            case SKF_AD_PROTOCOL, SKF_AD_PKTTYPE, SKF_AD_IFINDEX, SKF_AD_NLATTR, SKF_AD_NLATTR_NEST,
                 SKF_AD_MARK, SKF_AD_QUEUE, SKF_AD_HATYPE, SKF_AD_RXHASH, SKF_AD_CPU, SKF_AD_ALU_XOR_X,
                 SKF_AD_VLAN_TAG, SKF_AD_VLAN_TAG_PRESENT, SKF_AD_PAY_OFFSET, SKF_AD_RANDOM,
                 SKF_AD_VLAN_TPID -> anc;
            default -> -1;
        };
    }

    private static BpfCheckException refuse(int pc, SockFilter insn, String why) {
        return refuse(pc, "bpf_check_classic: insn " + pc + " " + insn.toTcpdumpDd() + ": " + why);
    }

    private static BpfCheckException refuse(int pc, String message) {
        return new BpfCheckException(Errno.EINVAL, pc, message + " (EINVAL)");
    }
}
