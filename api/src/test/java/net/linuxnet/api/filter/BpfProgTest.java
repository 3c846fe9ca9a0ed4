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
import static net.linuxnet.api.filter.Filter.SKF_LL_OFF;
import static net.linuxnet.api.filter.Filter.SKF_NET_OFF;
import static net.linuxnet.api.filter.Packets.IPPROTO_TCP;
import static net.linuxnet.api.filter.Packets.IPPROTO_UDP;
import static net.linuxnet.api.filter.Packets.IP_MF;
import static net.linuxnet.api.filter.Packets.MAC_CLIENT;
import static net.linuxnet.api.filter.Packets.MAC_SERVER;
import static net.linuxnet.api.filter.Packets.ether;
import static net.linuxnet.api.filter.Packets.ipv4;
import static net.linuxnet.api.filter.Packets.ipv6;
import static net.linuxnet.api.filter.Packets.ipv6Ext;
import static net.linuxnet.api.filter.Packets.tcp;
import static net.linuxnet.api.filter.Packets.udp;
import static net.linuxnet.api.filter.SockFilter.jump;
import static net.linuxnet.api.filter.SockFilter.stmt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class BpfProgTest {

    private static final SockFilter RET_A = stmt(BPF_RET | BPF_A, 0);

    private final Packets packets = new Packets();
    private final BpfRunContext ctx = new BpfRunContext(() -> 1, new SplittableRandom(42));

    /** Ethernet + IPv4 + UDP 10.0.0.1:4000 -> 10.0.0.2:53 with 100 bytes of payload: 142 bytes. */
    private final byte[] udpFrame = Packets.udp4("10.0.0.1", "10.0.0.2", 4000, 53, 100);

    @AfterEach
    void freeSkbs() {
        packets.close();
        assertThat(packets.pool.live()).isZero();
    }

    // ---- creation --------------------------------------------------------------------------

    @Test
    void createChecksTheProgramAndKeepsTheOriginal() throws BpfCheckException {
        SockFprog fprog = SockFprog.of(stmt(BPF_RET | BPF_K, 96));
        BpfProg prog = BpfProg.create(fprog);

        assertThat(prog.fprog()).isSameAs(fprog);
        assertThat(prog.len()).isEqualTo(1);
        assertThatThrownBy(() -> BpfProg.create(SockFprog.of(stmt(BPF_LD | BPF_IMM, 0))))
                .isInstanceOfSatisfying(BpfCheckException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    // ---- registers and arithmetic ----------------------------------------------------------

    @Test
    void aAndXStartAtZero() {
        SkBuff skb = packets.ethernet(udpFrame);
        assertThat(run(skb, RET_A)).isZero();
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 5), stmt(BPF_MISC | BPF_TXA, 0), RET_A)).isZero();
    }

    @ParameterizedTest(name = "0x{1} op 0x{2} = 0x{3}")
    @CsvSource({
        // op,  A,        operand,  expected A
        "ADD, ffffffff, 00000001, 00000000",
        "SUB, 00000000, 00000001, ffffffff",
        "MUL, 00010000, 00010000, 00000000",
        "MUL, 00000007, fffffffe, fffffff2",
        "DIV, ffffffff, 00000002, 7fffffff",
        "DIV, 80000000, 00000010, 08000000",
        "MOD, ffffffff, 0000000a, 00000005",
        "AND, f0f0f0f0, ff00ff00, f000f000",
        "OR,  f0f0f0f0, 0f000000, fff0f0f0",
        "XOR, ffff0000, 0ff00ff0, f00f0ff0",
        "LSH, 00000001, 0000001f, 80000000",
        "RSH, 80000000, 0000001f, 00000001",
    })
    void aluIs32BitUnsignedWithTheConstantAndWithX(String op, String a, String operand, String expected) {
        int code = switch (op) {
            case "ADD" -> BPF_ADD;
            case "SUB" -> BPF_SUB;
            case "MUL" -> BPF_MUL;
            case "DIV" -> BPF_DIV;
            case "MOD" -> BPF_MOD;
            case "AND" -> BPF_AND;
            case "OR" -> BPF_OR;
            case "XOR" -> BPF_XOR;
            case "LSH" -> BPF_LSH;
            case "RSH" -> BPF_RSH;
            default -> throw new IllegalArgumentException(op);
        };
        int av = Integer.parseUnsignedInt(a, 16);
        int ov = Integer.parseUnsignedInt(operand, 16);
        SkBuff skb = packets.ethernet(udpFrame);

        int withK = run(skb, stmt(BPF_LD | BPF_IMM, av), stmt(BPF_ALU | code | BPF_K, ov), RET_A);
        int withX = run(skb, stmt(BPF_LD | BPF_IMM, av), stmt(BPF_LDX | BPF_IMM, ov),
                stmt(BPF_ALU | code | BPF_X, 0), RET_A);

        assertThat(Integer.toHexString(withK)).isEqualTo(Integer.toHexString(Integer.parseUnsignedInt(expected, 16)));
        assertThat(withX).isEqualTo(withK);
    }

    @Test
    void negIsTwosComplement() {
        assertThat(run(packets.ethernet(udpFrame), stmt(BPF_LD | BPF_IMM, 1), stmt(BPF_ALU | BPF_NEG, 0), RET_A))
                .isEqualTo(0xffffffff);
    }

    @Test
    void aShiftByXUsesItsLowFiveBits() {
        SkBuff skb = packets.ethernet(udpFrame);
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 1), stmt(BPF_LDX | BPF_IMM, 33), stmt(BPF_ALU | BPF_LSH | BPF_X, 0), RET_A))
                .isEqualTo(2);
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 0x80), stmt(BPF_LDX | BPF_IMM, 32), stmt(BPF_ALU | BPF_RSH | BPF_X, 0), RET_A))
                .isEqualTo(0x80);
    }

    @Test
    void divisionOrModuloByAZeroXEndsTheRunWithZero() {
        SkBuff skb = packets.ethernet(udpFrame);
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 10), stmt(BPF_ALU | BPF_DIV | BPF_X, 0), stmt(BPF_RET | BPF_K, 1)))
                .isZero();
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 10), stmt(BPF_ALU | BPF_MOD | BPF_X, 0), stmt(BPF_RET | BPF_K, 1)))
                .isZero();
    }

    @Test
    void taxAndTxaCopyBetweenTheRegisters() {
        assertThat(run(packets.ethernet(udpFrame), stmt(BPF_LD | BPF_IMM, 7), stmt(BPF_MISC | BPF_TAX, 0),
                stmt(BPF_LD | BPF_IMM, 0), stmt(BPF_ALU | BPF_ADD | BPF_X, 0), stmt(BPF_ALU | BPF_ADD | BPF_X, 0), RET_A))
                .isEqualTo(14);
    }

    @Test
    void scratchMemoryHoldsAAndX() {
        assertThat(run(packets.ethernet(udpFrame),
                stmt(BPF_LD | BPF_IMM, 100), stmt(BPF_ST, 0),
                stmt(BPF_LDX | BPF_IMM, 23), stmt(BPF_STX, 15),
                stmt(BPF_LD | BPF_IMM, 0), stmt(BPF_LDX | BPF_IMM, 0),
                stmt(BPF_LDX | BPF_MEM, 0), stmt(BPF_LD | BPF_MEM, 15),
                stmt(BPF_ALU | BPF_ADD | BPF_X, 0), RET_A))
                .isEqualTo(123);
    }

    // ---- jumps -----------------------------------------------------------------------------

    @Test
    void comparisonsAreUnsigned() {
        SkBuff skb = packets.ethernet(udpFrame);
        SockFilter[] gt = {
            stmt(BPF_LD | BPF_IMM, 0xffffffff),
            jump(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1),
            stmt(BPF_RET | BPF_K, 1),
            stmt(BPF_RET | BPF_K, 2),
        };
        assertThat(run(skb, gt)).isEqualTo(1);
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 5), stmt(BPF_LDX | BPF_IMM, 0x80000000),
                jump(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 0), stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2)))
                .isEqualTo(1);
    }

    @Test
    void everyConditionTakesJtWhenTrueAndJfWhenFalse() {
        SkBuff skb = packets.ethernet(udpFrame);
        // A = 6, X = 6
        int[][] cases = {
            // code, k, taken?
            {BPF_JMP | BPF_JEQ | BPF_K, 6, 1}, {BPF_JMP | BPF_JEQ | BPF_K, 7, 0},
            {BPF_JMP | BPF_JGT | BPF_K, 5, 1}, {BPF_JMP | BPF_JGT | BPF_K, 6, 0},
            {BPF_JMP | BPF_JGE | BPF_K, 6, 1}, {BPF_JMP | BPF_JGE | BPF_K, 7, 0},
            {BPF_JMP | BPF_JSET | BPF_K, 2, 1}, {BPF_JMP | BPF_JSET | BPF_K, 9, 0},
            {BPF_JMP | BPF_JEQ | BPF_X, 0, 1}, {BPF_JMP | BPF_JGT | BPF_X, 0, 0},
            {BPF_JMP | BPF_JGE | BPF_X, 0, 1}, {BPF_JMP | BPF_JSET | BPF_X, 0, 1},
        };
        for (int[] c : cases) {
            int ret = run(skb, stmt(BPF_LD | BPF_IMM, 6), stmt(BPF_LDX | BPF_IMM, 6),
                    jump(c[0], c[1], 2, 0),
                    stmt(BPF_RET | BPF_K, 100), // jf lands here
                    stmt(BPF_RET | BPF_K, 200),
                    stmt(BPF_RET | BPF_K, 300)); // jt lands here
            assertThat(ret).as("opcode 0x%x k %d", c[0], c[1]).isEqualTo(c[2] == 1 ? 300 : 100);
        }
    }

    @Test
    void jaSkipsForward() {
        assertThat(run(packets.ethernet(udpFrame), stmt(BPF_JMP | BPF_JA, 2),
                stmt(BPF_RET | BPF_K, 1), stmt(BPF_RET | BPF_K, 2), stmt(BPF_RET | BPF_K, 3)))
                .isEqualTo(3);
    }

    // ---- packet loads ----------------------------------------------------------------------

    @Test
    void absoluteLoadsReadBigEndianFromData() {
        SkBuff skb = packets.ethernet(udpFrame);
        assertThat(run(skb, stmt(BPF_LD | BPF_H | BPF_ABS, 12), RET_A)).isEqualTo(0x0800);
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, 23), RET_A)).isEqualTo(IPPROTO_UDP);
        assertThat(run(skb, stmt(BPF_LD | BPF_W | BPF_ABS, 26), RET_A)).isEqualTo(0x0a000001);
        assertThat(run(skb, stmt(BPF_LD | BPF_W | BPF_ABS, 0), RET_A)).isEqualTo(0x02000000);
    }

    @Test
    void lenLoadsTheWholePacketLength() {
        SkBuff skb = packets.ethernet(udpFrame);
        assertThat(run(skb, stmt(BPF_LD | BPF_W | BPF_LEN, 0), RET_A)).isEqualTo(142);
        assertThat(run(skb, stmt(BPF_LDX | BPF_W | BPF_LEN, 0), stmt(BPF_MISC | BPF_TXA, 0), RET_A)).isEqualTo(142);
    }

    @Test
    void mshAndIndirectLoadsFindTheUdpPortsPastIpOptions() {
        // IPv4 header of 28 bytes (two words of options)
        byte[] frame = ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 2, 0, udp(4000, 53, 10)));
        SkBuff skb = packets.ethernet(frame);
        SockFilter msh = stmt(BPF_LDX | BPF_B | BPF_MSH, 14);
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 9), msh, stmt(BPF_MISC | BPF_TXA, 0), RET_A)).isEqualTo(28);
        // BPF_MSH leaves A alone
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 9), msh, RET_A)).isEqualTo(9);
        assertThat(run(skb, msh, stmt(BPF_LD | BPF_H | BPF_IND, 14), RET_A)).isEqualTo(4000);
        assertThat(run(skb, msh, stmt(BPF_LD | BPF_H | BPF_IND, 16), RET_A)).isEqualTo(53);
    }

    @Test
    void aLoadPastTheTailDropsThePacket() {
        SkBuff skb = packets.ethernet(udpFrame);
        int len = udpFrame.length;
        SockFilter ret1 = stmt(BPF_RET | BPF_K, 1);
        assertThat(run(skb, stmt(BPF_LD | BPF_W | BPF_ABS, len - 4), ret1)).isEqualTo(1);
        assertThat(run(skb, stmt(BPF_LD | BPF_W | BPF_ABS, len - 3), ret1)).isZero();
        assertThat(run(skb, stmt(BPF_LD | BPF_H | BPF_ABS, len - 1), ret1)).isZero();
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, len), ret1)).isZero();
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, 0x7fffffff), ret1)).isZero();
        assertThat(run(skb, stmt(BPF_LDX | BPF_B | BPF_MSH, len), ret1)).isZero();
        assertThat(run(skb, stmt(BPF_LDX | BPF_IMM, len - 2), stmt(BPF_LD | BPF_H | BPF_IND, 1), ret1)).isZero();
        // the bytes after the tail are in the buffer, but not in the packet
        skb.trim(20);
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, 23), ret1)).isZero();
    }

    @Test
    void anIndirectOffsetWrapsAt32Bits() {
        SkBuff skb = packets.ethernet(udpFrame);
        // X + k = 0xfffffff4 + 0x18 = 12
        assertThat(run(skb, stmt(BPF_LDX | BPF_IMM, -12), stmt(BPF_LD | BPF_H | BPF_IND, 24), RET_A)).isEqualTo(0x0800);
        // X + k negative and below SKF_LL_OFF: dropped
        assertThat(run(skb, stmt(BPF_LDX | BPF_IMM, SKF_LL_OFF), stmt(BPF_LD | BPF_B | BPF_IND, -1), stmt(BPF_RET | BPF_K, 1)))
                .isZero();
    }

    @Test
    void negativeOffsetsReachTheHeadersBeforeData() {
        // a UDP socket's filter: data at the UDP header
        SkBuff skb = packets.atTransport(udpFrame);
        assertThat(skb.len()).isEqualTo(108);
        assertThat(run(skb, stmt(BPF_LD | BPF_H | BPF_ABS, 2), RET_A)).isEqualTo(53);
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 9), RET_A)).isEqualTo(IPPROTO_UDP);
        assertThat(run(skb, stmt(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 16), RET_A)).isEqualTo(0x0a000002);
        assertThat(run(skb, stmt(BPF_LD | BPF_H | BPF_ABS, SKF_LL_OFF + 12), RET_A)).isEqualTo(0x0800);
        assertThat(run(skb, stmt(BPF_LDX | BPF_B | BPF_MSH, SKF_NET_OFF), stmt(BPF_MISC | BPF_TXA, 0), RET_A)).isEqualTo(20);
        assertThat(run(skb, stmt(BPF_LDX | BPF_IMM, 20), stmt(BPF_LD | BPF_H | BPF_IND, SKF_NET_OFF + 2), RET_A))
                .isEqualTo(53);
        // still bounded by the tail
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 128), stmt(BPF_RET | BPF_K, 1))).isZero();
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 127), stmt(BPF_RET | BPF_K, 1))).isEqualTo(1);
    }

    @Test
    void aLinkLayerLoadWithoutAMacHeaderDropsThePacket() {
        SkBuff skb = packets.rawIp(ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0)));
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, SKF_LL_OFF), stmt(BPF_RET | BPF_K, 1))).isZero();
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF), RET_A)).isEqualTo(0x45);
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, SKF_LL_OFF - 1), stmt(BPF_RET | BPF_K, 1))).isZero();
    }

    @Test
    void anIndirectLoadIntoTheAncillaryRangeIsAPacketLoadAndDrops() {
        SkBuff skb = packets.ethernet(udpFrame);
        assertThat(run(skb, stmt(BPF_LD | BPF_H | BPF_IND, SKF_AD_OFF + SKF_AD_PROTOCOL), stmt(BPF_RET | BPF_K, 1)))
                .isZero();
        assertThat(run(skb, stmt(BPF_LDX | BPF_B | BPF_MSH, SKF_AD_OFF + SKF_AD_PROTOCOL), stmt(BPF_RET | BPF_K, 1)))
                .isZero();
    }

    // ---- ancillary loads -------------------------------------------------------------------

    @Test
    void ancillaryLoadsReadTheSkbAndItsDevice() {
        NetDevice dev = new NetDevice(null, "eth0", 7, 1, 1);
        SkBuff skb = packets.ethernet(udpFrame);
        skb.setDev(dev);
        skb.setPktType(SkBuff.PACKET_OTHERHOST);
        skb.setMark(0xdeadbeef);
        skb.setQueueMapping(3);
        skb.setHash(0x12345678, true);

        assertThat(anc(skb, SKF_AD_PROTOCOL)).isEqualTo(IfEther.ETH_P_IP);
        assertThat(anc(skb, SKF_AD_PKTTYPE)).isEqualTo(SkBuff.PACKET_OTHERHOST);
        assertThat(anc(skb, SKF_AD_IFINDEX)).isEqualTo(7);
        assertThat(anc(skb, SKF_AD_HATYPE)).isEqualTo(IfEther.ARPHRD_ETHER);
        assertThat(anc(skb, SKF_AD_MARK)).isEqualTo(0xdeadbeef);
        assertThat(anc(skb, SKF_AD_QUEUE)).isEqualTo(3);
        assertThat(anc(skb, SKF_AD_RXHASH)).isEqualTo(0x12345678);
        assertThat(anc(skb, SKF_AD_CPU)).isEqualTo(1);
        dev.setType(IfEther.ARPHRD_LOOPBACK);
        assertThat(anc(skb, SKF_AD_HATYPE)).isEqualTo(772);
    }

    @Test
    void theLoadSizeDoesNotMatterForAncillaryData() {
        SkBuff skb = packets.ethernet(udpFrame);
        skb.setMark(0x11223344);
        assertThat(run(skb, stmt(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + SKF_AD_MARK), RET_A)).isEqualTo(0x11223344);
        assertThat(run(skb, stmt(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + SKF_AD_MARK), RET_A)).isEqualTo(0x11223344);
    }

    @Test
    void ifindexOrHatypeWithoutADeviceEndsTheRunReturningA() {
        // the translated program exits with R0, which holds A
        SkBuff skb = packets.ethernet(udpFrame);
        assertThat(skb.dev()).isNull();
        assertThat(run(skb, stmt(BPF_LD | BPF_IMM, 77), stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_IFINDEX),
                stmt(BPF_RET | BPF_K, 1)))
                .isEqualTo(77);
        assertThat(run(skb, stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_HATYPE), stmt(BPF_RET | BPF_K, 1)))
                .isZero();
    }

    @Test
    void randomComesFromTheContextsGenerator() {
        SkBuff skb = packets.ethernet(udpFrame);
        SplittableRandom expected = new SplittableRandom(42);
        assertThat(anc(skb, SKF_AD_RANDOM)).isEqualTo(expected.nextInt());
        assertThat(anc(skb, SKF_AD_RANDOM)).isEqualTo(expected.nextInt());
    }

    @Test
    void aluXorXIsAnAncillaryOperation() {
        assertThat(run(packets.ethernet(udpFrame), stmt(BPF_LD | BPF_IMM, 0xff00), stmt(BPF_LDX | BPF_IMM, 0x0ff0),
                stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_ALU_XOR_X), RET_A))
                .isEqualTo(0xf0f0);
    }

    @Test
    void thereIsNeverAnOffloadedVlanTagNorANetlinkAttribute() {
        SkBuff skb = packets.ethernet(Packets.etherVlan(MAC_SERVER, MAC_CLIENT, 0x0064, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0))));
        assertThat(anc(skb, SKF_AD_VLAN_TAG)).isZero();
        assertThat(anc(skb, SKF_AD_VLAN_TAG_PRESENT)).isZero();
        assertThat(anc(skb, SKF_AD_VLAN_TPID)).isZero();
        assertThat(anc(skb, SKF_AD_NLATTR)).isZero();
        assertThat(anc(skb, SKF_AD_NLATTR_NEST)).isZero();
    }

    // ---- SKF_AD_PAY_OFFSET (skb_get_poff) ----------------------------------------------------

    @Test
    void payOffsetSkipsTheTransportHeader() {
        assertThat(anc(packets.ethernet(udpFrame), SKF_AD_PAY_OFFSET)).isEqualTo(14 + 20 + 8);
        // TCP with 12 bytes of options: doff 8
        assertThat(anc(packets.ethernet(ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 64, tcp(1, 2, 8, 10)))), SKF_AD_PAY_OFFSET))
                .isEqualTo(14 + 20 + 32);
        assertThat(anc(packets.ethernet(ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 1, 0, udp(1, 2, 10)))), SKF_AD_PAY_OFFSET))
                .isEqualTo(14 + 24 + 8);
        assertThat(anc(packets.ethernet(ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(Packets.IPPROTO_ICMP, "10.0.0.1", "10.0.0.2", 64, Packets.icmpEcho(56)))), SKF_AD_PAY_OFFSET))
                .isEqualTo(14 + 20 + 8);
        // an unknown transport: the payload starts at the transport header
        assertThat(anc(packets.ethernet(ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(253, "10.0.0.1", "10.0.0.2", 64, new byte[16]))), SKF_AD_PAY_OFFSET))
                .isEqualTo(14 + 20);
    }

    @Test
    void payOffsetOfFragments() {
        byte[] first = ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 0, IP_MF, udp(1, 2, 64)));
        byte[] later = ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, 0, 9, new byte[64]));
        assertThat(anc(packets.ethernet(first), SKF_AD_PAY_OFFSET)).isEqualTo(14 + 20 + 8);
        assertThat(anc(packets.ethernet(later), SKF_AD_PAY_OFFSET)).isEqualTo(14 + 20);
    }

    @Test
    void payOffsetWalksIpv6ExtensionHeaders() {
        assertThat(anc(packets.ethernet(Packets.udp6("2001:db8::1", "2001:db8::2", 1, 2, 10)), SKF_AD_PAY_OFFSET))
                .isEqualTo(14 + 40 + 8);
        byte[] hopByHop = ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IPV6,
                ipv6(0, "2001:db8::1", "2001:db8::2", ipv6Ext(60, ipv6Ext(IPPROTO_TCP, tcp(1, 2, 5, 0)))));
        assertThat(anc(packets.ethernet(hopByHop), SKF_AD_PAY_OFFSET)).isEqualTo(14 + 40 + 8 + 8 + 20);
        byte[] fragHdr = {(byte) IPPROTO_UDP, 0, 0, 8 /* offset 1 */, 0, 0, 0, 1};
        byte[] laterFragment = ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IPV6,
                ipv6(44, "2001:db8::1", "2001:db8::2", Packets.concat(fragHdr, new byte[32])));
        assertThat(anc(packets.ethernet(laterFragment), SKF_AD_PAY_OFFSET)).isEqualTo(14 + 40 + 8);
    }

    @Test
    void payOffsetFollowsVlanTagsAndIpInIp() {
        byte[] tagged = Packets.etherVlan(MAC_SERVER, MAC_CLIENT, 0x0064, IfEther.ETH_P_IP,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0)));
        assertThat(anc(packets.ethernet(tagged), SKF_AD_PAY_OFFSET)).isEqualTo(18 + 20 + 8);
        byte[] ipip = ether(MAC_SERVER, MAC_CLIENT, IfEther.ETH_P_IP, ipv4(4, "192.0.2.1", "192.0.2.2", 64,
                ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0))));
        assertThat(anc(packets.ethernet(ipip), SKF_AD_PAY_OFFSET)).isEqualTo(14 + 20 + 20 + 8);
    }

    @Test
    void payOffsetCountsFromData() {
        assertThat(anc(packets.atTransport(udpFrame), SKF_AD_PAY_OFFSET)).isEqualTo(8);
        assertThat(anc(packets.rawIp(ipv4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 64, udp(1, 2, 0))), SKF_AD_PAY_OFFSET))
                .isEqualTo(28);
        // ARP ends at the network header
        assertThat(anc(packets.ethernet(Packets.arpRequest("10.0.0.1", "10.0.0.2")), SKF_AD_PAY_OFFSET)).isEqualTo(14);
    }

    @Test
    void payOffsetIsZeroWhenTheDissectorFails() {
        SkBuff truncated = packets.ethernet(udpFrame);
        truncated.trim(14 + 19);
        assertThat(anc(truncated, SKF_AD_PAY_OFFSET)).isZero();
        SkBuff unknown = packets.ethernet(ether(MAC_SERVER, MAC_CLIENT, 0x88b5, new byte[46]));
        assertThat(anc(unknown, SKF_AD_PAY_OFFSET)).isZero();
    }

    // ---- the verdict -----------------------------------------------------------------------

    @Test
    void skFilterTrimCapDropsOnZeroAndTrimsToTheLargerOfCapAndTheResult() throws BpfCheckException {
        BpfProg drop = BpfProg.create(SockFprog.of(stmt(BPF_RET | BPF_K, 0)));
        BpfProg keep64 = BpfProg.create(SockFprog.of(stmt(BPF_RET | BPF_K, 64)));
        BpfProg keepAll = BpfProg.create(SockFprog.of(stmt(BPF_RET | BPF_K, 0xffffffff)));

        SkBuff a = packets.ethernet(udpFrame);
        assertThat(drop.skFilterTrimCap(a, 8, ctx)).isEqualTo(-Errno.EPERM);
        assertThat(a.len()).isEqualTo(142);

        SkBuff b = packets.ethernet(udpFrame);
        assertThat(keep64.skFilterTrimCap(b, 8, ctx)).isZero();
        assertThat(b.len()).isEqualTo(64);

        SkBuff c = packets.ethernet(udpFrame);
        assertThat(keep64.skFilterTrimCap(c, 100, ctx)).isZero();
        assertThat(c.len()).isEqualTo(100);

        SkBuff d = packets.ethernet(udpFrame);
        assertThat(keepAll.skFilterTrimCap(d, 8, ctx)).isZero();
        assertThat(d.len()).isEqualTo(142);
    }

    @Test
    void aRunAllocatesNothing() throws BpfCheckException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BpfProg prog = BpfProg.create(SockFprog.of(
                stmt(BPF_LD | BPF_H | BPF_ABS, 12),
                jump(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 6),
                stmt(BPF_LDX | BPF_B | BPF_MSH, 14),
                stmt(BPF_LD | BPF_H | BPF_IND, 16),
                stmt(BPF_ST, 0),
                stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PAY_OFFSET),
                stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_RANDOM),
                stmt(BPF_LD | BPF_MEM, 0),
                RET_A));
        SkBuff skb = packets.ethernet(udpFrame);
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += prog.run(skb, ctx);
        }
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            sum += prog.run(skb, ctx);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;

        assertThat(sum).isEqualTo(120_000L * 53);
        // a few hundred bytes may come from the measurement itself; an object per run would be megabytes
        assertThat(allocated).isLessThan(4096);
    }

    private int anc(SkBuff skb, int anc) {
        return run(skb, stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + anc), RET_A);
    }

    private int run(SkBuff skb, SockFilter... insns) {
        try {
            return BpfProg.create(SockFprog.of(insns)).run(skb, ctx);
        } catch (BpfCheckException e) {
            throw new AssertionError(e);
        }
    }
}
