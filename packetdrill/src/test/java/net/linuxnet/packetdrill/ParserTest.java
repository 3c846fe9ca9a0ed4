package net.linuxnet.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grammar of {@code parser.y} as far as the runner needs it, and its errors with file:line. */
final class ParserTest {

    @Test
    void optionsTimesPacketsSyscallsCommandsAndCode() {
        Script s = Parser.parse("t.pkt", """
                // comment
                --tolerance_usecs=10000
                --ip_version=ipv4
                `../common/defaults.sh`
                0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 /* inline */
                +0  setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
                +.1...0.3 accept(3, ..., ...) = 4
                +0  < [tos 0x10] 40001>8080 S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
                +0.2~+0.4 > S. 0:0(0) ack 1 <...>
                *   > R 1:1(0) win 0
                +0  > . 1:1001(1000) ack 1 <nop,nop,sack 1:2 3:4>
                +0  connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0  `sysctl -q net.ipv4.tcp_syncookies=0`
                +0  %{ assert tcpi_state == TCP_ESTABLISHED }%
                """);
        assertThat(s.options()).containsEntry("tolerance_usecs", "10000").containsEntry("ip_version", "ipv4");
        List<Script.Event> ev = s.events();
        assertThat(ev).hasSize(11);
        assertThat(ev.get(0).timeType()).isEqualTo(Script.TimeType.NONE);
        assertThat(ev.get(1).line()).isEqualTo(5);
        Script.Event blocking = ev.get(3);
        assertThat(blocking.blocking()).isTrue();
        assertThat(blocking.startUs()).isEqualTo(100_000);
        assertThat(blocking.endUs()).isEqualTo(300_000);
        Script.Packet syn = (Script.Packet) ev.get(4).action();
        assertThat(syn.inbound()).isTrue();
        assertThat(syn.srcPort()).isEqualTo(40001);
        assertThat(syn.dstPort()).isEqualTo(8080);
        assertThat(syn.tos()).isEqualTo(0x10);
        assertThat(syn.options()).extracting(Script.TcpOption::kind).containsExactly("mss", "sackOK", "TS", "nop", "wscale");
        assertThat(ev.get(5).timeType()).isEqualTo(Script.TimeType.RELATIVE_RANGE);
        assertThat(((Script.Packet) ev.get(5).action()).options()).isNull();
        assertThat(ev.get(6).timeType()).isEqualTo(Script.TimeType.ANY);
        Script.Packet data = (Script.Packet) ev.get(7).action();
        assertThat(data.len()).isEqualTo(1000);
        assertThat(data.options().get(2).blocks()).hasSize(2);
        Script.Syscall connect = (Script.Syscall) ev.get(8).action();
        assertThat(connect.errno()).isEqualTo("EINPROGRESS");
        assertThat(ev.get(10).action()).isInstanceOf(Script.Code.class);
    }

    @Test
    void errorsNameFileAndLine() {
        assertError("0 < S 0:0(0) <mss 1460>\n", "t.pkt:1: error: missing window for inbound TCP packet");
        assertError("0 socket(..., SOCK_STREAM, 0) = 3\n+0 < S 0:10(0) win 100\n",
                "t.pkt:2: error: inconsistent TCP sequence numbers and payload length: 0:10(0)");
        assertError("0 socket(..., SOCK_STREAM, 0) = 3\n\n+0 > SX 0:0(0)\n", "t.pkt:3: error: bad TCP flags 'SX'");
        assertError("0~1 < S 0:0(0) win 1\n", "t.pkt:1: error: a time range or '*' is only allowed on outbound packets");
        assertError("1 socket(..., SOCK_STREAM, 0) = 3\n", "t.pkt:1: error: first event should be at time 0");
        assertError("0 > S 0:0(0) <mss 1460,nop>\n", "t.pkt:1: error: TCP options are 5 bytes: not a multiple of 4");
        assertError("0 socket(..., SOCK_STREAM, 0) = 3\n+0 %{ assert 1\n", "t.pkt:2: error: unterminated %{ code block");
        assertError("0 < udp (100)\n", "t.pkt:1: error: unsupported packet type 'udp'");
        assertError("0 > S 0:0(0) <FO abcd>\n", "t.pkt:1: error: unsupported TCP option 'FO'");
        assertError("0 socket(..., SOCK_STREAM, 0)\n", "t.pkt:2: error: syntax error: expected '=' but found end of file");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> Parser.parse("t.pkt", text)).isInstanceOf(ScriptError.class).hasMessageStartingWith(message);
    }

    /** Every prefix of a script parses or fails with a ScriptError, never another exception. */
    @Test
    void truncatedScriptsFailCleanly() {
        String text = """
                --tolerance_usecs=10000
                `../common/defaults.sh`
                0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 /* c */
                +0  setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
                +0  sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 50}, {..., 150}], msg_flags=0}, 0) = 200
                +.1...0.3 accept(3, ..., ...) = 4
                +0  < [tos 0x10] 40001>8080 S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
                +0.2~+0.4 > S. 0:0(0) ack 1 <nop,nop,sack 1:2 3:4>
                +0  connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0  %{ assert tcpi_state == TCP_ESTABLISHED }%
                """;
        for (int n = 0; n <= text.length(); n++) {
            String prefix = text.substring(0, n);
            try {
                Parser.parse("t.pkt", prefix);
            } catch (ScriptError expected) {
                assertThat(expected.getMessage()).startsWith("t.pkt");
            }
        }
    }
}
