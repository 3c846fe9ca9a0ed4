package net.linuxnet.api.filter;

/**
 * The classic BPF constants of {@code include/uapi/linux/bpf_common.h} and
 * {@code include/uapi/linux/filter.h}, under their kernel names, and the macros that take an
 * opcode apart ({@code BPF_CLASS}, {@code BPF_SIZE}, ...).
 *
 * <p>An opcode ({@link SockFilter#code()}) packs three fields into its low byte:
 *
 * <pre>
 *   LD/LDX/ST/STX:   | mode (3 bits) | size (2 bits) | class (3 bits) |
 *                      0xe0            0x18            0x07
 *   ALU/JMP:         | operation (4 bits) | source (1 bit) | class (3 bits) |
 *                      0xf0                 0x08             0x07
 *   RET:             | ... | rval (2 bits: K, X, A) | class |
 *   MISC:            | miscop (TAX 0x00, TXA 0x80)   | class |
 * </pre>
 *
 * <p>So {@code ldh [12]} is {@code BPF_LD | BPF_H | BPF_ABS} = {@code 0x28}, and
 * {@code jeq #0x800} is {@code BPF_JMP | BPF_JEQ | BPF_K} = {@code 0x15}, the numbers
 * {@code tcpdump -dd} prints.
 *
 * <p>Offsets at and above {@link #SKF_AD_OFF} (as unsigned numbers) in a {@code BPF_LD | BPF_ABS}
 * load select an ancillary value instead of packet bytes ({@code SKF_AD_*}); offsets from
 * {@link #SKF_NET_OFF} and {@link #SKF_LL_OFF} count from the network and the link-layer
 * (MAC) header instead of from {@code skb->data}.
 */
public final class Filter {

    // ---- instruction classes (BPF_CLASS) ---------------------------------------------------
    public static final int BPF_LD = 0x00;
    public static final int BPF_LDX = 0x01;
    public static final int BPF_ST = 0x02;
    public static final int BPF_STX = 0x03;
    public static final int BPF_ALU = 0x04;
    public static final int BPF_JMP = 0x05;
    public static final int BPF_RET = 0x06;
    public static final int BPF_MISC = 0x07;

    // ---- ld/ldx sizes (BPF_SIZE) -----------------------------------------------------------
    /** 32 bits. */
    public static final int BPF_W = 0x00;
    /** 16 bits. */
    public static final int BPF_H = 0x08;
    /** 8 bits. */
    public static final int BPF_B = 0x10;

    // ---- ld/ldx modes (BPF_MODE) -----------------------------------------------------------
    /** The constant {@code k}. */
    public static final int BPF_IMM = 0x00;
    /** Packet bytes at offset {@code k}. */
    public static final int BPF_ABS = 0x20;
    /** Packet bytes at offset {@code X + k}. */
    public static final int BPF_IND = 0x40;
    /** Scratch memory word {@code M[k]}. */
    public static final int BPF_MEM = 0x60;
    /** The packet length, {@code skb->len}. */
    public static final int BPF_LEN = 0x80;
    /** {@code X = 4 * (P[k] & 0xf)}: the IPv4 header length. */
    public static final int BPF_MSH = 0xa0;

    // ---- alu/jmp operations (BPF_OP) -------------------------------------------------------
    public static final int BPF_ADD = 0x00;
    public static final int BPF_SUB = 0x10;
    public static final int BPF_MUL = 0x20;
    public static final int BPF_DIV = 0x30;
    public static final int BPF_OR = 0x40;
    public static final int BPF_AND = 0x50;
    public static final int BPF_LSH = 0x60;
    public static final int BPF_RSH = 0x70;
    public static final int BPF_NEG = 0x80;
    public static final int BPF_MOD = 0x90;
    public static final int BPF_XOR = 0xa0;

    public static final int BPF_JA = 0x00;
    public static final int BPF_JEQ = 0x10;
    public static final int BPF_JGT = 0x20;
    public static final int BPF_JGE = 0x30;
    public static final int BPF_JSET = 0x40;

    // ---- alu/jmp source (BPF_SRC) ----------------------------------------------------------
    /** The operand is the constant {@code k}. */
    public static final int BPF_K = 0x00;
    /** The operand is the index register {@code X}. */
    public static final int BPF_X = 0x08;

    // ---- ret value (BPF_RVAL) and misc operations (BPF_MISCOP) -----------------------------
    /** {@code ret a}: return the accumulator. */
    public static final int BPF_A = 0x10;
    /** {@code tax}: {@code X = A}. */
    public static final int BPF_TAX = 0x00;
    /** {@code txa}: {@code A = X}. */
    public static final int BPF_TXA = 0x80;

    // ---- limits ----------------------------------------------------------------------------
    /** The longest program {@code SO_ATTACH_FILTER} accepts. */
    public static final int BPF_MAXINSNS = 4096;
    /** Words of scratch memory {@code M[]}. */
    public static final int BPF_MEMWORDS = 16;

    // ---- special offsets -------------------------------------------------------------------
    /** Base of the ancillary data offsets: {@code ld [SKF_AD_OFF + SKF_AD_PROTOCOL]}. */
    public static final int SKF_AD_OFF = -0x1000;
    /** {@code ntohs(skb->protocol)}. */
    public static final int SKF_AD_PROTOCOL = 0;
    /** {@code skb->pkt_type}. */
    public static final int SKF_AD_PKTTYPE = 4;
    /** {@code skb->dev->ifindex}. */
    public static final int SKF_AD_IFINDEX = 8;
    /** Offset of the netlink attribute of type {@code X}, searched from offset {@code A}. */
    public static final int SKF_AD_NLATTR = 12;
    /** Same as {@link #SKF_AD_NLATTR}, inside the nested attribute at offset {@code A}. */
    public static final int SKF_AD_NLATTR_NEST = 16;
    /** {@code skb->mark}. */
    public static final int SKF_AD_MARK = 20;
    /** {@code skb->queue_mapping}. */
    public static final int SKF_AD_QUEUE = 24;
    /** {@code skb->dev->type} (an {@code ARPHRD_*} value). */
    public static final int SKF_AD_HATYPE = 28;
    /** {@code skb->hash}. */
    public static final int SKF_AD_RXHASH = 32;
    /** The CPU running the filter ({@code raw_smp_processor_id()}). */
    public static final int SKF_AD_CPU = 36;
    /** {@code A ^= X}. */
    public static final int SKF_AD_ALU_XOR_X = 40;
    /** {@code skb->vlan_tci}. */
    public static final int SKF_AD_VLAN_TAG = 44;
    /** 1 when the skb carries an offloaded VLAN tag, else 0. */
    public static final int SKF_AD_VLAN_TAG_PRESENT = 48;
    /** Offset of the transport payload ({@code skb_get_poff}). */
    public static final int SKF_AD_PAY_OFFSET = 52;
    /** A pseudo-random 32-bit number ({@code bpf_user_rnd_u32}). */
    public static final int SKF_AD_RANDOM = 56;
    /** {@code ntohs(skb->vlan_proto)}. */
    public static final int SKF_AD_VLAN_TPID = 60;
    /** One past the last ancillary offset the kernel knows. */
    public static final int SKF_AD_MAX = 64;

    /** Loads at {@code SKF_NET_OFF + n} read byte {@code n} of the network header. */
    public static final int SKF_NET_OFF = -0x100000;
    /** Loads at {@code SKF_LL_OFF + n} read byte {@code n} of the link-layer (MAC) header. */
    public static final int SKF_LL_OFF = -0x200000;

    private Filter() {
    }

    /** {@code BPF_CLASS(code)}. */
    public static int bpfClass(int code) {
        return code & 0x07;
    }

    /** {@code BPF_SIZE(code)}. */
    public static int bpfSize(int code) {
        return code & 0x18;
    }

    /** {@code BPF_MODE(code)}. */
    public static int bpfMode(int code) {
        return code & 0xe0;
    }

    /** {@code BPF_OP(code)}. */
    public static int bpfOp(int code) {
        return code & 0xf0;
    }

    /** {@code BPF_SRC(code)}. */
    public static int bpfSrc(int code) {
        return code & 0x08;
    }

    /** {@code BPF_RVAL(code)}. */
    public static int bpfRval(int code) {
        return code & 0x18;
    }

    /** {@code BPF_MISCOP(code)}. */
    public static int bpfMiscop(int code) {
        return code & 0xf8;
    }

    /** {@code bpf_size_to_bytes}: 4, 2 or 1 for {@link #BPF_W}, {@link #BPF_H}, {@link #BPF_B}. */
    public static int bpfSizeToBytes(int size) {
        return switch (size) {
            case BPF_W -> 4;
            case BPF_H -> 2;
            case BPF_B -> 1;
            default -> throw new IllegalArgumentException(
                    "size: 0x" + Integer.toHexString(size) + " (expected: BPF_W, BPF_H or BPF_B)");
        };
    }
}
