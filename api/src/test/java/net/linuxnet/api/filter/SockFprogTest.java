package net.linuxnet.api.filter;

import static net.linuxnet.api.filter.Filter.BPF_ABS;
import static net.linuxnet.api.filter.Filter.BPF_H;
import static net.linuxnet.api.filter.Filter.BPF_JEQ;
import static net.linuxnet.api.filter.Filter.BPF_JMP;
import static net.linuxnet.api.filter.Filter.BPF_K;
import static net.linuxnet.api.filter.Filter.BPF_LD;
import static net.linuxnet.api.filter.Filter.BPF_RET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;

final class SockFprogTest {

    private static final String IP_SRC = """
            # tcpdump -y EN10MB -dd 'ip src 10.0.0.1' -- tcpdump 4.99.3, libpcap 1.10.3
            { 0x28, 0, 0, 0x0000000c },
            { 0x15, 0, 3, 0x00000800 },
            { 0x20, 0, 0, 0x0000001a },
            { 0x15, 0, 1, 0x0a000001 },
            { 0x6, 0, 0, 0x00040000 },
            { 0x6, 0, 0, 0x00000000 },
            """;

    @Test
    void parsesTcpdumpDdOutputAndSkipsTheHeaderComment() {
        SockFprog prog = SockFprog.parseTcpdumpDd(IP_SRC);

        assertThat(prog.len()).isEqualTo(6);
        assertThat(prog.insn(0)).isEqualTo(SockFilter.stmt(BPF_LD | BPF_H | BPF_ABS, 12));
        assertThat(prog.insn(1)).isEqualTo(SockFilter.jump(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 3));
        assertThat(prog.insn(3).k()).isEqualTo(0x0a000001);
        assertThat(prog.insn(4)).isEqualTo(SockFilter.stmt(BPF_RET | BPF_K, 262144));
    }

    @Test
    void printsWhatItParsesAsTcpdumpDoes() {
        SockFprog prog = SockFprog.parseTcpdumpDd(IP_SRC);

        assertThat(prog.toTcpdumpDd()).isEqualTo(IP_SRC.substring(IP_SRC.indexOf('\n') + 1));
        assertThat(SockFprog.parseTcpdumpDd(prog.toTcpdumpDd())).isEqualTo(prog);
    }

    @Test
    void acceptsCLiteralsSlashCommentsBlankLinesAndAMissingComma() {
        SockFprog prog = SockFprog.parseTcpdumpDd("""
                // made by hand

                {0x06,0,0,0xffffffff},
                { 6, 255, 010, -4096 }
                """);

        assertThat(prog.filter()).containsExactly(
                new SockFilter(0x06, 0, 0, 0xffffffff),
                new SockFilter(6, 255, 8, Filter.SKF_AD_OFF));
    }

    @Test
    void namesTheLineOfAnythingElse() {
        assertThatThrownBy(() -> SockFprog.parseTcpdumpDd("{ 0x28, 0, 0, 0xc },\n(000) ldh [12]\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 2: '(000) ldh [12]' is not a classic BPF instruction");
        assertThatThrownBy(() -> SockFprog.parseTcpdumpDd("{ 0x28, 0, 0 },"))
                .hasMessageStartingWith("line 1:");
        assertThatThrownBy(() -> SockFprog.parseTcpdumpDd("{ 0x28, zero, 0, 0xc },"))
                .hasMessageContaining("jt 'zero' is not a C integer literal");
    }

    @Test
    void refusesFieldsTheStructCannotHold() {
        assertThatThrownBy(() -> SockFprog.parseTcpdumpDd("{ 0x10000, 0, 0, 0 },"))
                .hasMessageContaining("code 0x10000 is out of range");
        assertThatThrownBy(() -> SockFprog.parseTcpdumpDd("{ 0x15, 256, 0, 0 },"))
                .hasMessageContaining("jt 256 is out of range");
        assertThatThrownBy(() -> SockFprog.parseTcpdumpDd("{ 0x6, 0, 0, 0x100000000 },"))
                .hasMessageContaining("k 0x100000000 is out of range");
        assertThatThrownBy(() -> new SockFilter(0x15, 0, -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jf: -1 (expected: 0..255)");
        assertThatThrownBy(() -> new SockFprog(Collections.nCopies(0x10000, SockFilter.stmt(BPF_RET | BPF_K, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("len: 65536 (expected: <= 65535, an unsigned short)");
    }

    @Test
    void keepsAnEmptyProgramForTheCheckerToRefuse() {
        assertThat(SockFprog.parseTcpdumpDd("# nothing\n").len()).isZero();
    }
}
