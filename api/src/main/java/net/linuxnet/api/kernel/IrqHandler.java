package net.linuxnet.api.kernel;

/** A hard IRQ handler ({@code irq_handler_t}), run in hard IRQ context on the IRQ's CPU. */
@FunctionalInterface
public interface IrqHandler {

    /** {@code IRQ_NONE}: not ours. */
    int IRQ_NONE = 0;
    /** {@code IRQ_HANDLED}. */
    int IRQ_HANDLED = 1;

    /** @return {@link #IRQ_HANDLED} or {@link #IRQ_NONE} */
    int handle(IrqDesc irq);
}
