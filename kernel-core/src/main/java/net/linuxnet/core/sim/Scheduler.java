package net.linuxnet.core.sim;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The discrete-event scheduler of one world: a clock in nanoseconds and a binary heap of
 * {@link Event}s ordered by time, ties broken by the order they were scheduled in. One thread
 * runs it; nothing in it locks.
 *
 * <p>In simulated mode it jumps from event to event as fast as the host computes. In live
 * mode it paces the same events to the wall clock (an event at 100 ms fires no earlier than
 * 100 ms after the run started) and, while it waits, runs work that other threads hand in
 * with {@link #inject} (the device I/O threads of live mode). The kernel code is the same.
 */
public final class Scheduler {
    private Event[] heap = new Event[1024];
    private int size;
    private long now;
    private long seq;
    private long eventsRun;
    private boolean live;
    private long wallStart;
    private volatile Thread runner;
    private final ConcurrentLinkedQueue<Runnable> injected = new ConcurrentLinkedQueue<>();

    /** The current simulated time in nanoseconds. */
    public long now() {
        return now;
    }

    /** Events fired so far. */
    public long eventsRun() {
        return eventsRun;
    }

    /** Events waiting. */
    public int pending() {
        return size;
    }

    /** Switches to live mode: from now on events are paced to the wall clock. */
    public void setLive(boolean live) {
        this.live = live;
    }

    public boolean live() {
        return live;
    }

    /**
     * Schedules {@code e} at {@code time}, or moves it there if it is already scheduled. A
     * time in the past means now.
     */
    public void schedule(Event e, long time) {
        if (time < now) {
            time = now;
        }
        if (e.heapIndex >= 0) {
            e.time = time;
            e.seq = seq++;
            int i = e.heapIndex;
            siftUp(i);
            siftDown(e.heapIndex);
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.time = time;
        e.seq = seq++;
        e.heapIndex = size;
        heap[size++] = e;
        siftUp(size - 1);
    }

    /** Removes {@code e} if it is scheduled; returns whether it was. */
    public boolean cancel(Event e) {
        int i = e.heapIndex;
        if (i < 0) {
            return false;
        }
        Event last = heap[--size];
        heap[size] = null;
        e.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            siftUp(i);
            siftDown(last.heapIndex);
        }
        return true;
    }

    /** The time of the next event, or {@link Long#MAX_VALUE} if none. */
    public long nextTime() {
        return size == 0 ? Long.MAX_VALUE : heap[0].time;
    }

    /**
     * Fires events in order until the next one is later than {@code end} or none is left;
     * the clock then reads {@code end} (or the last event's time if none is left and it is
     * later). Returns the number of events fired.
     */
    public long runUntil(long end) {
        runner = Thread.currentThread();
        if (live && wallStart == 0) {
            wallStart = System.nanoTime() - now;
        }
        long fired = 0;
        while (true) {
            if (live) {
                drainInjected();
            }
            if (size == 0 || heap[0].time > end) {
                break;
            }
            Event e = heap[0];
            if (live && !waitFor(e.time)) {
                continue;
            }
            removeTop();
            now = e.time;
            e.fire();
            fired++;
        }
        if (live) {
            waitFor(end);
        }
        if (now < end) {
            now = end;
        }
        eventsRun += fired;
        return fired;
    }

    /**
     * Hands a piece of work in from another thread (live mode): it runs on the scheduler's
     * thread at the current simulated time, before the next event.
     */
    public void inject(Runnable work) {
        injected.add(work);
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void drainInjected() {
        Runnable r;
        while ((r = injected.poll()) != null) {
            r.run();
        }
    }

    /** Waits until the wall clock reaches {@code time}; false if injected work arrived first. */
    private boolean waitFor(long time) {
        long target = wallStart + time;
        while (true) {
            long left = target - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (!injected.isEmpty()) {
                long wallNow = System.nanoTime() - wallStart;
                if (wallNow > now) {
                    now = Math.min(wallNow, time);
                }
                drainInjected();
                return false;
            }
            LockSupport.parkNanos(left);
        }
    }

    private void removeTop() {
        Event top = heap[0];
        Event last = heap[--size];
        heap[size] = null;
        top.heapIndex = -1;
        if (size > 0) {
            heap[0] = last;
            last.heapIndex = 0;
            siftDown(0);
        }
    }

    private static boolean less(Event a, Event b) {
        return a.time < b.time || (a.time == b.time && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Event e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            Event pe = heap[p];
            if (!less(e, pe)) {
                break;
            }
            heap[i] = pe;
            pe.heapIndex = i;
            i = p;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        Event e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            Event ce = heap[c];
            int r = c + 1;
            if (r < size && less(heap[r], ce)) {
                c = r;
                ce = heap[r];
            }
            if (!less(ce, e)) {
                break;
            }
            heap[i] = ce;
            ce.heapIndex = i;
            i = c;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
