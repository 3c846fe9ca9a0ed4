package net.linuxnet.core.dev;

import net.linuxnet.api.net.NapiStruct;
import net.linuxnet.api.net.SkBuffHead;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.core.cpu.Cpu;
import net.linuxnet.core.sim.Event;

/**
 * Per-CPU receive and transmit state, as {@code struct softnet_data}: the backlog queues that
 * {@code netif_rx} fills, the NAPI poll list, the qdiscs waiting for NET_TX, and the counters
 * of {@code /proc/net/softnet_stat}.
 */
public final class SoftnetData {
    final Cpu cpu;
    /** Filled by {@code enqueue_to_backlog}, bounded by {@code netdev_max_backlog}. */
    final SkBuffHead inputPktQueue = new SkBuffHead();
    /** Spliced from {@code inputPktQueue} by {@code process_backlog}. */
    final SkBuffHead processQueue = new SkBuffHead();
    final NapiStruct backlog;
    NapiStruct pollHead;
    NapiStruct pollTail;
    Qdisc<?> outputHead;
    Qdisc<?> outputTail;
    /** Repolls the backlog when its head packet arrives later than the CPU's present. */
    final Event backlogWake;

    public long processed;
    public long dropped;
    public long timeSqueeze;
    public long receivedRps;
    public long flowLimitCount;
    public long cpuCollision;

    SoftnetData(Cpu cpu, NapiStruct backlog, Event backlogWake) {
        this.cpu = cpu;
        this.backlog = backlog;
        this.backlogWake = backlogWake;
    }

    public Cpu cpu() {
        return cpu;
    }

    /** Packets waiting in {@code input_pkt_queue}. */
    public int inputQueueLength() {
        return inputPktQueue.qlen();
    }

    /** Packets waiting in {@code process_queue}. */
    public int processQueueLength() {
        return processQueue.qlen();
    }

    void addToPollList(NapiStruct n) {
        n.nextOnList = null;
        if (pollTail == null) {
            pollHead = n;
        } else {
            pollTail.nextOnList = n;
        }
        pollTail = n;
    }
}
