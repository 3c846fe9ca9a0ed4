package net.linuxnet.core.cpu;

/** The action of one softirq vector on one CPU ({@code open_softirq}). */
@FunctionalInterface
public interface SoftirqHandler {
    void action(Cpu cpu);
}
