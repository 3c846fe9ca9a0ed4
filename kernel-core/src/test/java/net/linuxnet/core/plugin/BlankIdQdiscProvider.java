package net.linuxnet.core.plugin;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.Qdisc;
import net.linuxnet.api.sched.QdiscOps;

/**
 * Registers qdisc ops whose id is blank, which {@code register_qdisc} would refuse. Not listed
 * in {@code META-INF/services}: tests list it in a services file of their own.
 */
public final class BlankIdQdiscProvider implements QdiscProvider {

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<QdiscOps<?>> qdiscs() {
        return List.of(new BlankId());
    }

    /** Qdisc ops with id {@code " "}. */
    public static final class BlankId implements QdiscOps<Void> {

        @Override
        public String id() {
            return " ";
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
