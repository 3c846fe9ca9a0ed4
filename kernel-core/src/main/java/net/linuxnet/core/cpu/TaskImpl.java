package net.linuxnet.core.cpu;

import net.linuxnet.api.kernel.Task;
import net.linuxnet.core.sim.Event;

/** A task bound to one CPU: runnable tasks wait in the CPU's run queue, sleeping ones on a wake event. */
public final class TaskImpl implements Task {
    private final CpuSet cpus;
    private final Cpu cpu;
    private final String comm;
    private final Body body;
    private final boolean ksoftirqd;
    private final Event wake = new Event() {
        @Override
        protected void fire() {
            wakeUp();
        }
    };
    private boolean runnable;
    private boolean stopped;
    private long runs;

    TaskImpl(CpuSet cpus, Cpu cpu, String comm, Body body, boolean ksoftirqd) {
        this.cpus = cpus;
        this.cpu = cpu;
        this.comm = comm;
        this.body = body;
        this.ksoftirqd = ksoftirqd;
    }

    /** Creates a task on {@code cpu}; it sleeps until woken. */
    public static TaskImpl create(CpuSet cpus, Cpu cpu, String comm, Body body) {
        return new TaskImpl(cpus, cpu, comm, body, false);
    }

    @Override
    public String comm() {
        return comm;
    }

    @Override
    public int cpu() {
        return cpu.index();
    }

    @Override
    public void wakeUp() {
        if (stopped || runnable) {
            return;
        }
        cpus.scheduler().cancel(wake);
        runnable = true;
        cpu.enqueueTask(this);
    }

    @Override
    public void wakeUpAt(long ns) {
        if (stopped) {
            return;
        }
        cpus.scheduler().schedule(wake, ns);
    }

    @Override
    public void stop() {
        stopped = true;
        cpus.scheduler().cancel(wake);
    }

    public boolean runnable() {
        return runnable;
    }

    boolean isKsoftirqd() {
        return ksoftirqd;
    }

    /** Times the task ran. */
    public long runs() {
        return runs;
    }

    void runStep() {
        runnable = false;
        if (stopped) {
            return;
        }
        runs++;
        body.run(this);
    }
}
