package net.linuxnet.core.cpu;

import java.util.ArrayDeque;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.core.sim.Event;
import net.linuxnet.core.sim.Scheduler;

/**
 * One modelled CPU: it runs hard IRQs, softirqs and tasks one at a time and charges each the
 * time its work costs.
 *
 * <p>Work runs inside a <em>dispatch</em>: an event at the time the CPU becomes free. During
 * a dispatch the CPU's {@link #cursor()} starts at the event's time and moves forward with
 * every cost charged; the kernel's clock reads the cursor, and the next dispatch cannot start
 * before it. A dispatch runs, in this order of priority:
 * <ol>
 *   <li>every queued hard IRQ (in hard IRQ context), then, as {@code irq_exit} does, the
 *       pending softirqs ({@code __do_softirq});</li>
 *   <li>otherwise, after a remote raise (an IPI, a timer interrupt, a frame handed over by a
 *       veth peer on another host), the pending softirqs;</li>
 *   <li>otherwise one step of the first task on the run queue (process context), followed
 *       by the softirqs it raised, as {@code local_bh_enable} runs them.</li>
 * </ol>
 *
 * <p>{@code __do_softirq} restarts while softirqs are raised again, at most
 * {@code MAX_SOFTIRQ_RESTART} (10) times and for at most {@code MAX_SOFTIRQ_TIME} (2 ms);
 * then it wakes {@code ksoftirqd/N}, a task that competes for the CPU with the others in
 * round-robin order. Follows {@code handle_softirqs()} in {@code kernel/softirq.c} (Linux
 * 6.18, where softirqs raised at IRQ exit run inline even while ksoftirqd is awake).
 */
public final class Cpu {
    static final int MAX_SOFTIRQ_RESTART = 10;
    static final long MAX_SOFTIRQ_TIME_NS = 2_000_000L;

    private final int index;
    private final Scheduler scheduler;
    private final CpuSet cpus;
    private final SoftirqHandler[] handlers = new SoftirqHandler[Softirq.values().length];
    private final long[] softirqCounts = new long[Softirq.values().length];
    private final long[] contextNs = new long[CpuContext.values().length];
    private final ArrayDeque<TaskImpl> runQueue = new ArrayDeque<>();
    private final ArrayDeque<TimerImpl> expiredTimers = new ArrayDeque<>();
    private final Event dispatch = new Event() {
        @Override
        protected void fire() {
            dispatch();
        }
    };
    private final CostStage hardirqCost;
    private final CostStage softirqCost;
    private final CostStage switchCost;
    private CpuContext context = CpuContext.IDLE;
    private long cursor;
    private long busyUntil;
    private int softirqPending;
    private boolean kicked;
    private IrqDescImpl irqHead;
    private IrqDescImpl irqTail;
    private TaskImpl ksoftirqd;
    private TaskImpl lastTask;

    Cpu(CpuSet cpus, int index, Scheduler scheduler, CostStage hardirqCost, CostStage softirqCost, CostStage switchCost) {
        this.cpus = cpus;
        this.index = index;
        this.scheduler = scheduler;
        this.hardirqCost = hardirqCost;
        this.softirqCost = softirqCost;
        this.switchCost = switchCost;
        open(Softirq.TIMER, Cpu::runTimerSoftirq);
    }

    void createKsoftirqd() {
        ksoftirqd = new TaskImpl(cpus, this, "ksoftirqd/" + index, t -> runKsoftirqd(), true);
    }

    public int index() {
        return index;
    }

    /** This CPU's time: the dispatch's start plus what was charged since, or the clock when idle. */
    public long cursor() {
        return cpus.current() == this ? cursor : scheduler.now();
    }

    long cursorRaw() {
        return cursor;
    }

    public CpuContext context() {
        return context;
    }

    /** {@code open_softirq}. */
    public void open(Softirq nr, SoftirqHandler handler) {
        handlers[nr.ordinal()] = handler;
    }

    // ---- accounting ---------------------------------------------------------------------

    /** Charges {@code ns} to the current context and moves the cursor on. */
    public void chargeNs(long ns) {
        cursor += ns;
        contextNs[context.ordinal()] += ns;
    }

    public void charge(CostStage stage, int bytes) {
        chargeNs(stage.costNs(bytes));
    }

    /** Nanoseconds spent in {@code ctx}. */
    public long timeIn(CpuContext ctx) {
        return contextNs[ctx.ordinal()];
    }

    /** Times each softirq vector ran here ({@code /proc/softirqs}). */
    public long softirqCount(Softirq nr) {
        return softirqCounts[nr.ordinal()];
    }

    // ---- softirqs --------------------------------------------------------------------------

    /**
     * Marks a softirq pending here ({@code raise_softirq}). Raised from this CPU's own work, it
     * runs when that work ends (IRQ exit, bh enable, softirq restart); raised from elsewhere,
     * it kicks this CPU as an IPI would.
     */
    public void raiseSoftirq(Softirq nr) {
        softirqPending |= nr.bit;
        if (cpus.current() != this) {
            kicked = true;
            ensureDispatch();
        }
    }

    public boolean softirqPending(Softirq nr) {
        return (softirqPending & nr.bit) != 0;
    }

    private void doSoftirq(CpuContext ctx) {
        CpuContext prev = context;
        context = ctx;
        long start = cursor;
        int restart = MAX_SOFTIRQ_RESTART;
        while (true) {
            int pending = softirqPending;
            softirqPending = 0;
            chargeNs(softirqCost.perPacketNs());
            for (int nr = 0; pending != 0; nr++, pending >>>= 1) {
                if ((pending & 1) != 0) {
                    softirqCounts[nr]++;
                    SoftirqHandler h = handlers[nr];
                    if (h != null) {
                        h.action(this);
                    }
                }
            }
            if (softirqPending == 0) {
                break;
            }
            if (cursor - start < MAX_SOFTIRQ_TIME_NS && --restart > 0) {
                continue;
            }
            wakeupSoftirqd();
            break;
        }
        context = prev;
    }

    private void wakeupSoftirqd() {
        if (ksoftirqd != null) {
            ksoftirqd.wakeUp();
        }
    }

    private void runKsoftirqd() {
        if (softirqPending != 0) {
            doSoftirq(CpuContext.KSOFTIRQD);
        }
        if (softirqPending != 0) {
            ksoftirqd.wakeUp();
        }
    }

    /** Whether {@code ksoftirqd/N} is waiting to run or running. */
    public boolean ksoftirqdRunnable() {
        return ksoftirqd != null && ksoftirqd.runnable();
    }

    public TaskImpl ksoftirqd() {
        return ksoftirqd;
    }

    // ---- timers ----------------------------------------------------------------------------

    void timerExpired(TimerImpl t) {
        if (!t.onExpiredList) {
            t.onExpiredList = true;
            expiredTimers.add(t);
        }
        raiseSoftirq(Softirq.TIMER);
    }

    private void runTimerSoftirq() {
        TimerImpl t;
        while ((t = expiredTimers.poll()) != null) {
            t.onExpiredList = false;
            t.runIfExpired();
        }
    }

    // ---- hard IRQs -------------------------------------------------------------------------

    void queueIrq(IrqDescImpl irq) {
        if (irq.queued) {
            return;
        }
        irq.queued = true;
        irq.next = null;
        if (irqTail == null) {
            irqHead = irq;
        } else {
            irqTail.next = irq;
        }
        irqTail = irq;
        ensureDispatch();
    }

    // ---- tasks -----------------------------------------------------------------------------

    void enqueueTask(TaskImpl t) {
        runQueue.add(t);
        ensureDispatch();
    }

    /** Tasks waiting to run. */
    public int runQueueLength() {
        return runQueue.size();
    }

    // ---- dispatch --------------------------------------------------------------------------

    private void ensureDispatch() {
        if (dispatch.scheduled() || cpus.current() == this) {
            return;
        }
        scheduler.schedule(dispatch, Math.max(cpus.nowCursor(), busyUntil));
    }

    private void dispatch() {
        cpus.setCurrent(this);
        cursor = scheduler.now();
        boolean irqExit = kicked;
        kicked = false;
        while (irqHead != null) {
            IrqDescImpl irq = irqHead;
            irqHead = irq.next;
            if (irqHead == null) {
                irqTail = null;
            }
            irq.next = null;
            irq.queued = false;
            context = CpuContext.HARDIRQ;
            chargeNs(hardirqCost.perPacketNs());
            irq.handleOn(this);
            context = CpuContext.IDLE;
            irqExit = true;
        }
        if (irqExit) {
            if (softirqPending != 0) {
                doSoftirq(CpuContext.SOFTIRQ);
            }
        } else {
            TaskImpl t = runQueue.poll();
            if (t != null) {
                runTask(t);
            }
        }
        busyUntil = cursor;
        cpus.setCurrent(null);
        context = CpuContext.IDLE;
        if (irqHead != null || kicked || !runQueue.isEmpty()) {
            scheduler.schedule(dispatch, busyUntil);
        }
    }

    private void runTask(TaskImpl t) {
        context = t.isKsoftirqd() ? CpuContext.KSOFTIRQD : CpuContext.PROCESS;
        if (t != lastTask) {
            chargeNs(switchCost.perPacketNs());
            lastTask = t;
        }
        t.runStep();
        context = CpuContext.IDLE;
        if (!t.isKsoftirqd() && softirqPending != 0) {
            doSoftirq(CpuContext.SOFTIRQ);
        }
    }

    /** When this CPU is next free. */
    public long busyUntil() {
        return busyUntil;
    }
}
