package net.linuxnet.packetdrill;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python subset of {@code %{ }%} blocks. */
final class CodeBlockTest {
    static final Map<String, Double> VARS = Map.of("tcpi_state", 1.0, "tcpi_rto", 204000.0, "tcpi_snd_cwnd", 10.0,
            "TCP_ESTABLISHED", 1.0, "tcpi_options", 7.0, "TCPI_OPT_SACK", 2.0);

    static void run(String text) {
        CodeBlock.run(text, VARS::get);
    }

    @Test
    void assertionsThatHold() {
        assertThatCode(() -> run("""
                # a comment
                assert tcpi_state == TCP_ESTABLISHED, tcpi_state
                assert tcpi_rto >= 200000 and tcpi_rto < 300 * 1000; assert 9 < tcpi_snd_cwnd <= 10
                assert (tcpi_options & TCPI_OPT_SACK) != 0
                assert tcpi_rto // 1000 == 204 and not tcpi_snd_cwnd == 11 or False
                assert tcpi_snd_cwnd + 2 - 1 == \\
                    11
                pass
                """)).doesNotThrowAnyException();
    }

    @Test
    void aFalseAssertionAndUnsupportedConstructsFail() {
        assertThatThrownBy(() -> run("assert tcpi_snd_cwnd == 11")).hasMessage("assertion failed: tcpi_snd_cwnd == 11");
        assertThatThrownBy(() -> run("assert tcpi_snd_cwnd == 7, tcpi_snd_cwnd"))
                .hasMessage("assertion failed: tcpi_snd_cwnd == 7 (tcpi_snd_cwnd = 10)");
        assertThatThrownBy(() -> run("assert tcpi_snd_cwnd == 7, 'cwnd'")).hasMessage("assertion failed: tcpi_snd_cwnd == 7 ('cwnd')");
        assertThatThrownBy(() -> run("x = 3")).hasMessageContaining("unsupported statement in %{ }%");
        assertThatThrownBy(() -> run("assert tcpi_bogus == 1")).hasMessageContaining("unknown name 'tcpi_bogus'");
        assertThatThrownBy(() -> run("assert len(tcpi_rto) == 1")).hasMessageContaining("calls, indexing and attributes");
    }
}
