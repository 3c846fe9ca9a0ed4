package net.linuxnet.core.cpu;

/** What a CPU is doing, for the time accounting of the report's {@code cpu} rows. */
public enum CpuContext {
    IDLE, HARDIRQ, SOFTIRQ, KSOFTIRQD, PROCESS
}
