package net.linuxnet.core.cpu;

import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.core.sim.Event;

/**
 * A timer on the CPU that armed it: when it expires it is put on that CPU's expired list and
 * the TIMER softirq is raised there, which runs its callback ({@code run_timer_softirq}).
 */
public final class TimerImpl extends Event implements TimerList {
    private final CpuSet cpus;
    private final Cpu fallback;
    private final Callback callback;
    private Cpu cpu;
    private boolean expired;
    boolean onExpiredList;

    /**
     * @param fallback the CPU that runs the timer when it is armed outside any CPU's work
     */
    public TimerImpl(CpuSet cpus, Cpu fallback, Callback callback) {
        this.cpus = cpus;
        this.fallback = fallback;
        this.callback = callback;
    }

    @Override
    public boolean mod(long expiresNs) {
        boolean was = pending();
        Cpu c = cpus.current();
        cpu = c != null ? c : fallback;
        expired = false;
        cpus.scheduler().schedule(this, expiresNs);
        return was;
    }

    @Override
    public boolean del() {
        boolean was = pending();
        expired = false;
        cpus.scheduler().cancel(this);
        return was;
    }

    @Override
    public boolean pending() {
        return scheduled() || expired;
    }

    @Override
    public long expires() {
        return time();
    }

    @Override
    protected void fire() {
        expired = true;
        cpu.timerExpired(this);
    }

    void runIfExpired() {
        if (expired) {
            expired = false;
            callback.expired(this);
        }
    }
}
