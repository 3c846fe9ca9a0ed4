package net.linuxnet.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** The event scheduler: time order, FIFO among equal times, re-arming, cancelling, live pacing. */
final class SchedulerTest {

    private static final class Rec extends Event {
        final String name;
        final List<String> log;
        final Scheduler s;

        Rec(String name, List<String> log, Scheduler s) {
            this.name = name;
            this.log = log;
            this.s = s;
        }

        @Override
        protected void fire() {
            log.add(name + "@" + s.now());
        }
    }

    @Test
    void eventsFireInTimeOrderAndInSchedulingOrderAtEqualTimes() {
        Scheduler s = new Scheduler();
        List<String> log = new ArrayList<>();
        s.schedule(new Rec("c", log, s), 30);
        s.schedule(new Rec("a1", log, s), 10);
        s.schedule(new Rec("b", log, s), 20);
        s.schedule(new Rec("a2", log, s), 10);
        s.schedule(new Rec("a3", log, s), 10);
        assertThat(s.runUntil(100)).isEqualTo(5);
        assertThat(log).containsExactly("a1@10", "a2@10", "a3@10", "b@20", "c@30");
        assertThat(s.now()).isEqualTo(100);
    }

    @Test
    void rearmingMovesAnEventAndCancellingRemovesIt() {
        Scheduler s = new Scheduler();
        List<String> log = new ArrayList<>();
        Rec a = new Rec("a", log, s);
        Rec b = new Rec("b", log, s);
        s.schedule(a, 10);
        s.schedule(b, 20);
        s.schedule(a, 30);              // mod_timer on a pending timer
        assertThat(s.cancel(b)).isTrue();
        assertThat(s.cancel(b)).isFalse();
        s.runUntil(100);
        assertThat(log).containsExactly("a@30");
        assertThat(a.scheduled()).isFalse();
    }

    @Test
    void aTimeInThePastMeansNow() {
        Scheduler s = new Scheduler();
        List<String> log = new ArrayList<>();
        s.runUntil(50);
        s.schedule(new Rec("late", log, s), 10);
        s.runUntil(50);
        assertThat(log).containsExactly("late@50");
    }

    @Test
    void manyEventsComeOutSorted() {
        Scheduler s = new Scheduler();
        List<Long> fired = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            s.schedule(new Event() {
                @Override
                protected void fire() {
                    fired.add(s.now());
                }
            }, r.nextLong(1_000_000));
        }
        s.runUntil(1_000_000);
        assertThat(fired).hasSize(5000).isSorted();
    }

    private static final String TICKS = """
            linuxnet {
              run { duration = 100ms, drain = 0s, seed = 1, mode = %s }
              hosts.h { cpus = 1, devices { eth0 { driver = testnic } }, sysctl { "net.core.default_qdisc" = testfifo } }
            }
            """;

    /** A world whose only work is an event every millisecond for 100 ms. */
    private static World ticking(String mode) {
        World w = TestWorlds.build(TICKS.formatted(mode));
        Scheduler s = w.scheduler();
        s.schedule(new Event() {
            @Override
            protected void fire() {
                if (s.now() < 100_000_000L) {
                    s.schedule(this, s.now() + 1_000_000L);
                }
            }
        }, 0);
        return w;
    }

    @Test
    void liveModePacesTheSameEventsToTheWallClock() {
        ticking("simulated").run(null);         // warm up
        World simulated = ticking("simulated");
        long t0 = System.nanoTime();
        simulated.run(null);
        long simulatedWallNs = System.nanoTime() - t0;

        World live = ticking("live");
        t0 = System.nanoTime();
        live.run(null);
        long liveWallNs = System.nanoTime() - t0;

        assertThat(live.scheduler().eventsRun()).isEqualTo(simulated.scheduler().eventsRun());
        assertThat(liveWallNs).isGreaterThanOrEqualTo(100_000_000L);
        assertThat(simulatedWallNs).isLessThan(liveWallNs / 4);
    }
}
