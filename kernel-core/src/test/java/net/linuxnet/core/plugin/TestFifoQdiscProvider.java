package net.linuxnet.core.plugin;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;

/**
 * Registers qdisc kind {@code testfifo} from the test classpath
 * ({@code src/test/resources/META-INF/services}), so every kernel-core test, and every module
 * that uses kernel-core's test jar, sees it. It is a packet-limited fifo, as {@code pfifo}
 * (follows pfifo_enqueue() in net/sched/sch_fifo.c), under a name no real qdisc uses.
 */
public final class TestFifoQdiscProvider implements QdiscProvider {

    /** The qdisc kind this provider registers. */
    public static final String KIND = "testfifo";

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<QdiscOps<?>> qdiscs() {
        return List.of(new TestFifo());
    }

    /** Tail-drop fifo of at most {@code limit} packets. */
    public static final class TestFifo implements QdiscOps<Void> {

        @Override
        public String id() {
            return KIND;
        }

        @Override
        public Void init(Qdisc<Void> sch, Options options) {
            return null;
        }

        @Override
        public int enqueue(SkBuff skb, Qdisc<Void> sch) {
            if (sch.qlen < sch.limit()) {
                return sch.qdiscEnqueueTail(skb);
            }
            return sch.qdiscDrop(skb);
        }

        @Override
        public SkBuff dequeue(Qdisc<Void> sch) {
            return sch.qdiscDequeueHead();
        }
    }
}
