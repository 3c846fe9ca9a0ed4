package net.linuxnet.core.cpu;

import java.util.function.IntFunction;
import net.linuxnet.api.kernel.IrqDesc;
import net.linuxnet.api.kernel.IrqHandler;

/**
 * An IRQ line: raising it queues its handler on the affinity CPU, which runs it in hard IRQ
 * context at its next dispatch and counts it for {@code /proc/interrupts}.
 */
public final class IrqDescImpl implements IrqDesc {
    private final int irq;
    private final String name;
    private final IrqHandler handler;
    private final IntFunction<Cpu> cpuOf;
    private final long[] counts;
    private int affinity;
    private boolean masked;
    private boolean pendingWhileMasked;
    boolean queued;
    IrqDescImpl next;

    public IrqDescImpl(int irq, String name, IrqHandler handler, int numCpus, int affinity, IntFunction<Cpu> cpuOf) {
        this.irq = irq;
        this.name = name;
        this.handler = handler;
        this.cpuOf = cpuOf;
        this.counts = new long[numCpus];
        this.affinity = affinity;
    }

    @Override
    public int irq() {
        return irq;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int affinityCpu() {
        return affinity;
    }

    @Override
    public void setAffinityCpu(int cpu) {
        if (cpu < 0 || cpu >= counts.length) {
            throw new IllegalArgumentException("cpu: " + cpu + " (expected: 0.." + (counts.length - 1) + ")");
        }
        affinity = cpu;
    }

    @Override
    public void raise() {
        if (masked) {
            pendingWhileMasked = true;
            return;
        }
        cpuOf.apply(affinity).queueIrq(this);
    }

    @Override
    public void disable() {
        masked = true;
    }

    @Override
    public void enable() {
        masked = false;
        if (pendingWhileMasked) {
            pendingWhileMasked = false;
            raise();
        }
    }

    void handleOn(Cpu cpu) {
        counts[cpu.index()]++;
        handler.handle(this);
    }

    /** Interrupts handled per CPU. */
    public long count(int cpu) {
        return counts[cpu];
    }

    public int numCpus() {
        return counts.length;
    }
}
