package net.linuxnet.protocols.ipv4;

import static net.linuxnet.protocols.ipv4.Ipv4Worlds.A;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.B;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.MAC_B;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.mib;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed frames received by {@code b}: each is dropped by {@code ip_rcv} (or reassembly)
 * with the kernel's counter and drop reason, nothing throws, and every skb is freed.
 */
final class IpRcvBadInputTest {

    private static byte[] good() {
        return Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 1, 0, 64, new byte[40]);
    }

    private static byte[] fixCsum(byte[] f) {
        f[24] = 0;
        f[25] = 0;
        int ihl = (f[14] & 0xf) * 4;
        int c = Ipv4Worlds.csum(f, 14, Math.min(Math.max(ihl, 20), f.length - 14));
        f[24] = (byte) (c >> 8);
        f[25] = (byte) c;
        return f;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("shorter than an IP header", (UnaryOperator<byte[]>) f -> java.util.Arrays.copyOf(f, 14 + 12),
                        "IpInHdrErrors", SkbDropReason.IP_INHDR),
                Arguments.of("total length beyond the frame", (UnaryOperator<byte[]>) f -> {
                    f[17] = (byte) 200;
                    return fixCsum(f);
                }, "IpExtInTruncatedPkts", SkbDropReason.PKT_TOO_SMALL),
                Arguments.of("total length below the header", (UnaryOperator<byte[]>) f -> {
                    f[16] = 0;
                    f[17] = 10;
                    return fixCsum(f);
                }, "IpInHdrErrors", SkbDropReason.IP_INHDR),
                Arguments.of("bad header checksum", (UnaryOperator<byte[]>) f -> {
                    f[25] ^= 0x55;
                    return f;
                }, "IpExtInCsumErrors", SkbDropReason.IP_CSUM),
                Arguments.of("IHL 4", (UnaryOperator<byte[]>) f -> {
                    f[14] = 0x44;
                    return fixCsum(f);
                }, "IpInHdrErrors", SkbDropReason.IP_INHDR),
                Arguments.of("IHL beyond the frame", (UnaryOperator<byte[]>) f -> {
                    byte[] s = java.util.Arrays.copyOf(f, 14 + 24);
                    s[14] = 0x4f;
                    return s;
                }, "IpInHdrErrors", SkbDropReason.IP_INHDR),
                Arguments.of("version 6 in an ETH_P_IP frame", (UnaryOperator<byte[]>) f -> {
                    f[14] = 0x65;
                    return fixCsum(f);
                }, "IpInHdrErrors", SkbDropReason.IP_INHDR),
                Arguments.of("not for this host with forwarding off", (UnaryOperator<byte[]>) f -> {
                    f[33] = 99;
                    return fixCsum(f);
                }, "IpInAddrErrors", SkbDropReason.IP_INADDRERRORS),
                Arguments.of("martian source 0.0.0.0/8", (UnaryOperator<byte[]>) f -> {
                    f[26] = 0;
                    return fixCsum(f);
                }, "IpInReceives", SkbDropReason.IP_INVALID_SOURCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedFrameIsDroppedAndCounted(String name, UnaryOperator<byte[]> mangle, String counter, SkbDropReason reason) {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(""));
        Host b = w.host("b");
        byte[] frame = mangle.apply(good());
        Ipv4Worlds.at(b, 1_000, h -> Ipv4Worlds.inject(h, "veth0", frame));
        w.runUntil(1_000_000);
        w.finish();

        assertThat(mib(b, counter)).as(counter).isEqualTo(1);
        assertThat(b.drops(reason)).as(reason.name()).isEqualTo(1);
        assertThat(b.dropReasons()).as("only that drop").hasSize(1);
        assertThat(mib(b, "IpInDelivers")).isZero();
    }

    @Test
    void overlappingFragmentsKillTheQueue() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(""));
        Host b = w.host("b");
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(b, 253);
        b.inetAddProtocol(sink);
        byte[] f1 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 9, Ipv4.IP_MF, 64, new byte[64]);
        byte[] f2 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 9, Ipv4.IP_MF | 4, 64, new byte[64]); // 32..96 overlaps 0..64
        byte[] f3 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 9, 12, 64, new byte[16]);
        Ipv4Worlds.at(b, 1_000, h -> {
            Ipv4Worlds.inject(h, "veth0", f1);
            Ipv4Worlds.inject(h, "veth0", f2);
            Ipv4Worlds.inject(h, "veth0", f3);
        });
        w.runUntil(1_000_000);
        assertThat(mib(b, "IpExtReasmOverlaps")).isEqualTo(1);
        assertThat(mib(b, "IpReasmFails")).isEqualTo(1);
        assertThat(sink.received).isEmpty();
        w.finish();
    }

    @Test
    void anExactDuplicateFragmentIsDroppedAloneAndTheDatagramStillCompletes() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(""));
        Host b = w.host("b");
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(b, 253);
        b.inetAddProtocol(sink);
        byte[] f1 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 9, Ipv4.IP_MF, 64, new byte[64]);
        byte[] f2 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 9, 8, 64, new byte[16]);
        Ipv4Worlds.at(b, 1_000, h -> {
            Ipv4Worlds.inject(h, "veth0", f1);
            Ipv4Worlds.inject(h, "veth0", f1);
            Ipv4Worlds.inject(h, "veth0", f2);
        });
        w.runUntil(1_000_000);
        w.finish();
        assertThat(b.drops(SkbDropReason.DUP_FRAG)).isEqualTo(1);
        assertThat(mib(b, "IpReasmOKs")).isEqualTo(1);
        assertThat(sink.received).hasSize(1);
        assertThat(sink.received.get(0)).hasSize(80);
    }

    @Test
    void anIncompleteDatagramTimesOutWithTimeExceeded() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario("sysctl { \"net.ipv4.ip_forward\" = 1 }")
                .replace("duration = 1s", "duration = 40s"));
        Host a = w.host("a");
        Host b = w.host("b");
        byte[] f1 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 9, Ipv4.IP_MF, 64, new byte[64]);
        Ipv4Worlds.at(b, 1_000, h -> Ipv4Worlds.inject(h, "veth0", f1));
        w.runUntil(31_000_000_000L);
        w.finish();
        assertThat(mib(b, "IpReasmTimeout")).isEqualTo(1);
        assertThat(mib(b, "IpReasmFails")).isEqualTo(1);
        assertThat(b.drops(SkbDropReason.FRAG_REASM_TIMEOUT)).isEqualTo(1);
        assertThat(mib(b, "IcmpOutTimeExcds")).isEqualTo(1);
        assertThat(mib(a, "IcmpInTimeExcds")).isEqualTo(1);
    }

    @Test
    void randomBytesNeverThrow() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(""));
        Host b = w.host("b");
        SplittableRandom rnd = new SplittableRandom(42);
        int n = 500;
        Ipv4Worlds.at(b, 1_000, h -> {
            for (int i = 0; i < n; i++) {
                byte[] f = new byte[14 + rnd.nextInt(0, 120)];
                rnd.nextBytes(f);
                byte[] mac = IfEther.parseMac(MAC_B);
                System.arraycopy(mac, 0, f, 0, 6);
                f[12] = 0x08;
                f[13] = 0x00;
                if (f.length > 14 && (i & 1) == 0) {
                    f[14] = 0x45; // half of them get past the version check
                }
                Ipv4Worlds.inject(h, "veth0", f);
            }
        });
        w.runUntil(10_000_000);
        w.finish();
        long drops = b.dropReasons().values().stream().mapToLong(Long::longValue).sum();
        assertThat(drops).isEqualTo(n);
        assertThat(mib(b, "IpInReceives")).isEqualTo(n);
        assertThat(List.of(b.pool().live())).containsExactly(0L);
        assertThat(Map.copyOf(b.dropReasons())).doesNotContainKey(SkbDropReason.NOT_SPECIFIED);
    }

    @Test
    void aboveIpfragHighThreshNewDatagramsAreRefused() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario("").replace("b { devices",
                "b { sysctl { \"net.ipv4.ipfrag_high_thresh\" = 1 }\n devices"));
        Host b = w.host("b");
        byte[] f1 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 1, Ipv4.IP_MF, 64, new byte[64]);
        byte[] f2 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 2, Ipv4.IP_MF, 64, new byte[64]);
        Ipv4Worlds.at(b, 1_000, h -> {
            Ipv4Worlds.inject(h, "veth0", f1);
            Ipv4Worlds.inject(h, "veth0", f2);
        });
        w.runUntil(1_000_000);
        w.finish();
        assertThat(mib(b, "IpReasmReqds")).isEqualTo(2);
        assertThat(mib(b, "IpReasmFails")).isEqualTo(1);
        assertThat(b.drops(SkbDropReason.QUEUE_PURGE)).isEqualTo(1);
        assertThat(mib(b, "IpExtInNoECTPkts")).isEqualTo(2);
    }

    /**
     * Well-formed headers with random fields (fragment offsets and flags, protocols, TTLs,
     * addresses, lengths) into a forwarding router and a host: every path (forward, ICMP,
     * reassembly, errors) runs, nothing throws, and the leak check proves every skb freed.
     */
    @Test
    void randomValidHeadersNeverThrowAndEverySkbIsFreed() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario("sysctl { \"net.ipv4.ip_forward\" = 1 }")
                .replace("duration = 1s", "duration = 40s"));
        SplittableRandom rnd = new SplittableRandom(7);
        int[] addrs = {A, B, Ipv4Worlds.R0, Ipv4Worlds.R1, 0x0a0001ff, 0xffffffff, 0x7f000001, 0x0b000001, 0xe0000001, 0};
        int[] protos = {1, 253, 17, 6, 99};
        for (String target : new String[] {"r", "b"}) {
            Host h = w.host(target);
            String mac = target.equals("r") ? Ipv4Worlds.MAC_R0 : MAC_B;
            for (int burst = 0; burst < 20; burst++) {
            Ipv4Worlds.at(h, 1_000 + burst * 1_000_000L, host -> {
                for (int i = 0; i < 100; i++) {
                    byte[] payload = new byte[rnd.nextInt(0, 1600)];
                    rnd.nextBytes(payload);
                    if (rnd.nextBoolean() && payload.length >= 8) {
                        payload[0] = (byte) rnd.nextInt(0, 20); // plausible ICMP types
                    }
                    int frag = rnd.nextInt(4) == 0 ? rnd.nextInt(0, 0x10000) : (rnd.nextBoolean() ? Ipv4.IP_DF : 0);
                    byte[] f = Ipv4Worlds.ipFrame(mac, addrs[rnd.nextInt(addrs.length)], addrs[rnd.nextInt(addrs.length)],
                            protos[rnd.nextInt(protos.length)], rnd.nextInt(0, 4), frag, rnd.nextInt(0, 3), payload);
                    Ipv4Worlds.inject(host, "veth0", f);
                }
            });
            }
        }
        w.runUntil(35_000_000_000L);
        w.finish();
        assertThat(mib(w.host("r"), "IpInReceives")).isGreaterThanOrEqualTo(2000); // plus what b answers
        assertThat(mib(w.host("b"), "IpInReceives")).isGreaterThanOrEqualTo(2000);
    }
}
