package net.linuxnet.qdisc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class TcUtilTest {

    @Test
    void ratesPrintAsSprintRate() {
        assertThat(TcUtil.sprintRate(12_500_000)).isEqualTo("100Mbit");
        assertThat(TcUtil.sprintRate(125_000)).isEqualTo("1Mbit");
        assertThat(TcUtil.sprintRate(1_250_000_000L)).isEqualTo("10Gbit");
        assertThat(TcUtil.sprintRate(187_500_000)).isEqualTo("1500Mbit");
        assertThat(TcUtil.sprintRate(100)).isEqualTo("800bit");
        assertThat(TcUtil.sprintRate(1_500)).isEqualTo("12Kbit");
    }

    @Test
    void timesPrintAsSprintTime() {
        assertThat(TcUtil.sprintTime(50_000)).isEqualTo("50ms");
        assertThat(TcUtil.sprintTime(7_469)).isEqualTo("7.47ms");
        assertThat(TcUtil.sprintTime(1_500_000)).isEqualTo("1.5s");
        assertThat(TcUtil.sprintTime(800)).isEqualTo("800us");
        assertThat(TcUtil.sprintTime(123_456)).isEqualTo("123ms");
        assertThat(TcUtil.sprintTime(999_999)).isEqualTo("1e+03ms");
    }
}
