package net.linuxnet.api.netfilter;

import net.linuxnet.api.net.SkBuff;

/** What {@code NF_HOOK} continues with when every hook accepted the packet ({@code okfn}). */
@FunctionalInterface
public interface NfOkfn {
    int ok(SkBuff skb);
}
