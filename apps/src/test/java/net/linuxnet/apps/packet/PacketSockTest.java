package net.linuxnet.apps.packet;

import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.apps.testing.TestingKernel;
import org.junit.jupiter.api.Test;

final class PacketSockTest {

    private final TestingKernel kernel = new TestingKernel();
    private final NetDevice dev = kernel.addDevice("eth0", IfEther.parseMac("02:00:00:00:00:01"));

    @Test
    void registersCountsFromMacHeaderAndStaysOpenAfterStop() {
        PacketSock sock = new PacketSock("tap", kernel, IfEther.ETH_P_ALL, dev, false);
        sock.start();
        assertThat(kernel.packetTypes).hasSize(1);
        PacketType pt = kernel.packetTypes.get(0);
        assertThat(pt.type()).isEqualTo(IfEther.ETH_P_ALL);
        assertThat(pt.dev()).isSameAs(dev);
        assertThat(pt.tapsTransmit()).isFalse();

        // received: the MAC header was pulled, data at the network header
        SkBuff rx = frame(100);
        rx.pull(IfEther.ETH_HLEN);
        assertThat(pt.func(rx, dev, dev)).isEqualTo(NetRx.NET_RX_SUCCESS);
        // looped back by dev_loopback_xmit: ignored
        SkBuff loop = frame(80);
        loop.setPktType(SkBuff.PACKET_LOOPBACK);
        pt.func(loop, dev, dev);

        sock.stop();
        // the socket stays open through the drain: frames in flight still count
        assertThat(kernel.packetTypes).hasSize(1);
        assertThat(sock.received()).isEqualTo(1);
        assertThat(sock.bytes()).isEqualTo(100);
        assertThat(kernel.pool.live()).isZero();
    }

    @Test
    void outgoingTapSeesTransmittedFrames() {
        PacketSock sock = new PacketSock("tap", kernel, IfEther.ETH_P_ALL, null, true);
        sock.start();
        PacketType pt = kernel.packetTypes.get(0);
        assertThat(pt.dev()).isNull();
        assertThat(pt.tapsTransmit()).isTrue();
        SkBuff tx = frame(60);
        tx.setPktType(SkBuff.PACKET_OUTGOING);
        pt.func(tx, dev, dev);
        assertThat(sock.bytes()).isEqualTo(60);
        sock.stop();
        assertThat(kernel.pool.live()).isZero();
    }

    private SkBuff frame(int len) {
        SkBuff skb = kernel.netdevAllocSkb(dev, len);
        skb.put(len);
        skb.resetMacHeader();
        return skb;
    }
}
