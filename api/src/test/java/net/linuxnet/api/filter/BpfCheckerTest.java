package net.linuxnet.api.filter;

import static net.linuxnet.api.filter.Filter.BPF_A;
import static net.linuxnet.api.filter.Filter.BPF_ABS;
import static net.linuxnet.api.filter.Filter.BPF_ALU;
import static net.linuxnet.api.filter.Filter.BPF_B;
import static net.linuxnet.api.filter.Filter.BPF_DIV;
import static net.linuxnet.api.filter.Filter.BPF_H;
import static net.linuxnet.api.filter.Filter.BPF_IMM;
import static net.linuxnet.api.filter.Filter.BPF_IND;
import static net.linuxnet.api.filter.Filter.BPF_JA;
import static net.linuxnet.api.filter.Filter.BPF_JEQ;
import static net.linuxnet.api.filter.Filter.BPF_JGT;
import static net.linuxnet.api.filter.Filter.BPF_JMP;
import static net.linuxnet.api.filter.Filter.BPF_JSET;
import static net.linuxnet.api.filter.Filter.BPF_K;
import static net.linuxnet.api.filter.Filter.BPF_LD;
import static net.linuxnet.api.filter.Filter.BPF_LDX;
import static net.linuxnet.api.filter.Filter.BPF_LSH;
import static net.linuxnet.api.filter.Filter.BPF_MAXINSNS;
import static net.linuxnet.api.filter.Filter.BPF_MEM;
import static net.linuxnet.api.filter.Filter.BPF_MISC;
import static net.linuxnet.api.filter.Filter.BPF_MOD;
import static net.linuxnet.api.filter.Filter.BPF_RET;
import static net.linuxnet.api.filter.Filter.BPF_RSH;
import static net.linuxnet.api.filter.Filter.BPF_ST;
import static net.linuxnet.api.filter.Filter.BPF_STX;
import static net.linuxnet.api.filter.Filter.BPF_TAX;
import static net.linuxnet.api.filter.Filter.BPF_W;
import static net.linuxnet.api.filter.Filter.BPF_X;
import static net.linuxnet.api.filter.Filter.SKF_AD_MAX;
import static net.linuxnet.api.filter.Filter.SKF_AD_OFF;
import static net.linuxnet.api.filter.Filter.SKF_AD_PROTOCOL;
import static net.linuxnet.api.filter.Filter.SKF_AD_VLAN_TPID;
import static net.linuxnet.api.filter.Filter.SKF_NET_OFF;
import static net.linuxnet.api.filter.SockFilter.jump;
import static net.linuxnet.api.filter.SockFilter.stmt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.linuxnet.api.kernel.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class BpfCheckerTest {

    private static final SockFilter RET_0 = stmt(BPF_RET | BPF_K, 0);
    private static final SockFilter RET_A = stmt(BPF_RET | BPF_A, 0);
    private static final SockFilter RET_ALL = stmt(BPF_RET | BPF_K, 0xffff);

    // ---- what passes -------------------------------------------------------------------------

    @Test
    void acceptsTheSmallestProgram() {
        assertAccepted(SockFprog.of(RET_0));
    }

    @Test
    void acceptsBPF_MAXINSNSInstructions() {
        List<SockFilter> insns = new ArrayList<>(Collections.nCopies(BPF_MAXINSNS - 1, stmt(BPF_LD | BPF_IMM, 1)));
        insns.add(RET_A);
        assertAccepted(new SockFprog(insns));
    }

    @Test
    void acceptsJumpsToTheLastInstruction() {
        assertAccepted(SockFprog.of(
                jump(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 2),
                stmt(BPF_JMP | BPF_JA, 1),
                RET_0,
                RET_ALL));
    }

    @Test
    void acceptsEveryKnownAncillaryLoadInEverySize() {
        for (int size : new int[] {BPF_W, BPF_H, BPF_B}) {
            for (int anc = SKF_AD_PROTOCOL; anc <= SKF_AD_VLAN_TPID; anc += 4) {
                assertAccepted(SockFprog.of(stmt(BPF_LD | size | BPF_ABS, SKF_AD_OFF + anc), RET_A));
            }
        }
    }

    @Test
    void acceptsNegativeOffsetsBelowTheAncillaryRangeAndIndirectLoadsAnywhere() {
        assertAccepted(SockFprog.of(stmt(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 9), RET_A));
        assertAccepted(SockFprog.of(stmt(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF - 1), RET_A));
        // only BPF_ABS is tested against the ancillary range
        assertAccepted(SockFprog.of(stmt(BPF_LD | BPF_W | BPF_IND, SKF_AD_OFF + 2), RET_A));
    }

    @Test
    void acceptsALoadFromMemoryStoredOnEveryPath() {
        assertAccepted(SockFprog.of(
                jump(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 2),
                stmt(BPF_ST, 3),
                stmt(BPF_JMP | BPF_JA, 1),
                stmt(BPF_STX, 3),
                stmt(BPF_LD | BPF_MEM, 3),
                RET_A));
    }

    @Test
    void acceptsDivisionByX() {
        assertAccepted(SockFprog.of(stmt(BPF_ALU | BPF_DIV | BPF_X, 0), stmt(BPF_ALU | BPF_MOD | BPF_X, 0), RET_A));
    }

    @Test
    void acceptsUnreachableCodeAsTheKernelDoes() {
        assertAccepted(SockFprog.of(RET_0, stmt(BPF_LD | BPF_IMM, 7), RET_A));
    }

    // ---- what is refused ---------------------------------------------------------------------

    @Test
    void refusesAnEmptyProgram() {
        BpfCheckException e = refused(SockFprog.of());
        assertThat(e.pc()).isEqualTo(-1);
        assertThat(e).hasMessageContaining("bpf_check_basics_ok: program of 0 instructions (expected: 1..4096");
    }

    @Test
    void refusesMoreThanBPF_MAXINSNSInstructions() {
        BpfCheckException e = refused(new SockFprog(Collections.nCopies(BPF_MAXINSNS + 1, RET_0)));
        assertThat(e.pc()).isEqualTo(-1);
        assertThat(e).hasMessageContaining("program of 4097 instructions");
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {
        0x0e,   // BPF_RET | BPF_X: no return of X
        0x68,   // BPF_LD | BPF_H | BPF_MEM: memory is words only
        0x18,   // BPF_LD | BPF_DW | BPF_IMM: eBPF only
        0x27,   // BPF_MISC with an unknown miscop
        0x49,   // BPF_LDX | BPF_H | BPF_IND: X loads no packet bytes but through BPF_MSH
        0x38,   // BPF_LD | BPF_DW | BPF_ABS: eBPF only
        0x95,   // BPF_JMP | BPF_EXIT: eBPF only
        0xc4,   // BPF_ALU | BPF_ARSH: eBPF only
        0x106,  // BPF_RET | BPF_K with a bit above the low byte
    })
    void refusesAnOpcodeTheKernelDoesNotList(int code) {
        BpfCheckException e = refused(SockFprog.of(stmt(BPF_LD | BPF_IMM, 0), new SockFilter(code, 0, 0, 0), RET_0));
        assertThat(e.pc()).isEqualTo(1);
        assertThat(e).hasMessageContaining("unknown or unsupported opcode 0x" + Integer.toHexString(code));
        assertThat(BpfChecker.chkCodeAllowed(code)).isFalse();
    }

    @Test
    void refusesDivisionByTheConstantZero() {
        BpfCheckException e = refused(SockFprog.of(stmt(BPF_ALU | BPF_DIV | BPF_K, 0), RET_A));
        assertThat(e.pc()).isZero();
        assertThat(e).hasMessageContaining("division by the constant 0");
    }

    @Test
    void refusesModuloByTheConstantZero() {
        BpfCheckException e = refused(SockFprog.of(stmt(BPF_LD | BPF_IMM, 9), stmt(BPF_ALU | BPF_MOD | BPF_K, 0), RET_A));
        assertThat(e.pc()).isEqualTo(1);
        assertThat(e).hasMessageContaining("modulo by the constant 0");
    }

    @Test
    void refusesAShiftByTheConstant32OrMore() {
        assertThat(refused(SockFprog.of(stmt(BPF_ALU | BPF_LSH | BPF_K, 32), RET_A)))
                .hasMessageContaining("shift by 32 (expected: 0..31)");
        assertThat(refused(SockFprog.of(stmt(BPF_ALU | BPF_RSH | BPF_K, -1), RET_A)))
                .hasMessageContaining("shift by 4294967295");
        assertAccepted(SockFprog.of(stmt(BPF_ALU | BPF_LSH | BPF_K, 31), RET_A));
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX})
    void refusesAScratchMemoryIndexOfBPF_MEMWORDSOrMore(int code) {
        BpfCheckException e = refused(SockFprog.of(new SockFilter(code, 0, 0, 16), RET_A));
        assertThat(e.pc()).isZero();
        assertThat(e).hasMessageContaining("scratch memory word M[16] (expected: 0..15");
        assertThat(refused(SockFprog.of(new SockFilter(code, 0, 0, -1), RET_A)))
                .hasMessageContaining("M[4294967295]");
    }

    @Test
    void refusesAnUnconditionalJumpOutOfTheProgram() {
        // from pc 0 of 3, the targets are 1 and 2: k = 2 lands past the end
        BpfCheckException e = refused(SockFprog.of(stmt(BPF_JMP | BPF_JA, 2), RET_0, RET_ALL));
        assertThat(e.pc()).isZero();
        assertThat(e).hasMessageContaining("jump by 2 leaves the program (expected: 0..1)");
        // k is unsigned: no jumping backwards
        assertThat(refused(SockFprog.of(RET_0, stmt(BPF_JMP | BPF_JA, -1), RET_ALL)).pc()).isEqualTo(1);
    }

    @Test
    void refusesAConditionalJumpOutOfTheProgram() {
        BpfCheckException jt = refused(SockFprog.of(jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0), RET_0, RET_ALL));
        assertThat(jt.pc()).isZero();
        assertThat(jt).hasMessageContaining("conditional jump (jt 2, jf 0) leaves the program");
        BpfCheckException jf = refused(SockFprog.of(RET_0, jump(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1), RET_ALL));
        assertThat(jf.pc()).isEqualTo(1);
    }

    @ParameterizedTest(name = "SKF_AD_OFF + {0}")
    @ValueSource(ints = {2, SKF_AD_MAX, 0xfff})
    void refusesAnUnknownAncillaryLoad(int anc) {
        BpfCheckException e = refused(SockFprog.of(stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + anc), RET_A));
        assertThat(e.pc()).isZero();
        assertThat(e).hasMessageContaining("unknown ancillary load SKF_AD_OFF + " + anc);
    }

    @Test
    void refusesAProgramThatDoesNotEndInAReturn() {
        BpfCheckException e = refused(SockFprog.of(stmt(BPF_LD | BPF_IMM, 1)));
        assertThat(e.pc()).isZero();
        assertThat(e).hasMessageContaining("the last instruction is not a return");
        assertThat(refused(SockFprog.of(RET_0, stmt(BPF_MISC | BPF_TAX, 0))).pc()).isEqualTo(1);
    }

    @Test
    void refusesALoadFromMemoryNeverStored() {
        BpfCheckException e = refused(SockFprog.of(stmt(BPF_ST, 1), stmt(BPF_LDX | BPF_MEM, 2), RET_A));
        assertThat(e.pc()).isEqualTo(1);
        assertThat(e).hasMessageContaining("check_load_and_stores: M[2] may be read before it is written");
    }

    @Test
    void refusesALoadFromMemoryStoredOnOnlyOnePath() {
        // the false branch jumps over the store straight to the load
        BpfCheckException e = refused(SockFprog.of(
                jump(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1),
                stmt(BPF_ST, 3),
                stmt(BPF_LD | BPF_MEM, 3),
                RET_A));
        assertThat(e.pc()).isEqualTo(2);
    }

    @Test
    void refusesTheFirstFaultInTheKernelsOrder() {
        // an unknown opcode at pc 1 is found before the missing return at the end
        assertThat(refused(SockFprog.of(RET_0, new SockFilter(0xff, 0, 0, 0), stmt(BPF_LD | BPF_IMM, 0))).pc())
                .isEqualTo(1);
        // and every per-instruction check comes before check_load_and_stores
        assertThat(refused(SockFprog.of(stmt(BPF_LD | BPF_MEM, 0), stmt(BPF_ALU | BPF_DIV | BPF_K, 0), RET_A)))
                .hasMessageContaining("division by the constant 0");
    }

    @Test
    void chkCodeAllowedListsTheKernels49Opcodes() {
        int allowed = 0;
        for (int code = 0; code <= 0xffff; code++) {
            if (BpfChecker.chkCodeAllowed(code)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(49);
        assertThat(BpfChecker.chkCodeAllowed(-1)).isFalse();
    }

    @Test
    void bpfAncHelperKnowsOnlyAbsoluteLoadsAtTheExactOffsets() {
        assertThat(BpfChecker.bpfAncHelper(stmt(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + 8))).isEqualTo(8);
        assertThat(BpfChecker.bpfAncHelper(stmt(BPF_LD | BPF_B | BPF_IND, SKF_AD_OFF + 8))).isEqualTo(-1);
        assertThat(BpfChecker.bpfAncHelper(stmt(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + 9))).isEqualTo(-1);
        assertThat(BpfChecker.bpfAncHelper(stmt(BPF_LD | BPF_B | BPF_ABS, 8))).isEqualTo(-1);
    }

    private static void assertAccepted(SockFprog prog) {
        assertThatCode(() -> BpfChecker.bpfCheckClassic(prog)).doesNotThrowAnyException();
    }

    private static BpfCheckException refused(SockFprog prog) {
        BpfCheckException e = catchThrowableOfType(BpfCheckException.class, () -> BpfChecker.bpfCheckClassic(prog));
        assertThat(e).as("bpf_check_classic refuses %s", prog.filter()).isNotNull();
        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
        assertThat(e).hasMessageEndingWith("(EINVAL)");
        return e;
    }
}
