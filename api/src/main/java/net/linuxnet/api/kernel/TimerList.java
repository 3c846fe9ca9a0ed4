package net.linuxnet.api.kernel;

/**
 * A one-shot timer, as {@code struct timer_list} (and {@code hrtimer}, which the model does
 * not tell apart: both fire at the exact nanosecond). Re-arming it allocates nothing.
 */
public interface TimerList {

    /** What a timer runs when it expires, in softirq (TIMER) context on the CPU that armed it. */
    @FunctionalInterface
    interface Callback {
        void expired(TimerList timer);
    }

    /**
     * Arms or re-arms the timer to fire at {@code expiresNs} ({@code mod_timer}).
     *
     * @return whether it was pending before
     */
    boolean mod(long expiresNs);

    /**
     * Disarms the timer ({@code del_timer}).
     *
     * @return whether it was pending
     */
    boolean del();

    /** {@code timer_pending}. */
    boolean pending();

    /** When it fires, if pending. */
    long expires();
}
