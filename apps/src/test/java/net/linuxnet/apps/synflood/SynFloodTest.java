package net.linuxnet.apps.synflood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import net.linuxnet.api.config.OptionException;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.apps.testing.TestingKernel;
import net.linuxnet.core.config.OptionsView;
import org.junit.jupiter.api.Test;

/** The SYNs {@code syn-flood} builds, parsed back byte by byte, its pacing and its options. */
final class SynFloodTest {
    private static final byte[] DEV_MAC = IfEther.parseMac("02:00:00:00:00:0a");

    private static Options options(String hocon) {
        return new OptionsView(ConfigFactory.parseString(hocon).root(), "linuxnet.hosts.a.apps.flood");
    }

    private static final String BASE = "dev = eth0, dst = \"10.0.0.2:80\", dst-mac = \"02:00:00:00:00:0b\", ";

    @Test
    void ratesInPacketsPerSecondInThreeSpellings() {
        assertThat(SynFloodOptions.parse(options(BASE + "rate = 50kpps")).ratePps()).isEqualTo(50_000);
        assertThat(SynFloodOptions.parse(options(BASE + "rate = 50000pps")).ratePps()).isEqualTo(50_000);
        assertThat(SynFloodOptions.parse(options(BASE + "rate = \"50000/s\"")).ratePps()).isEqualTo(50_000);
        assertThatThrownBy(() -> SynFloodOptions.parse(options(BASE + "rate = 10mbit")))
                .isInstanceOf(OptionException.class).hasMessageContaining("is a bit rate");
        assertThatThrownBy(() -> SynFloodOptions.parse(options(BASE + "rate = \"fast/s\"")))
                .isInstanceOf(OptionException.class).hasMessageContaining("50kpps or 50000/s");
    }

    @Test
    void defaultsAndSources() {
        SynFloodOptions o = SynFloodOptions.parse(options(BASE + "rate = 1kpps"));
        assertThat(SockaddrIn.ntoa(o.srcNet())).isEqualTo("198.18.0.0");
        assertThat(o.srcPrefix()).isEqualTo(15);
        assertThat(o.sourceCount()).isEqualTo(131_072);
        assertThat(o.count()).isZero();
        assertThat(o.mss()).isEqualTo(1460);
        assertThat(o.wscale()).isEqualTo(7);
        assertThat(o.ttl()).isEqualTo(64);
        assertThat(o.dst().port).isEqualTo(80);
        SynFloodOptions host = SynFloodOptions.parse(options(BASE + "rate = 1kpps, sources = \"192.0.2.77/24\""));
        assertThat(SockaddrIn.ntoa(host.srcNet())).isEqualTo("192.0.2.0");
        assertThatThrownBy(() -> SynFloodOptions.parse(options(BASE + "rate = 1kpps, sources = \"198.18.0.0/33\"")))
                .isInstanceOf(OptionException.class).hasMessageContaining("is not an IPv4 prefix");
        assertThatThrownBy(() -> SynFloodOptions.parse(options("dev = eth0, dst = \"10.0.0.2:80\", rate = 1kpps")))
                .isInstanceOf(OptionException.class).hasMessageContaining("dst-mac");
    }

    @Test
    void aSynLooksLikeLinuxsWithGoodChecksums() {
        TestingKernel kernel = new TestingKernel();
        NetDevice dev = kernel.addDevice("eth0", DEV_MAC);
        SynFlood flood = new SynFlood("flood", kernel, dev, SynFloodOptions.parse(options(BASE + "rate = 1kpps")),
                kernel.costStage(SynFlood.COST_STAGE));
        SkBuff skb = kernel.pool.allocSkb(256);
        skb.reserve(32);
        int saddr = SockaddrIn.aton("198.19.1.2");
        flood.fillSyn(skb, saddr, 40000, 0x01020304, 0x0506, 0x0a0b0c0d);
        byte[] f = skb.toByteArray();
        kernel.consumeSkb(skb);

        assertThat(f).hasSize(SynFlood.FRAME_LEN).hasSize(74);
        String hex = HexFormat.of().formatHex(f);
        assertThat(hex.substring(0, 28)).isEqualTo("02000000000b" + "02000000000a" + "0800");
        // IPv4: 45 00, tot_len 60, id 0x0506, DF, ttl 64, TCP, check, 198.19.1.2 -> 10.0.0.2
        assertThat(hex.substring(28, 48)).isEqualTo("4500" + "003c" + "0506" + "4000" + "40" + "06");
        assertThat(hex.substring(52, 68)).isEqualTo("c6130102" + "0a000002");
        assertThat(Checksum.ipFastCsum(f, 14, 5)).isZero();
        // TCP: 40000 -> 80, seq, ack 0, doff 10, SYN, window 64240
        assertThat(hex.substring(68, 100)).isEqualTo("9c40" + "0050" + "01020304" + "00000000" + "a0" + "02" + "faf0");
        assertThat(hex.substring(104, 108)).isEqualTo("0000");   // urgent pointer
        // options: MSS 1460, SACK permitted, timestamps TSval/TSecr 0, NOP, window scale 7
        assertThat(hex.substring(108)).isEqualTo("020405b4" + "0402" + "080a" + "0a0b0c0d" + "00000000" + "01" + "030307");
        int sum = Checksum.csumPartial(f, 34, 40, 0);
        assertThat(Checksum.csumTcpudpMagic(saddr, SockaddrIn.aton("10.0.0.2"), 40, Checksum.IPPROTO_TCP, sum)).isZero();
    }

    @Test
    void sendsAtItsRateFromSpoofedSourcesUntilCount() {
        TestingKernel kernel = new TestingKernel();
        NetDevice dev = kernel.addDevice("eth0", DEV_MAC);
        SynFlood flood = new SynFlood("flood", kernel, dev,
                SynFloodOptions.parse(options(BASE + "rate = 10kpps, count = 500")), kernel.costStage(SynFlood.COST_STAGE));
        flood.start();
        kernel.runUntil(10_000_000L);                  // 10 ms at 10 kpps: 100 SYNs
        assertThat(flood.sent()).isEqualTo(100);
        kernel.runUntil(1_000_000_000L);
        assertThat(flood.sent()).isEqualTo(500);
        assertThat(kernel.task.stopped).isTrue();
        assertThat(kernel.queueXmitted).hasSize(500);
        Set<Integer> sources = new HashSet<>();
        for (byte[] f : kernel.queueXmitted) {
            int saddr = ((f[26] & 0xff) << 24) | ((f[27] & 0xff) << 16) | ((f[28] & 0xff) << 8) | (f[29] & 0xff);
            assertThat(saddr >>> 17).isEqualTo(SockaddrIn.aton("198.18.0.0") >>> 17);
            sources.add(saddr);
            int sport = ((f[34] & 0xff) << 8) | (f[35] & 0xff);
            assertThat(sport).isBetween(1024, 65535);
            assertThat(Checksum.ipFastCsum(f, 14, 5)).isZero();
            int sum = Checksum.csumPartial(f, 34, 40, 0);
            assertThat(Checksum.csumTcpudpMagic(saddr, SockaddrIn.aton("10.0.0.2"), 40, Checksum.IPPROTO_TCP, sum)).isZero();
        }
        assertThat(sources).hasSizeGreaterThan(490);
        assertThat(kernel.pool.live()).isZero();
    }
}
