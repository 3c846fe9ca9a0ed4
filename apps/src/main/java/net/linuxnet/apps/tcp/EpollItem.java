package net.linuxnet.apps.tcp;

import java.util.ArrayDeque;

import net.linuxnet.api.kernel.Task;

/**
 * One socket a program watches, as an {@code epitem} of {@code fs/eventpoll.c}: it sleeps on
 * the socket's wait queue in place of the program's task, and when the socket wakes it
 * ({@code ep_poll_callback}) it joins the program's ready list once and wakes the task. The
 * task's body then takes the ready items ({@code ep_send_events}) and retries their calls, so a
 * program with many connections touches only those that have something to say, and waking
 * allocates nothing.
 *
 * <p>It is a {@link Task} only to the wait queue, which calls {@link #wakeUp()}; it cannot sleep
 * until a time or be stopped.
 */
abstract class EpollItem implements Task {
    private final Task owner;
    private final ArrayDeque<EpollItem> rdllist;
    /** Whether the item is on the ready list ({@code ep_is_linked(&epi->rdllink)}). */
    boolean ready;

    EpollItem(Task owner, ArrayDeque<EpollItem> rdllist) {
        this.owner = owner;
        this.rdllist = rdllist;
    }

    @Override
    public final String comm() {
        return owner.comm();
    }

    @Override
    public final int cpu() {
        return owner.cpu();
    }

    /** {@code ep_poll_callback}: queue the item once and wake the program. */
    @Override
    public final void wakeUp() {
        if (!ready) {
            ready = true;
            rdllist.addLast(this);
        }
        owner.wakeUp();
    }

    @Override
    public final void wakeUpAt(long ns) {
        throw new UnsupportedOperationException("an epoll item only sits on wait queues");
    }

    @Override
    public final void stop() {
        throw new UnsupportedOperationException("an epoll item only sits on wait queues");
    }

    /** Takes the next ready item off {@code rdllist}, or null. */
    static EpollItem poll(ArrayDeque<EpollItem> rdllist) {
        EpollItem e = rdllist.pollFirst();
        if (e != null) {
            e.ready = false;
        }
        return e;
    }
}
