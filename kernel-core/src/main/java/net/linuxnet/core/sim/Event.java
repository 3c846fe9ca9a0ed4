package net.linuxnet.core.sim;

/**
 * Something that happens at one instant of simulated time. An event object is reusable: a
 * component keeps its events and re-arms them, so scheduling allocates nothing.
 */
public abstract class Event {
    long time;
    long seq;
    int heapIndex = -1;

    /** Runs the event; the scheduler's clock reads its time. */
    protected abstract void fire();

    /** Whether the event is waiting in the scheduler. */
    public final boolean scheduled() {
        return heapIndex >= 0;
    }

    /** When it fires, if scheduled. */
    public final long time() {
        return time;
    }
}
