package net.linuxnet.api.kernel;

/**
 * A task in process context bound to one CPU: a kernel thread such as {@code kpktgend_0} or
 * an application's thread. A woken task waits on its CPU's run queue; when it runs, its
 * {@link Body} does one step of work and charges it, then either sleeps (the default) or
 * asks to run again.
 */
public interface Task {

    /** One step of the task's work, in process context. */
    @FunctionalInterface
    interface Body {
        void run(Task task);
    }

    /** The task's name, as {@code ps} shows it. */
    String comm();

    /** The CPU the task is bound to. */
    int cpu();

    /** Makes the task runnable now ({@code wake_up_process}); no effect if it is already. */
    void wakeUp();

    /** Sleeps until {@code ns} and then wakes ({@code schedule_hrtimeout}); replaces an earlier wake time. */
    void wakeUpAt(long ns);

    /** Stops the task for good: it is not woken again. */
    void stop();
}
