package net.linuxnet.api.sock;

import net.linuxnet.api.kernel.Task;

/**
 * A socket's wait queue ({@code struct socket_wq} with its {@code wait_queue_head_t}): the
 * tasks that sleep until the socket is readable or writable. {@link #wakeUp()} makes every
 * sleeper runnable and empties the queue ({@code autoremove_wake_function}); a woken task's
 * body runs again and retries its call. Adding a task that already waits does nothing, and
 * the queue reuses its array, so sleeping and waking allocate nothing in steady state.
 */
public final class WaitQueueHead {
    private Task[] tasks = new Task[2];
    private int n;

    /** {@code add_wait_queue}. */
    public void add(Task task) {
        for (int i = 0; i < n; i++) {
            if (tasks[i] == task) {
                return;
            }
        }
        if (n == tasks.length) {
            tasks = java.util.Arrays.copyOf(tasks, n * 2);
        }
        tasks[n++] = task;
    }

    /** {@code wq_has_sleeper}. */
    public boolean hasSleeper() {
        return n > 0;
    }

    /** {@code wake_up_interruptible_all}: wakes and removes every sleeper. */
    public void wakeUp() {
        int m = n;
        n = 0;
        for (int i = 0; i < m; i++) {
            Task t = tasks[i];
            tasks[i] = null;
            t.wakeUp();
        }
    }
}
