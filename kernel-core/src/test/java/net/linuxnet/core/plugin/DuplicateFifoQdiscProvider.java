package net.linuxnet.core.plugin;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;

/**
 * Registers a second {@code testfifo}, to provoke a duplicate kind. Not listed in
 * {@code META-INF/services}: tests list it in a services file of their own.
 */
public final class DuplicateFifoQdiscProvider implements QdiscProvider {

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<QdiscOps<?>> qdiscs() {
        return List.of(new DuplicateFifo());
    }

    /** Another qdisc that calls itself {@code testfifo}. */
    public static final class DuplicateFifo implements QdiscOps<Void> {

        @Override
        public String id() {
            return TestFifoQdiscProvider.KIND;
        }

        @Override
        public Void init(Qdisc<Void> sch, Options options) {
            return null;
        }

        @Override
        public int enqueue(SkBuff skb, Qdisc<Void> sch) {
            return sch.qdiscEnqueueTail(skb);
        }

        @Override
        public SkBuff dequeue(Qdisc<Void> sch) {
            return sch.qdiscDequeueHead();
        }
    }
}
