package net.linuxnet.core.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.netfilter.NfHookOps;
import net.linuxnet.api.netfilter.NfInetHooks;
import net.linuxnet.api.netfilter.NfVerdict;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code nf_hook_slow}: priority order and each verdict's effect on the skb and the caller. */
final class NfCoreTest {
    private Host host;
    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void boot() {
        host = TestWorlds.build("""
                linuxnet { hosts.h { devices { d { driver = testnic } }, sysctl { "net.core.default_qdisc" = testfifo } } }
                """).host("h");
    }

    private NfHookOps hook(String name, NfInetHooks at, int priority, NfVerdict verdict) {
        return new NfHookOps(at, priority, (skb, h) -> {
            calls.add(name);
            return verdict;
        });
    }

    private int pass(NfInetHooks at) {
        SkBuff skb = host.allocSkb(64);
        return host.nfHook(at, skb, null, null, s -> {
            calls.add("okfn");
            host.consumeSkb(s);
            return 7;
        });
    }

    @Test
    void hooksRunInPriorityOrderThenOkfn() {
        host.nfRegisterNetHook(hook("filter", NfInetHooks.NF_INET_LOCAL_IN, NfHookOps.NF_IP_PRI_FILTER, NfVerdict.ACCEPT));
        host.nfRegisterNetHook(hook("raw", NfInetHooks.NF_INET_LOCAL_IN, NfHookOps.NF_IP_PRI_RAW, NfVerdict.ACCEPT));
        host.nfRegisterNetHook(hook("filter2", NfInetHooks.NF_INET_LOCAL_IN, NfHookOps.NF_IP_PRI_FILTER, NfVerdict.ACCEPT));
        host.nfRegisterNetHook(hook("other-point", NfInetHooks.NF_INET_FORWARD, 0, NfVerdict.DROP));

        assertThat(pass(NfInetHooks.NF_INET_LOCAL_IN)).isEqualTo(7);
        assertThat(calls).containsExactly("raw", "filter", "filter2", "okfn");
    }

    @Test
    void dropFreesTheSkbWithNetfilterDropAndStopsTheChain() {
        host.nfRegisterNetHook(hook("drop", NfInetHooks.NF_INET_PRE_ROUTING, 0, new NfVerdict.Drop(13)));
        host.nfRegisterNetHook(hook("never", NfInetHooks.NF_INET_PRE_ROUTING, 10, NfVerdict.ACCEPT));

        assertThat(pass(NfInetHooks.NF_INET_PRE_ROUTING)).isEqualTo(-13);
        assertThat(calls).containsExactly("drop");
        assertThat(host.drops(SkbDropReason.NETFILTER_DROP)).isEqualTo(1);
    }

    @Test
    void queueWithoutAListenerDropsAndCounts() {
        host.nfRegisterNetHook(hook("queue", NfInetHooks.NF_INET_POST_ROUTING, 0, new NfVerdict.Queue(0)));

        assertThat(pass(NfInetHooks.NF_INET_POST_ROUTING)).isEqualTo(-3);
        assertThat(host.mib("NfQueueDrops").get()).isEqualTo(1);
        assertThat(host.drops(SkbDropReason.NETFILTER_DROP)).isEqualTo(1);
    }

    @Test
    void repeatCallsTheSameHookAgainAndStolenForgetsTheSkb() {
        int[] n = {0};
        host.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_OUT, 0, (skb, h) -> {
            calls.add("repeat" + n[0]);
            return n[0]++ < 2 ? NfVerdict.REPEAT : NfVerdict.ACCEPT;
        }));
        List<SkBuff> stolen = new ArrayList<>();
        host.nfRegisterNetHook(new NfHookOps(NfInetHooks.NF_INET_LOCAL_OUT, 5, (skb, h) -> {
            stolen.add(skb);
            return NfVerdict.STOLEN;
        }));

        assertThat(pass(NfInetHooks.NF_INET_LOCAL_OUT)).isZero();
        assertThat(calls).containsExactly("repeat0", "repeat1", "repeat2");
        assertThat(stolen).hasSize(1);
        host.consumeSkb(stolen.getFirst());   // the thief frees it
    }

    @Test
    void anUnregisteredHookNoLongerRuns() {
        NfHookOps drop = hook("drop", NfInetHooks.NF_INET_FORWARD, 0, NfVerdict.DROP);
        host.nfRegisterNetHook(drop);
        host.nfUnregisterNetHook(drop);
        assertThat(pass(NfInetHooks.NF_INET_FORWARD)).isEqualTo(7);
    }
}
