package net.linuxnet.api.netfilter;

/** What a netfilter hook decides about a packet, as the {@code NF_*} verdicts. */
public sealed interface NfVerdict {

    /** {@code NF_ACCEPT}: continue with the next hook. */
    record Accept() implements NfVerdict {
    }

    /** {@code NF_DROP}, with the errno reported to a local sender (0 for none). */
    record Drop(int errno) implements NfVerdict {
    }

    /** {@code NF_STOLEN}: the hook took the skb; the stack forgets it. */
    record Stolen() implements NfVerdict {
    }

    /** {@code NF_QUEUE} to queue {@code num}. */
    record Queue(int num) implements NfVerdict {
    }

    /** {@code NF_REPEAT}: call this hook again. */
    record Repeat() implements NfVerdict {
    }

    NfVerdict ACCEPT = new Accept();
    NfVerdict DROP = new Drop(0);
    NfVerdict STOLEN = new Stolen();
    NfVerdict REPEAT = new Repeat();
}
