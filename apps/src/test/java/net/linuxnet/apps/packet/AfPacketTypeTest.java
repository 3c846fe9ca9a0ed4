package net.linuxnet.apps.packet;

import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.net.IfEther;
import org.junit.jupiter.api.Test;

final class AfPacketTypeTest {

    @Test
    void parseProtoAcceptsAllHexAndDecimal() {
        assertThat(AfPacketType.parseProto("all")).isEqualTo(IfEther.ETH_P_ALL);
        assertThat(AfPacketType.parseProto("0x0800")).isEqualTo(IfEther.ETH_P_IP);
        assertThat(AfPacketType.parseProto("0x86DD")).isEqualTo(IfEther.ETH_P_IPV6);
        assertThat(AfPacketType.parseProto("2054")).isEqualTo(IfEther.ETH_P_ARP);
    }

    @Test
    void parseProtoRefusesOthers() {
        for (String bad : new String[] {"", "ip", "0x", "0x10000", "0", "-1", "0xzz"}) {
            assertThat(AfPacketType.parseProto(bad)).as(bad).isEqualTo(-1);
        }
    }
}
