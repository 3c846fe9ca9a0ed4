package net.linuxnet.api.netfilter;

/** The netfilter hook points of IPv4, as {@code enum nf_inet_hooks}. */
public enum NfInetHooks {
    NF_INET_PRE_ROUTING,
    NF_INET_LOCAL_IN,
    NF_INET_FORWARD,
    NF_INET_LOCAL_OUT,
    NF_INET_POST_ROUTING
}
