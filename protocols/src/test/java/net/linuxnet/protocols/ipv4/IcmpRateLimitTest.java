package net.linuxnet.protocols.ipv4;

import static net.linuxnet.protocols.ipv4.Ipv4Worlds.A;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.B;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.MAC_B;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.mib;
import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** {@code icmp_ratelimit} per destination, the rules of {@code __icmp_send}, and the end of a run. */
final class IcmpRateLimitTest {
    private static final String FORWARDING = "sysctl { \"net.ipv4.ip_forward\" = 1 }";

    @Test
    void destinationUnreachablesToOneHostAreLimitedToABurstOfSix() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Host b = w.host("b");
        Ipv4Worlds.at(a, 1_000, h -> {
            for (int i = 0; i < 20; i++) {
                Ipv4Worlds.send(h, B, 253, new byte[10], 64, false);
            }
        });
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(b, "IpInUnknownProtos")).isEqualTo(20);
        assertThat(mib(b, "IcmpOutDestUnreachs")).isEqualTo(6);
        assertThat(mib(b, "IcmpOutRateLimitHost")).isEqualTo(14);
        assertThat(mib(a, "IcmpInDestUnreachs")).isEqualTo(6);
    }

    @Test
    void noErrorIsSentAboutAnIcmpErrorOrANonFirstFragment() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host r = w.host("r");
        byte[] unreach = new byte[8 + 28];
        unreach[0] = 3;
        int c = Ipv4Worlds.csum(unreach, 0, unreach.length);
        unreach[2] = (byte) (c >> 8);
        unreach[3] = (byte) c;
        // TTL 1 through the router: an ICMP error and a later fragment both die silently
        byte[] f1 = Ipv4Worlds.ipFrame(Ipv4Worlds.MAC_R0, A, B, 1, 5, 0, 1, unreach);
        byte[] f2 = Ipv4Worlds.ipFrame(Ipv4Worlds.MAC_R0, A, B, 253, 6, 8, 1, new byte[16]);
        byte[] f3 = Ipv4Worlds.ipFrame(Ipv4Worlds.MAC_R0, A, B, 253, 7, 0, 1, new byte[16]);
        Ipv4Worlds.at(r, 1_000, h -> {
            Ipv4Worlds.inject(h, "veth0", f1);
            Ipv4Worlds.inject(h, "veth0", f2);
            Ipv4Worlds.inject(h, "veth0", f3);
        });
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(r, "IpInHdrErrors")).isEqualTo(3);
        assertThat(mib(r, "IcmpOutTimeExcds")).isEqualTo(1);
    }

    @Test
    void aFragmentStillQueuedWhenTheRunEndsIsPurged() {
        World w = TestWorlds.build(Ipv4Worlds.scenario("").replace("duration = 1s", "duration = 10ms"));
        Host b = w.host("b");
        byte[] f1 = Ipv4Worlds.ipFrame(MAC_B, A, B, 253, 9, Ipv4.IP_MF, 64, new byte[64]);
        Ipv4Worlds.at(b, 1_000, h -> Ipv4Worlds.inject(h, "veth0", f1));
        w.run(null);

        assertThat(b.drops(SkbDropReason.QUEUE_PURGE)).isEqualTo(1);
        assertThat(b.pool().live()).isZero();
    }

    @Test
    void aForwardingRouterWithoutARouteAnswersNetUnreachableWithinIpErrorsBucket() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Host r = w.host("r");
        Ipv4Worlds.at(a, 1_000, h -> {
            for (int i = 0; i < 8; i++) {
                Ipv4Worlds.send(h, 0x0b000001, 253, new byte[10], 64, false); // 11.0.0.1: r has no route
            }
        });
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(r, "IpExtInNoRoutes")).isEqualTo(8);
        assertThat(r.drops(SkbDropReason.IP_INNOROUTES)).isEqualTo(8);
        assertThat(mib(r, "IcmpOutDestUnreachs")).isEqualTo(5); // ip_rt_error_burst / ip_rt_error_cost
        assertThat(mib(a, "IcmpInDestUnreachs")).isEqualTo(5);
    }

    @Test
    void aTimestampRequestIsAnswered() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Host b = w.host("b");
        byte[] ts = new byte[20];
        ts[0] = 13;
        ts[11] = 42; // originate
        int c = Ipv4Worlds.csum(ts, 0, ts.length);
        ts[2] = (byte) (c >> 8);
        ts[3] = (byte) c;
        Ipv4Worlds.at(a, 1_000, h -> Ipv4Worlds.send(h, B, 1, ts, 64, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(b, "IcmpInTimestamps")).isEqualTo(1);
        assertThat(mib(b, "IcmpOutTimestampReps")).isEqualTo(1);
        assertThat(mib(a, "IcmpInTimestampReps")).isEqualTo(1);
        assertThat(mib(a, "IcmpInErrors")).isZero();
    }
}
