package net.linuxnet.api.sched;

/** Verdicts of classifiers and actions, from {@code include/uapi/linux/pkt_cls.h}. */
public final class TcAct {
    /** {@code TC_ACT_UNSPEC}: no filter matched. */
    public static final int TC_ACT_UNSPEC = -1;
    /** {@code TC_ACT_OK}: let the packet go on ({@code gact pass}). */
    public static final int TC_ACT_OK = 0;
    /** {@code TC_ACT_RECLASSIFY}. */
    public static final int TC_ACT_RECLASSIFY = 1;
    /** {@code TC_ACT_SHOT}: drop it ({@code gact drop}). */
    public static final int TC_ACT_SHOT = 2;
    /** {@code TC_ACT_PIPE}: go on to the next action. */
    public static final int TC_ACT_PIPE = 3;
    /** {@code TC_ACT_STOLEN}: consumed by the action. */
    public static final int TC_ACT_STOLEN = 4;
    /** {@code TC_ACT_QUEUED}. */
    public static final int TC_ACT_QUEUED = 5;
    /** {@code TC_ACT_REPEAT}. */
    public static final int TC_ACT_REPEAT = 6;
    /** {@code TC_ACT_REDIRECT}. */
    public static final int TC_ACT_REDIRECT = 7;
    /** {@code TC_ACT_TRAP}. */
    public static final int TC_ACT_TRAP = 8;
    /** {@code TC_ACT_CONSUMED}: the skb was handed on by the action and must not be touched. */
    public static final int TC_ACT_CONSUMED = 9;

    private TcAct() {
    }
}
