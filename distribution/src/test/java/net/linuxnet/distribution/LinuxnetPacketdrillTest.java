package net.linuxnet.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linuxnet packetdrill}: PASS per passing script, FAIL with file:line and exit 1 otherwise. */
final class LinuxnetPacketdrillTest {

    static final String HANDSHAKE = """
            // passive open
            0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0  bind(3, ..., ...) = 0
            +0  listen(3, 1) = 0
            +0  < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
            +0  > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 100,nop,wscale 7>
            +.1 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 200 ecr 100>
            +0  accept(3, ..., ...) = 4
            """;

    @TempDir
    Path tmp;

    Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aPassingScriptPrintsPass() throws IOException {
        Path f = write("handshake.pkt", HANDSHAKE);

        Cli.Result r = Cli.run("packetdrill", "--tolerance_usecs=1000", f.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("PASS " + f + System.lineSeparator());
    }

    @Test
    void aMismatchPrintsTheLineExpectedAndActualAndExitsOne() throws IOException {
        Path good = write("good.pkt", HANDSHAKE);
        Path bad = write("bad.pkt", HANDSHAKE.replace("> S. 0:0(0) ack 1 <", "> S. 0:0(0) ack 1 win 1000 <"));

        Cli.Result r = Cli.run("packetdrill", good.toString(), bad.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("PASS " + good)
                .contains("FAIL " + bad + ":6: error handling packet: bad outbound TCP window: expected 1000 vs actual 65160")
                .contains("expected: > S. 0:0(0) ack 1 win 1000 <mss 1460,sackOK,TS val 100 ecr 100,nop,wscale 7>")
                .contains("actual:   > 8080>");
    }

    @Test
    void anUnsupportedConstructFailsNamingIt() throws IOException {
        Path f = write("udp.pkt", "0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n+0 < udp (100)\n");

        Cli.Result r = Cli.run("packetdrill", f.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL " + f + ":2: error: unsupported packet type 'udp'");
    }

    @Test
    void theDefaultsProfileAndAnInitTcConfigureTheHost() throws IOException {
        Path f = write("defaults.pkt", """
                --tolerance_usecs=10000
                `../common/defaults.sh; tc qdisc replace dev tun0 root pfifo limit 100`
                0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0  bind(3, ..., ...) = 0
                +0  listen(3, 1) = 0
                +0  < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
                +0  > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 100,nop,wscale 8>
                """);

        Cli.Result r = Cli.run("packetdrill", f.toString());

        assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void dryRunOnlyParses() throws IOException {
        Path f = write("never.pkt", HANDSHAKE.replace("accept(3, ..., ...) = 4", "accept(3, ..., ...) = 9"));
        Path broken = write("broken.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 > S 0:5(0)\n");

        Cli.Result r = Cli.run("packetdrill", "--dry_run", f.toString(), broken.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("PASS " + f)
                .contains("FAIL " + broken + ":2: error: inconsistent TCP sequence numbers and payload length: 0:5(0)");
    }
}
