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
import static net.linuxnet.api.filter.Filter.BPF_MEM;
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
import static net.linuxnet.api.filter.Filter.SKF_AD_PAY_OFFSET;
import static net.linuxnet.api.filter.Filter.SKF_AD_PKTTYPE;
import static net.linuxnet.api.filter.Filter.SKF_AD_PROTOCOL;
import static net.linuxnet.api.filter.Filter.SKF_AD_QUEUE;
import static net.linuxnet.api.filter.Filter.SKF_AD_RANDOM;
import static net.linuxnet.api.filter.Filter.SKF_AD_RXHASH;
import static net.linuxnet.api.filter.Filter.SKF_AD_VLAN_TAG;
import static net.linuxnet.api.filter.Filter.SKF_AD_VLAN_TAG_PRESENT;
import static net.linuxnet.api.filter.Filter.SKF_AD_VLAN_TPID;
import static net.linuxnet.api.filter.Filter.SKF_LL_OFF;
import static net.linuxnet.api.filter.Filter.SKF_NET_OFF;

import java.util.Objects;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;

/**
 * A checked classic BPF program, ready to run on packets: {@code struct bpf_prog} as
 * {@code sk_attach_filter} leaves it on a socket ({@code sk->sk_filter->prog}).
 *
 * <p>{@link #create} checks the program with {@link BpfChecker#bpfCheckClassic} and keeps the
 * original instructions ({@code prog->orig_prog}, what {@code SO_GET_FILTER} gives back).
 * {@link #run} is the interpreter. The kernel translates a classic program into eBPF
 * ({@code bpf_convert_filter}) and runs that ({@code ___bpf_prog_run} or the JIT); this
 * interpreter runs the classic instructions directly and gives the results the translation
 * gives:
 *
 * <ul>
 *   <li>A, X and the scratch words {@code M[0..15]} are 32-bit; A and X start at 0. Arithmetic
 *       wraps; division, modulo, comparisons and right shifts are unsigned; a shift by X uses
 *       {@code X & 31}. Division or modulo by an X of 0 ends the run with 0.</li>
 *   <li>Packet loads ({@code BPF_ABS}: offset {@code k}; {@code BPF_IND}: offset {@code X + k};
 *       {@code BPF_MSH}: {@code X = 4 * (P[k] & 0xf)}) read big-endian bytes counted from
 *       {@code skb->data}. An offset {@code SKF_NET_OFF + n} reads from the network header and
 *       {@code SKF_LL_OFF + n} from the MAC header, which may lie before {@code skb->data} (in
 *       the headroom), as for a UDP socket whose skb starts at the UDP header. A load that does
 *       not fit between the start of the buffer and the tail, from an unset header, or below
 *       {@code SKF_LL_OFF}, ends the run with 0: the packet is dropped
 *       ({@code bpf_skb_load_helper_8/16/32} return {@code -EFAULT}, and the translated
 *       program returns 0).</li>
 *   <li>{@code BPF_LD|BPF_ABS} at {@code SKF_AD_OFF + SKF_AD_*} loads ancillary data instead
 *       of packet bytes, whatever its size; see the {@code SKF_AD_*} constants of
 *       {@link Filter}. {@code SKF_AD_IFINDEX} and {@code SKF_AD_HATYPE} on an skb without a
 *       device end the run returning A as it is ({@code convert_bpf_extensions} emits an exit,
 *       and R0 is A). linuxnet keeps VLAN tags in the packet, so the {@code SKF_AD_VLAN_*}
 *       loads give 0, and it has no netlink sockets, so {@code SKF_AD_NLATTR*} give 0.</li>
 * </ul>
 *
 * <p>Follows {@code bpf_convert_filter}, {@code convert_bpf_extensions},
 * {@code convert_bpf_ld_abs} and {@code bpf_skb_load_helper_*} in {@code net/core/filter.c}.
 *
 * <p>The return value is how many bytes of the packet to keep, as an unsigned number: 0 drops
 * the packet; {@code sk_filter_trim_cap} trims a longer packet to {@code max(cap, value)} and
 * AF_PACKET's {@code run_filter} caps the snapshot length at it. tcpdump's filters return
 * 262144 (the snapshot length) or 0. See {@link #skFilterTrimCap}.
 *
 * <p>A program is immutable and may be shared between sockets; a run uses the scratch memory
 * of the {@link BpfRunContext} it is given and allocates nothing.
 */
public final class BpfProg {

    /** Internal opcodes for the ancillary loads: {@code ANC + SKF_AD_*}, above every real opcode. */
    private static final int ANC = 0x100;

    private final SockFprog fprog;
    private final int[] ops;
    private final int[] jt;
    private final int[] jf;
    private final int[] k;

    private BpfProg(SockFprog fprog) {
        this.fprog = fprog;
        int len = fprog.len();
        ops = new int[len];
        jt = new int[len];
        jf = new int[len];
        k = new int[len];
        for (int pc = 0; pc < len; pc++) {
            SockFilter insn = fprog.insn(pc);
            int anc = BpfChecker.bpfAncHelper(insn);
            ops[pc] = anc >= 0 ? ANC + anc : insn.code();
            jt[pc] = insn.jt();
            jf[pc] = insn.jf();
            k[pc] = insn.k();
        }
    }

    /**
     * Checks a program and makes it runnable, as {@code sk_attach_filter} does for
     * {@code setsockopt(SO_ATTACH_FILTER)} ({@code __get_filter}: {@code bpf_check_basics_ok},
     * then {@code bpf_prepare_filter}: {@code bpf_check_classic}).
     *
     * @throws BpfCheckException with {@link Errno#EINVAL} when the kernel would refuse the program
     */
    public static BpfProg create(SockFprog fprog) throws BpfCheckException {
        Objects.requireNonNull(fprog, "fprog is null");
        BpfChecker.bpfCheckClassic(fprog);
        return new BpfProg(fprog);
    }

    /** The program as it was attached ({@code prog->orig_prog}, returned by {@code SO_GET_FILTER}). */
    public SockFprog fprog() {
        return fprog;
    }

    /** Number of classic instructions. */
    public int len() {
        return ops.length;
    }

    /**
     * Runs the program on a packet ({@code bpf_prog_run} of the translated classic program).
     *
     * <p>{@code skb.data()} is where offset 0 lies: the MAC header for an AF_PACKET socket on an
     * Ethernet device (whose {@code packet_rcv} pushes the header back before it runs the
     * filter), the transport header for a UDP or TCP socket. The packet is not changed.
     *
     * @param skb the packet; read only
     * @param ctx scratch memory, CPU and random source of the host running the filter
     * @return the number of bytes to keep, unsigned ({@link Integer#toUnsignedLong} gives the
     *     number); 0 means drop
     */
    public int run(SkBuff skb, BpfRunContext ctx) {
        final int[] ops = this.ops;
        final int[] k = this.k;
        final int[] mem = ctx.mem;
        int a = 0;
        int x = 0;
        long v;
        for (int pc = 0; ; pc++) {
            final int kk = k[pc];
            switch (ops[pc]) {
                // ---- loads into A ------------------------------------------------------------
                case BPF_LD | BPF_W | BPF_ABS -> {
                    if ((v = load(skb, kk, 4)) < 0) {
                        return 0;
                    }
                    a = (int) v;
                }
                case BPF_LD | BPF_H | BPF_ABS -> {
                    if ((v = load(skb, kk, 2)) < 0) {
                        return 0;
                    }
                    a = (int) v;
                }
                case BPF_LD | BPF_B | BPF_ABS -> {
                    if ((v = load(skb, kk, 1)) < 0) {
                        return 0;
                    }
                    a = (int) v;
                }
                case BPF_LD | BPF_W | BPF_IND -> {
                    if ((v = load(skb, x + kk, 4)) < 0) {
                        return 0;
                    }
                    a = (int) v;
                }
                case BPF_LD | BPF_H | BPF_IND -> {
                    if ((v = load(skb, x + kk, 2)) < 0) {
                        return 0;
                    }
                    a = (int) v;
                }
                case BPF_LD | BPF_B | BPF_IND -> {
                    if ((v = load(skb, x + kk, 1)) < 0) {
                        return 0;
                    }
                    a = (int) v;
                }
                case BPF_LD | BPF_W | BPF_LEN -> a = skb.len();
                case BPF_LD | BPF_IMM -> a = kk;
                case BPF_LD | BPF_MEM -> a = mem[kk];

                // ---- loads into X ------------------------------------------------------------
                case BPF_LDX | BPF_W | BPF_LEN -> x = skb.len();
                case BPF_LDX | BPF_IMM -> x = kk;
                case BPF_LDX | BPF_MEM -> x = mem[kk];
                case BPF_LDX | BPF_B | BPF_MSH -> {
                    if ((v = load(skb, kk, 1)) < 0) {
                        return 0;
                    }
                    x = ((int) v & 0xf) << 2;
                }

                // ---- stores ------------------------------------------------------------------
                case BPF_ST -> mem[kk] = a;
                case BPF_STX -> mem[kk] = x;

                // ---- 32-bit arithmetic -------------------------------------------------------
                case BPF_ALU | BPF_ADD | BPF_K -> a += kk;
                case BPF_ALU | BPF_ADD | BPF_X -> a += x;
                case BPF_ALU | BPF_SUB | BPF_K -> a -= kk;
                case BPF_ALU | BPF_SUB | BPF_X -> a -= x;
                case BPF_ALU | BPF_MUL | BPF_K -> a *= kk;
                case BPF_ALU | BPF_MUL | BPF_X -> a *= x;
                case BPF_ALU | BPF_DIV | BPF_K -> a = Integer.divideUnsigned(a, kk);
                case BPF_ALU | BPF_DIV | BPF_X -> {
                    if (x == 0) {
                        return 0;
                    }
                    a = Integer.divideUnsigned(a, x);
                }
                case BPF_ALU | BPF_MOD | BPF_K -> a = Integer.remainderUnsigned(a, kk);
                case BPF_ALU | BPF_MOD | BPF_X -> {
                    if (x == 0) {
                        return 0;
                    }
                    a = Integer.remainderUnsigned(a, x);
                }
                case BPF_ALU | BPF_AND | BPF_K -> a &= kk;
                case BPF_ALU | BPF_AND | BPF_X -> a &= x;
                case BPF_ALU | BPF_OR | BPF_K -> a |= kk;
                case BPF_ALU | BPF_OR | BPF_X -> a |= x;
                case BPF_ALU | BPF_XOR | BPF_K -> a ^= kk;
                case BPF_ALU | BPF_XOR | BPF_X -> a ^= x;
                // k < 32 is checked at load time; Java masks a shift count with 31 as the
                // kernel's interpreter and the x86 JIT do for a shift by X
                case BPF_ALU | BPF_LSH | BPF_K -> a <<= kk;
                case BPF_ALU | BPF_LSH | BPF_X -> a <<= x;
                case BPF_ALU | BPF_RSH | BPF_K -> a >>>= kk;
                case BPF_ALU | BPF_RSH | BPF_X -> a >>>= x;
                case BPF_ALU | BPF_NEG -> a = -a;

                // ---- jumps: forward only, targets checked at load time ---------------------
                case BPF_JMP | BPF_JA -> pc += kk;
                case BPF_JMP | BPF_JEQ | BPF_K -> pc += a == kk ? jt[pc] : jf[pc];
                case BPF_JMP | BPF_JEQ | BPF_X -> pc += a == x ? jt[pc] : jf[pc];
                case BPF_JMP | BPF_JGT | BPF_K -> pc += Integer.compareUnsigned(a, kk) > 0 ? jt[pc] : jf[pc];
                case BPF_JMP | BPF_JGT | BPF_X -> pc += Integer.compareUnsigned(a, x) > 0 ? jt[pc] : jf[pc];
                case BPF_JMP | BPF_JGE | BPF_K -> pc += Integer.compareUnsigned(a, kk) >= 0 ? jt[pc] : jf[pc];
                case BPF_JMP | BPF_JGE | BPF_X -> pc += Integer.compareUnsigned(a, x) >= 0 ? jt[pc] : jf[pc];
                case BPF_JMP | BPF_JSET | BPF_K -> pc += (a & kk) != 0 ? jt[pc] : jf[pc];
                case BPF_JMP | BPF_JSET | BPF_X -> pc += (a & x) != 0 ? jt[pc] : jf[pc];

                // ---- return and misc -----------------------------------------------------------
                case BPF_RET | BPF_K -> {
                    return kk;
                }
                case BPF_RET | BPF_A -> {
                    return a;
                }
                case BPF_MISC | BPF_TAX -> x = a;
                case BPF_MISC | BPF_TXA -> a = x;

                // ---- ancillary loads (convert_bpf_extensions) ------------------------------------
                case ANC + SKF_AD_PROTOCOL -> a = skb.protocol() & 0xffff;
                case ANC + SKF_AD_PKTTYPE -> a = skb.pktType() & 7;
                case ANC + SKF_AD_IFINDEX -> {
                    NetDevice dev = skb.dev();
                    if (dev == null) {
                        // the translation exits here with R0, which is A
                        return a;
                    }
                    a = dev.ifindex();
                }
                case ANC + SKF_AD_HATYPE -> {
                    NetDevice dev = skb.dev();
                    if (dev == null) {
                        return a;
                    }
                    a = dev.type() & 0xffff;
                }
                case ANC + SKF_AD_MARK -> a = skb.mark();
                case ANC + SKF_AD_QUEUE -> a = skb.queueMapping() & 0xffff;
                case ANC + SKF_AD_RXHASH -> a = skb.hash();
                case ANC + SKF_AD_CPU -> a = ctx.cpu();
                case ANC + SKF_AD_RANDOM -> a = ctx.randomU32();
                case ANC + SKF_AD_ALU_XOR_X -> a ^= x;
                case ANC + SKF_AD_PAY_OFFSET -> a = FlowDissector.skbGetPoff(skb);
                // linuxnet keeps VLAN tags in the packet bytes: never an offloaded tag
                case ANC + SKF_AD_VLAN_TAG, ANC + SKF_AD_VLAN_TAG_PRESENT, ANC + SKF_AD_VLAN_TPID -> a = 0;
                // no netlink sockets in linuxnet: the attribute is never found
                case ANC + SKF_AD_NLATTR, ANC + SKF_AD_NLATTR_NEST -> a = 0;
                default -> throw new IllegalStateException(
                        "insn " + pc + ": opcode 0x" + Integer.toHexString(ops[pc]) + " passed bpf_check_classic");
            }
        }
    }

    /**
     * The filter step of {@code sk_filter_trim_cap} ({@code net/core/filter.c}): runs the
     * program and applies its verdict. A result of 0 drops the packet; any other result
     * {@code n} keeps it and trims it ({@code pskb_trim}) to {@code max(cap, n)} bytes when it
     * is longer. {@code cap} is the least a protocol needs to keep (UDP passes the size of its
     * header), so a filter cannot cut into it.
     *
     * <p>The caller, in the kernel's order, does the rest of {@code sk_filter_trim_cap} and
     * counts the drop ({@code SKB_DROP_REASON_SOCKET_FILTER}).
     *
     * @return 0 when the packet is kept (maybe shorter), {@code -EPERM} when the filter dropped it
     */
    public int skFilterTrimCap(SkBuff skb, int cap, BpfRunContext ctx) {
        int pktLen = run(skb, ctx);
        if (pktLen == 0) {
            return -Errno.EPERM;
        }
        int keep = Integer.compareUnsigned(cap, pktLen) > 0 ? cap : pktLen;
        if (Integer.compareUnsigned(keep, skb.len()) < 0) {
            skb.trim(keep);
        }
        return 0;
    }

    /**
     * A packet load of {@code size} bytes at offset {@code k}, big endian:
     * {@code bpf_skb_load_helper_8/16/32} after {@code bpf_skb_load_helper_convert_offset}, on
     * a linear skb. Returns the value (0..2^32-1) or -1 for the helpers' {@code -EFAULT}.
     */
    private static long load(SkBuff skb, int k, int size) {
        int pos;
        if (k >= 0) {
            if (k > skb.len() - size) {
                return -1;
            }
            pos = skb.data() + k;
        } else {
            if (k >= SKF_NET_OFF) {
                int nh = skb.networkHeader();
                if (nh == SkBuff.NO_HEADER) {
                    return -1;
                }
                pos = nh + (k - SKF_NET_OFF);
            } else if (k >= SKF_LL_OFF) {
                int mh = skb.macHeader();
                if (mh == SkBuff.NO_HEADER) {
                    return -1;
                }
                pos = mh + (k - SKF_LL_OFF);
            } else {
                return -1;
            }
            if (pos < 0 || pos > skb.tail() - size) {
                return -1;
            }
        }
        byte[] head = skb.head();
        return switch (size) {
            case 4 -> ((head[pos] & 0xffL) << 24) | ((head[pos + 1] & 0xff) << 16)
                    | ((head[pos + 2] & 0xff) << 8) | (head[pos + 3] & 0xff);
            case 2 -> ((head[pos] & 0xff) << 8) | (head[pos + 1] & 0xff);
            default -> head[pos] & 0xff;
        };
    }

    @Override
    public String toString() {
        return "BpfProg[len=" + ops.length + "]";
    }
}
