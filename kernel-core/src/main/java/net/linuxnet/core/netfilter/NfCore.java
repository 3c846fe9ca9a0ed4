package net.linuxnet.core.netfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.netfilter.NfHookOps;
import net.linuxnet.api.netfilter.NfInetHooks;
import net.linuxnet.api.netfilter.NfOkfn;
import net.linuxnet.api.netfilter.NfVerdict;
import net.linuxnet.core.host.Host;

/**
 * The IPv4 hook lists of one host and their traversal, as {@code net/netfilter/core.c}:
 * {@code nf_register_net_hook} keeps each hook point's entries sorted by priority (equal
 * priorities in registration order), and {@code nf_hook_slow} runs them. A hook point with
 * no entries costs one array length check, as the kernel's static key makes an unused hook
 * free.
 */
public final class NfCore {
    /** {@code ESRCH}: what {@code nf_queue} returns when no program listens on the queue. */
    private static final int ESRCH = 3;

    private final Host host;
    private final List<List<NfHookOps>> registered = new ArrayList<>();
    private final NfHookOps[][] entries = new NfHookOps[NfInetHooks.values().length][];
    private final MibCounter queueDrops;

    public NfCore(Host host) {
        this.host = host;
        for (NfInetHooks h : NfInetHooks.values()) {
            registered.add(new ArrayList<>());
            entries[h.ordinal()] = new NfHookOps[0];
        }
        this.queueDrops = host.mib("NfQueueDrops");
    }

    /** {@code nf_register_net_hook}. */
    public void register(NfHookOps ops) {
        List<NfHookOps> list = registered.get(ops.hooknum().ordinal());
        list.add(ops);
        list.sort(Comparator.comparingInt(NfHookOps::priority)); // stable: equal priorities keep their order
        entries[ops.hooknum().ordinal()] = list.toArray(new NfHookOps[0]);
    }

    /** {@code nf_unregister_net_hook}. */
    public void unregister(NfHookOps ops) {
        List<NfHookOps> list = registered.get(ops.hooknum().ordinal());
        if (list.remove(ops)) {
            entries[ops.hooknum().ordinal()] = list.toArray(new NfHookOps[0]);
        }
    }

    /** The hooks at one point, in the order they run. */
    public List<NfHookOps> hooks(NfInetHooks hook) {
        return List.of(entries[hook.ordinal()]);
    }

    /** {@code NF_HOOK}, see {@link net.linuxnet.api.kernel.Kernel#nfHook}. */
    public int nfHook(NfInetHooks hook, SkBuff skb, NetDevice in, NetDevice out, NfOkfn okfn) {
        NfHookOps[] e = entries[hook.ordinal()];
        for (int i = 0; i < e.length; i++) {
            NfVerdict v = e[i].hook().hook(skb, hook);
            switch (v) {
                case NfVerdict.Accept a -> {
                }
                case NfVerdict.Drop d -> {
                    host.kfreeSkbReason(skb, SkbDropReason.NETFILTER_DROP);
                    return d.errno() != 0 ? -d.errno() : -Errno.EPERM;
                }
                case NfVerdict.Stolen s -> {
                    return 0;
                }
                case NfVerdict.Queue q -> {
                    queueDrops.inc();
                    host.kfreeSkbReason(skb, SkbDropReason.NETFILTER_DROP);
                    return -ESRCH;
                }
                case NfVerdict.Repeat r -> i--;
            }
        }
        return okfn.ok(skb);
    }
}
