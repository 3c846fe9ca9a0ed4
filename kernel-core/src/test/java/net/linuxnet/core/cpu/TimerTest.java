package net.linuxnet.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** Timers in the kernel's shape: armed, re-armed, cancelled, run in TIMER softirq on the arming CPU. */
final class TimerTest {

    private static World world() {
        return TestWorlds.build("""
                linuxnet {
                  run { duration = 10ms, drain = 0s }
                  hosts.h { cpus = 2, devices { d { driver = testnic } }, sysctl { "net.core.default_qdisc" = testfifo } }
                }
                """);
    }

    @Test
    void aTimerFiresOnceInTimerSoftirqOnTheCpuThatArmedIt() {
        World w = world();
        Host h = w.host("h");
        List<String> log = new ArrayList<>();
        TimerList t = h.timerSetup(timer -> log.add("fired@" + h.ktimeGetNs() + " cpu" + h.smpProcessorId()
                + " pending=" + timer.pending()));
        h.taskCreate("armer", 1, task -> t.mod(2_000_000L)).wakeUp();
        w.run(null);

        assertThat(log).hasSize(1);
        assertThat(log.getFirst()).startsWith("fired@2000").endsWith("cpu1 pending=false");
        assertThat(h.cpu(1).softirqCount(Softirq.TIMER)).isEqualTo(1);
        assertThat(h.cpu(0).softirqCount(Softirq.TIMER)).isZero();
    }

    @Test
    void modMovesAPendingTimerAndDelCancelsIt() {
        World w = world();
        Host h = w.host("h");
        List<Long> fired = new ArrayList<>();
        TimerList moved = h.timerSetup(timer -> fired.add(h.ktimeGetNs()));
        TimerList cancelled = h.timerSetup(timer -> fired.add(-1L));
        assertThat(moved.mod(1_000_000L)).isFalse();
        assertThat(moved.mod(3_000_000L)).isTrue();
        cancelled.mod(2_000_000L);
        assertThat(cancelled.del()).isTrue();
        assertThat(cancelled.del()).isFalse();
        w.run(null);

        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst()).isBetween(3_000_000L, 3_010_000L);
        assertThat(moved.pending()).isFalse();
    }
}
