package net.linuxnet.core.cpu;

/** Softirq vectors in the order of {@code /proc/softirqs} ({@code enum} in {@code include/linux/interrupt.h}). */
public enum Softirq {
    HI, TIMER, NET_TX, NET_RX, BLOCK, IRQ_POLL, TASKLET, SCHED, HRTIMER, RCU;

    final int bit = 1 << ordinal();
}
