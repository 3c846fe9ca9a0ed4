package net.linuxnet.protocols.ipv4;

import static net.linuxnet.protocols.ipv4.Ipv4Worlds.B;
import static net.linuxnet.protocols.ipv4.Ipv4Worlds.mib;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.netfilter.NfHookOps;
import net.linuxnet.api.netfilter.NfInetHooks;
import net.linuxnet.api.netfilter.NfVerdict;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The five NF_HOOK points of IPv4, in the order a packet meets them, and a DROP at each. */
final class Ipv4NetfilterTest {
    private static final String FORWARDING = "sysctl { \"net.ipv4.ip_forward\" = 1 }";

    @Test
    void packetsPassTheHooksInOrder() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        List<String> seen = new ArrayList<>();
        for (String name : List.of("a", "r", "b")) {
            Host h = w.host(name);
            for (NfInetHooks hook : NfInetHooks.values()) {
                h.nfRegisterNetHook(new NfHookOps(hook, NfHookOps.NF_IP_PRI_FILTER, (skb, n) -> {
                    seen.add(name + ":" + n.name().substring("NF_INET_".length()));
                    return NfVerdict.ACCEPT;
                }));
            }
        }
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(w.host("b"), 253);
        w.host("b").inetAddProtocol(sink);
        Ipv4Worlds.at(w.host("a"), 1_000, h -> Ipv4Worlds.send(h, B, 253, new byte[20], 64, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(seen).containsExactly(
                "a:LOCAL_OUT", "a:POST_ROUTING",
                "r:PRE_ROUTING", "r:FORWARD", "r:POST_ROUTING",
                "b:PRE_ROUTING", "b:LOCAL_IN");
        assertThat(sink.received).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(NfInetHooks.class)
    void aDropAtAnyHookIsCountedAndFreed(NfInetHooks hook) {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario(FORWARDING));
        Host where = switch (hook) {
            case NF_INET_LOCAL_OUT -> w.host("a");
            case NF_INET_FORWARD -> w.host("r");
            case NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN -> w.host("b");
            case NF_INET_POST_ROUTING -> w.host("r");
        };
        where.nfRegisterNetHook(new NfHookOps(hook, 0, (skb, n) -> NfVerdict.DROP));
        Ipv4Worlds.Sink sink = new Ipv4Worlds.Sink(w.host("b"), 253);
        w.host("b").inetAddProtocol(sink);
        int[] rc = new int[1];
        Ipv4Worlds.at(w.host("a"), 1_000, h -> rc[0] = Ipv4Worlds.send(h, B, 253, new byte[20], 64, false));
        w.runUntil(10_000_000);
        w.finish();

        assertThat(where.drops(SkbDropReason.NETFILTER_DROP)).isEqualTo(1);
        assertThat(sink.received).isEmpty();
        if (hook == NfInetHooks.NF_INET_LOCAL_OUT) {
            assertThat(rc[0]).isEqualTo(-1);
            assertThat(mib(where, "IpOutDiscards")).isEqualTo(1);
        }
    }
}
