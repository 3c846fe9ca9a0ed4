package net.linuxnet.apps.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class NetUtilsTest {

    @Test
    void in4PtonReadsDottedQuads() {
        assertThat(NetUtils.in4Pton("10.0.0.1")).isEqualTo(0x0a000001L);
        assertThat(NetUtils.in4Pton("255.255.255.255")).isEqualTo(0xffffffffL);
        assertThat(NetUtils.in4Pton("0.0.0.0")).isZero();
    }

    @Test
    void in4PtonRefusesAnythingElse() {
        for (String bad : new String[] {"", "10.0.0", "10.0.0.1.2", "10.0.0.256", "10..0.1", "10.0.0.1.",
                "a.b.c.d", "1000.0.0.1", " 10.0.0.1", "10.0.0.0001"}) {
            assertThat(NetUtils.in4Pton(bad)).as(bad).isEqualTo(-1L);
        }
    }

    @Test
    void formatIpv4RoundTrips() {
        assertThat(NetUtils.formatIpv4((int) NetUtils.in4Pton("192.168.0.199"))).isEqualTo("192.168.0.199");
    }
}
