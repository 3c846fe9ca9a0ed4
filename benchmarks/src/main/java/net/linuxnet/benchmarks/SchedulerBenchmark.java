package net.linuxnet.benchmarks;

import java.util.concurrent.TimeUnit;
import net.linuxnet.core.sim.Event;
import net.linuxnet.core.sim.Scheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Events per second through the discrete-event {@link Scheduler}, in steady state: {@code
 * pending} reusable events each re-arm themselves one period later when they fire, as a
 * CPU's dispatch or a task's wake-up event does. Event {@code i} first fires at {@code i} ns
 * and its period is {@code pending} ns, so exactly one event fires per simulated nanosecond
 * and every fire costs one removal from the top of a heap of {@code pending} events plus one
 * insertion. One operation is one event fired; nothing should be allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SchedulerBenchmark {

    /** Events fired per benchmark invocation: simulated nanoseconds advanced per call. */
    private static final int EVENTS_PER_INVOCATION = 4096;

    /** Events waiting in the heap at any time. */
    @Param({"16", "1024"})
    public int pending;

    private Scheduler scheduler;
    private long end;

    /** An event that schedules itself again {@code period} ns after it fires. */
    private static final class Periodic extends Event {
        private final Scheduler scheduler;
        private final long period;

        Periodic(Scheduler scheduler, long period) {
            this.scheduler = scheduler;
            this.period = period;
        }

        @Override
        protected void fire() {
            scheduler.schedule(this, time() + period);
        }
    }

    @Setup
    public void setUp() {
        scheduler = new Scheduler();
        for (int i = 0; i < pending; i++) {
            scheduler.schedule(new Periodic(scheduler, pending), i);
        }
        end = -1;
    }

    /** Fires the next {@value #EVENTS_PER_INVOCATION} events. */
    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public long fireEvents() {
        end += EVENTS_PER_INVOCATION;
        return scheduler.runUntil(end);
    }
}
