package net.linuxnet.protocols.ipv4;

import static net.linuxnet.protocols.ipv4.Ipv4Worlds.A;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.B;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.mib;
import static org.assertj.core.api.Assertions.assertThat;

import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.protocols.inet.Flowi4;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Rtable;
import org.junit.jupiter.api.Test;

/** Echo, forwarding, TTL expiry, fragmentation and path MTU across {@code a — r — b}. */
final class Ipv4ForwardTest {
    private static final String FORWARDING = "sysctl { \"net.ipv4.ip_forward\" = 1 }";

    @Test
    void anEchoRequestCrossesTheRouterAndIsAnswered() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Host r = w.host("r");
        Host b = w.host("b");
        int[] rc = new int[1];
        Ipv4Worlds.at(a, 1_000, h -> rc[0] = Ipv4Worlds.send(h, B, 1, Ipv4Worlds.echoRequest(7, 1, 56), 64, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(rc[0]).isZero();
        assertThat(mib(b, "IcmpInEchos")).isEqualTo(1);
        assertThat(mib(b, "IcmpMsgInType8")).isEqualTo(1);
        assertThat(mib(b, "IcmpOutEchoReps")).isEqualTo(1);
        assertThat(mib(b, "IcmpMsgOutType0")).isEqualTo(1);
        assertThat(mib(a, "IcmpInEchoReps")).isEqualTo(1);
        assertThat(mib(r, "IpForwDatagrams")).isEqualTo(2);
        assertThat(mib(r, "IpInDelivers")).isZero();
        assertThat(mib(a, "IpOutRequests")).isEqualTo(1);
        assertThat(mib(b, "IpInDelivers")).isEqualTo(1);
        // no ping socket: the reply is freed as NO_SOCKET, as ping_rcv does
        assertThat(a.drops(SkbDropReason.NO_SOCKET)).isEqualTo(1);
        assertThat(r.dropReasons()).isEmpty();
    }

    @Test
    void withIpForwardZeroTheRouterDropsAndCountsInAddrErrors() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(""));
        Host a = w.host("a");
        Host r = w.host("r");
        Host b = w.host("b");
        Ipv4Worlds.at(a, 1_000, h -> Ipv4Worlds.send(h, B, 1, Ipv4Worlds.echoRequest(7, 1, 56), 64, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(r, "IpInReceives")).isEqualTo(1);
        assertThat(mib(r, "IpInAddrErrors")).isEqualTo(1);
        assertThat(mib(r, "IpForwDatagrams")).isZero();
        assertThat(r.drops(SkbDropReason.IP_INADDRERRORS)).isEqualTo(1);
        assertThat(mib(r, "IcmpOutMsgs")).isZero();
        assertThat(mib(b, "IpInReceives")).isZero();
    }

    @Test
    void aPacketWithTtlOneDiesAtTheRouterWithTimeExceeded() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Host r = w.host("r");
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(a, 253);
        a.inetAddProtocol(sink);
        Ipv4Worlds.at(a, 1_000, h -> Ipv4Worlds.send(h, B, 253, new byte[100], 1, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(r, "IpInHdrErrors")).isEqualTo(1);
        assertThat(r.drops(SkbDropReason.IP_INHDR)).isEqualTo(1);
        assertThat(mib(r, "IcmpOutTimeExcds")).isEqualTo(1);
        assertThat(mib(a, "IcmpInTimeExcds")).isEqualTo(1);
        assertThat(sink.errors).containsExactly(0);
        assertThat(mib(w.host("b"), "IpInReceives")).isZero();
    }

    @Test
    void aDatagramAboveTheMtuCrossesFragmentedAndIsReassembledWhole() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Host r = w.host("r");
        Host b = w.host("b");
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(b, 253);
        b.inetAddProtocol(sink);
        byte[] payload = new byte[4000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        int[] rc = new int[1];
        Ipv4Worlds.at(a, 1_000, h -> rc[0] = Ipv4Worlds.send(h, B, 253, payload, 64, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(rc[0]).isZero();
        assertThat(mib(a, "IpFragCreates")).isEqualTo(3);
        assertThat(mib(a, "IpFragOKs")).isEqualTo(1);
        assertThat(mib(a, "IpOutTransmits")).isEqualTo(3);
        assertThat(mib(r, "IpForwDatagrams")).isEqualTo(3);
        assertThat(mib(b, "IpReasmReqds")).isEqualTo(3);
        assertThat(mib(b, "IpReasmOKs")).isEqualTo(1);
        assertThat(sink.received).hasSize(1);
        assertThat(sink.received.get(0)).isEqualTo(payload);
    }

    @Test
    void dfTooBigFromALocalSenderIsEmsgsize() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        int[] rc = new int[1];
        Ipv4Worlds.at(a, 1_000, h -> rc[0] = Ipv4Worlds.send(h, B, 253, new byte[2000], 64, true));
        w.runUntil(1_000_000);
        w.finish();

        assertThat(rc[0]).isEqualTo(-90);
        assertThat(mib(a, "IpFragFails")).isEqualTo(1);
        assertThat(mib(a, "IpOutDiscards")).isEqualTo(1);
    }

    @Test
    void fragmentationNeededAtTheRouterTeachesTheSenderThePathMtu() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING).replace(
                "veth1 { driver = veth,", "veth1 { driver = veth, mtu = 1000,"));
        Host a = w.host("a");
        Host r = w.host("r");
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(a, 253);
        a.inetAddProtocol(sink);
        Ipv4Worlds.at(a, 1_000, h -> Ipv4Worlds.send(h, B, 253, new byte[1400], 64, true));
        w.runUntil(10_000_000);
        Rtable rt = new Rtable();
        Inet4.of(a).ipRouteOutputKey(new Flowi4().init(0, 0, 0, 253, B, 0, 0, 0), rt);
        w.finish();

        assertThat(mib(r, "IpFragFails")).isEqualTo(1);
        assertThat(mib(r, "IpForwDatagrams")).isEqualTo(1); // counted before the MTU check, as 6.18 does
        assertThat(r.drops(SkbDropReason.PKT_TOO_BIG)).isEqualTo(1);
        assertThat(mib(a, "IcmpInDestUnreachs")).isEqualTo(1);
        assertThat(sink.errors).containsExactly(1000);
        assertThat(rt.mtu).isEqualTo(1000);
    }

    @Test
    void anEchoToAnAddressOfThisHostGoesThroughLoopback() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Ipv4Worlds.at(a, 1_000, h -> Ipv4Worlds.send(h, A, 1, Ipv4Worlds.echoRequest(9, 1, 8), 64, false));
        w.runUntil(1_000_000);
        w.finish();

        assertThat(mib(a, "IcmpInEchos")).isEqualTo(1);
        assertThat(mib(a, "IcmpInEchoReps")).isEqualTo(1);
        assertThat(a.devGetByName("lo").getStats(new RtnlLinkStats64()).rxPackets).isEqualTo(2);
        assertThat(mib(w.host("r"), "IpInReceives")).isZero();
    }

    @Test
    void anUnknownProtocolIsAnsweredWithProtocolUnreachable() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host a = w.host("a");
        Host b = w.host("b");
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(a, 253);
        a.inetAddProtocol(sink);
        Ipv4Worlds.at(a, 1_000, h -> Ipv4Worlds.send(h, B, 253, new byte[10], 64, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(b, "IpInUnknownProtos")).isEqualTo(1);
        assertThat(b.drops(SkbDropReason.IP_NOPROTO)).isEqualTo(1);
        assertThat(mib(a, "IcmpInDestUnreachs")).isEqualTo(1);
        assertThat(sink.errors).containsExactly(0);
    }

    @Test
    void forwardingBackOutTheSameLinkSendsOneRedirect() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING
                + "\n routes = [ { dst = \"10.0.9.0/24\", via = \"10.0.1.5\" } ]")
                .replace("routes = [ { dst = default, via = \"10.0.1.254\" } ]",
                        "routes = [ { dst = \"10.0.9.0/24\", via = \"10.0.1.254\" } ]"));
        Host a = w.host("a");
        Host r = w.host("r");
        Ipv4Worlds.at(a, 1_000, h -> {
            for (int i = 0; i < 10; i++) {
                Ipv4Worlds.send(h, 0x0a000901, 253, new byte[10], 64, false);
            }
        });
        w.runUntil(10_000_000);
        w.finish();

        assertThat(mib(r, "IpForwDatagrams")).isEqualTo(10);
        assertThat(mib(r, "IcmpOutRedirects")).isEqualTo(1);
        assertThat(mib(a, "IcmpInRedirects")).isEqualTo(1);
    }

    @Test
    void aLearnedPathMtuExpiresAfterMtuExpiresAndRespectsMinPmtu() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING).replace(
                "veth1 { driver = veth,", "veth1 { driver = veth, mtu = 400,").replace("duration = 1s", "duration = 700s"));
        Host a = w.host("a");
        Ipv4Worlds.at(a, 1_000, h -> Ipv4Worlds.send(h, B, 253, new byte[1400], 64, true));
        int[] mtus = new int[2];
        Ipv4Worlds.at(a, 1_000_000_000L, h -> mtus[0] = routeMtu(h));
        Ipv4Worlds.at(a, 601_000_000_000L, h -> mtus[1] = routeMtu(h));
        w.runUntil(602_000_000_000L);
        w.finish();

        assertThat(mtus[0]).as("400 is below ip_rt_min_pmtu: the exception holds 552").isEqualTo(552);
        assertThat(mtus[1]).as("after ip_rt_mtu_expires").isEqualTo(1500);
    }

    private static int routeMtu(Host h) {
        Rtable rt = new Rtable();
        Inet4.of(h).ipRouteOutputKey(new Flowi4().init(0, 0, 0, 253, B, 0, 0, 0), rt);
        return rt.mtu;
    }
}
