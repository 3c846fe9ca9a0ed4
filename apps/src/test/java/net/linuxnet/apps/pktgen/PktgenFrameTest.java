package net.linuxnet.apps.pktgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import net.linuxnet.api.config.Rate;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffPool;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.apps.net.NetUtils;
import org.junit.jupiter.api.Test;

/** The bytes {@code fill_packet_ipv4} writes, checked without an engine. */
final class PktgenFrameTest {

    private static final byte[] DEV_MAC = IfEther.parseMac("02:00:00:00:00:01");
    private static final byte[] DST_MAC = IfEther.parseMac("02:00:00:00:00:02");
    private static final int SADDR = (int) NetUtils.in4Pton("10.0.0.1");
    private static final int DADDR = (int) NetUtils.in4Pton("10.0.0.2");

    private final SkBuffPool pool = new SkBuffPool(true);

    @Test
    void defaultFrameIsKernelLayout() {
        PktgenDev pktgen = pktgen(PktgenOptions.DEFAULT_PKT_SIZE, 1, true, 0x10);
        SkBuff skb = pktgen.fillPacketIpv4(dirtySkb(), 1_234_567_890_123L);
        byte[] f = skb.toByteArray();

        assertThat(f).hasSize(58);
        assertThat(skb.data()).isEqualTo(skb.macHeader());
        assertThat(skb.networkHeader()).isEqualTo(skb.data() + 14);
        assertThat(skb.transportHeader()).isEqualTo(skb.data() + 34);
        assertThat(skb.protocol()).isEqualTo(IfEther.ETH_P_IP);
        assertThat(skb.queueMapping()).isZero();

        String hex = HexFormat.of().formatHex(f);
        // Ethernet: dst, src (the device's), 0x0800
        assertThat(hex.substring(0, 28)).isEqualTo("020000000002" + "020000000001" + "0800");
        // IPv4: 45, tos 10, tot_len 44, id 0, frag 0, ttl 32, proto 17, check, 10.0.0.1, 10.0.0.2
        assertThat(hex.substring(28, 48)).isEqualTo("4510" + "002c" + "0000" + "0000" + "20" + "11");
        assertThat(hex.substring(52, 68)).isEqualTo("0a000001" + "0a000002");
        assertThat(Checksum.ipFastCsum(f, 14, 5)).isZero();
        // UDP: 9 -> 9, len 24
        assertThat(hex.substring(68, 80)).isEqualTo("0009" + "0009" + "0018");
        assertThat(udpChecksumVerifies(f)).isTrue();
        // pktgen header: magic, seq 1, tv_sec 1234, tv_usec 567890
        assertThat(hex.substring(84, 116)).isEqualTo("be9be955" + "00000001" + "000004d2" + "0008aa52");
    }

    @Test
    void payloadIsZeroedOnRecycledData() {
        PktgenDev pktgen = pktgen(200, 1, true, 0);
        byte[] f = pktgen.fillPacketIpv4(dirtySkb(), 0).toByteArray();
        assertThat(f).hasSize(200);
        assertThat(Arrays.copyOfRange(f, 58, 200)).containsOnly((byte) 0);
        assertThat(udpChecksumVerifies(f)).isTrue();
    }

    @Test
    void shortSizeStillHoldsPktgenHeader() {
        PktgenDev pktgen = pktgen(PktgenOptions.MIN_PKT_SIZE, 1, false, 0);
        byte[] f = pktgen.fillPacketIpv4(dirtySkb(), 0).toByteArray();
        assertThat(f).hasSize(PktgenOptions.MIN_FRAME);
        // without F_UDPCSUM the check field stays 0, as pktgen's default
        assertThat(f[40]).isZero();
        assertThat(f[41]).isZero();
    }

    @Test
    void sourcePortWalksFlowsAndIpIdIncrements() {
        PktgenDev pktgen = pktgen(64, 3, true, 0);
        int[] ports = new int[5];
        int[] ids = new int[5];
        for (int i = 0; i < 5; i++) {
            byte[] f = pktgen.fillPacketIpv4(dirtySkb(), 0).toByteArray();
            ports[i] = ((f[34] & 0xff) << 8) | (f[35] & 0xff);
            ids[i] = ((f[18] & 0xff) << 8) | (f[19] & 0xff);
            assertThat(Checksum.ipFastCsum(f, 14, 5)).isZero();
            assertThat(udpChecksumVerifies(f)).isTrue();
        }
        // mod_cur_headers increments before the first packet: min+1, ..., wrapping to min.
        assertThat(ports).containsExactly(10, 11, 9, 10, 11);
        assertThat(ids).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void delayFollowsPktgenRate() {
        PktgenOptions pps = options(64, 1, true, 0, Rate.packetsPerSecond(200_000));
        PktgenOptions bits = options(125, 1, true, 0, Rate.bitsPerSecond(1_000_000));
        assertThat(pps.delayNs()).isEqualTo(5_000.0);
        assertThat(bits.delayNs()).isEqualTo(1_000_000.0);
        assertThat(options(64, 1, true, 0, null).delayNs()).isZero();
    }

    private PktgenDev pktgen(int size, int flows, boolean udpCsum, int tos) {
        NetDevice dev = new NetDevice(null, "eth0", 1, 1, 1);
        dev.setDevAddr(DEV_MAC);
        PktgenDev pktgen = new PktgenDev("gen", null, dev, options(size, flows, udpCsum, tos, null), null);
        pktgen.pktgenSetupInject();
        return pktgen;
    }

    private static PktgenOptions options(int size, int flows, boolean udpCsum, int tos, Rate rate) {
        return new PktgenOptions("eth0", DST_MAC, null, SADDR, DADDR, rate, size, 9, flows, 9, 0, 1, 0,
                XmitMode.M_START_XMIT, 32, tos, udpCsum);
    }

    /** An empty skb with NET_SKB_PAD of headroom whose recycled data block is full of garbage. */
    private SkBuff dirtySkb() {
        SkBuff dirty = pool.allocSkb(512);
        Arrays.fill(dirty.head(), (byte) 0x55);
        assertThat(dirty.unref()).isTrue();
        pool.release(dirty);
        SkBuff skb = pool.allocSkb(512);
        skb.reserve(IfEther.NET_SKB_PAD);
        return skb;
    }

    private static boolean udpChecksumVerifies(byte[] f) {
        int saddr = ((f[26] & 0xff) << 24) | ((f[27] & 0xff) << 16) | ((f[28] & 0xff) << 8) | (f[29] & 0xff);
        int daddr = ((f[30] & 0xff) << 24) | ((f[31] & 0xff) << 16) | ((f[32] & 0xff) << 8) | (f[33] & 0xff);
        int len = ((f[38] & 0xff) << 8) | (f[39] & 0xff);
        int sum = Checksum.csumPartial(f, 34, len, 0);
        return Checksum.csumTcpudpMagic(saddr, daddr, len, Checksum.IPPROTO_UDP, sum) == 0;
    }
}
