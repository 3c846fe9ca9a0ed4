package net.linuxnet.core.dev;

import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffPool;
import org.junit.jupiter.api.Test;

/** {@code skb_get_hash} as {@code skb_tx_hash} uses it: per flow, stable, cached in the skb. */
final class SkbTxHashTest {
    private final SkBuffPool pool = new SkBuffPool(true);

    private SkBuff udp(int saddr, int daddr, int sport, int dport) {
        SkBuff skb = pool.allocSkb(128);
        skb.reserve(16);
        int nh = skb.put(28);
        skb.setNetworkHeader(nh);
        skb.setProtocol(IfEther.ETH_P_IP);
        skb.putU8(nh, 0x45);
        skb.putU8(nh + 9, 17);
        skb.putU32(nh + 12, saddr);
        skb.putU32(nh + 16, daddr);
        skb.putU16(nh + 20, sport);
        skb.putU16(nh + 22, dport);
        return skb;
    }

    private void free(SkBuff skb) {
        if (skb.unref()) {
            pool.release(skb);
        }
    }

    @Test
    void oneFlowOneHashAndPortsMakeFlows() {
        SkBuff a = udp(0x0a000001, 0x0a000002, 1000, 9000);
        SkBuff b = udp(0x0a000001, 0x0a000002, 1000, 9000);
        SkBuff c = udp(0x0a000001, 0x0a000002, 1001, 9000);
        int ha = NetCore.skbGetHash(a);
        assertThat(ha).isNotZero().isEqualTo(NetCore.skbGetHash(b));
        assertThat(a.hash()).isEqualTo(ha);
        assertThat(a.l4Hash()).isTrue();
        assertThat(NetCore.skbGetHash(c)).isNotEqualTo(ha);
        // 64 flows spread over 4 queues as reciprocal_scale does
        int[] perQueue = new int[4];
        for (int p = 0; p < 64; p++) {
            SkBuff s = udp(0x0a000001, 0x0a000002, 2000 + p, 9000);
            perQueue[(int) (((NetCore.skbGetHash(s) & 0xffffffffL) * 4) >>> 32)]++;
            free(s);
        }
        for (int n : perQueue) {
            assertThat(n).isBetween(6, 26);
        }
        free(a);
        free(b);
        free(c);
    }

    @Test
    void aFrameThatIsNotIpv4HasNoHash() {
        SkBuff arp = udp(1, 2, 3, 4);
        arp.setProtocol(IfEther.ETH_P_ARP);
        assertThat(NetCore.skbGetHash(arp)).isZero();
        free(arp);
    }
}
