package net.linuxnet.core.cpu;

import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.core.sim.Scheduler;

/**
 * Every CPU of a world, and which of them is running now. One thread runs the world, so at
 * most one CPU runs at a time; the others wait for their dispatch events.
 */
public final class CpuSet {
    private final Scheduler scheduler;
    private Cpu current;

    public CpuSet(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Creates a CPU with its {@code ksoftirqd}. */
    public Cpu newCpu(int index, CostStage hardirq, CostStage softirq, CostStage contextSwitch) {
        Cpu cpu = new Cpu(this, index, scheduler, hardirq, softirq, contextSwitch);
        cpu.createKsoftirqd();
        return cpu;
    }

    /** The CPU running now, or null between dispatches. */
    public Cpu current() {
        return current;
    }

    void setCurrent(Cpu cpu) {
        current = cpu;
    }

    /** The present as the running CPU sees it (its cursor), or the clock. */
    public long nowCursor() {
        Cpu c = current;
        return c != null ? c.cursorRaw() : scheduler.now();
    }
}
