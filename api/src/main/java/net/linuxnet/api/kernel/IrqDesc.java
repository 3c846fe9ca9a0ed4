package net.linuxnet.api.kernel;

/**
 * An IRQ line, as {@code struct irq_desc}: its number, its name in {@code /proc/interrupts},
 * its CPU affinity ({@code /proc/irq/N/smp_affinity}) and its per-CPU counts.
 */
public interface IrqDesc {

    int irq();

    String name();

    /** The CPU the IRQ is delivered to. */
    int affinityCpu();

    /** Sets the affinity ({@code echo N > /proc/irq/IRQ/smp_affinity_list}). */
    void setAffinityCpu(int cpu);

    /**
     * The device asserts the line: the handler runs in hard IRQ context on the affinity CPU
     * as soon as that CPU can take it, and the IRQ is counted there.
     */
    void raise();

    /** Masks the line; a raise while masked is remembered and delivered on {@link #enable()}. */
    void disable();

    /** Unmasks the line. */
    void enable();
}
