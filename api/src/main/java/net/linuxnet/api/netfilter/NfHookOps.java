package net.linuxnet.api.netfilter;

import net.linuxnet.api.net.SkBuff;

/**
 * A netfilter hook, as {@code struct nf_hook_ops}: a function at one hook point of IPv4 with
 * a priority ({@code NF_IP_PRI_*}); hooks run in ascending priority, equal priorities in
 * registration order.
 *
 * @param hooknum the hook point
 * @param priority lower runs first
 * @param hook the function
 */
public record NfHookOps(NfInetHooks hooknum, int priority, Hook hook) {

    public static final int NF_IP_PRI_FIRST = Integer.MIN_VALUE;
    public static final int NF_IP_PRI_RAW_BEFORE_DEFRAG = -450;
    public static final int NF_IP_PRI_CONNTRACK_DEFRAG = -400;
    public static final int NF_IP_PRI_RAW = -300;
    public static final int NF_IP_PRI_SELINUX_FIRST = -225;
    public static final int NF_IP_PRI_CONNTRACK = -200;
    public static final int NF_IP_PRI_MANGLE = -150;
    public static final int NF_IP_PRI_NAT_DST = -100;
    public static final int NF_IP_PRI_FILTER = 0;
    public static final int NF_IP_PRI_SECURITY = 50;
    public static final int NF_IP_PRI_NAT_SRC = 100;
    public static final int NF_IP_PRI_SELINUX_LAST = 225;
    public static final int NF_IP_PRI_CONNTRACK_HELPER = 300;
    public static final int NF_IP_PRI_LAST = Integer.MAX_VALUE;

    /** The hook function ({@code nf_hookfn}), in the context of the packet's path. */
    @FunctionalInterface
    public interface Hook {
        NfVerdict hook(SkBuff skb, NfInetHooks hooknum);
    }

    public NfHookOps {
        if (hooknum == null || hook == null) {
            throw new IllegalArgumentException("hooknum and hook are required");
        }
    }
}
