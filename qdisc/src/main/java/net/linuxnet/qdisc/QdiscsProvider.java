package net.linuxnet.qdisc;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.qdisc.fifo.SchFifo;
import net.linuxnet.qdisc.fqcodel.SchFqCodel;
import net.linuxnet.qdisc.generic.SchGeneric;
import net.linuxnet.qdisc.ingress.SchIngress;
import net.linuxnet.qdisc.mq.SchMq;
import net.linuxnet.qdisc.tbf.SchTbf;

/**
 * Registers the built-in qdiscs by kind, as each {@code net/sched/sch_*.c} module calls
 * {@code register_qdisc}: {@code pfifo}, {@code bfifo}, {@code pfifo_head_drop},
 * {@code pfifo_fast}, {@code tbf}, {@code fq_codel}, {@code mq}, {@code ingress}.
 */
public final class QdiscsProvider implements QdiscProvider {

    private final List<QdiscOps<?>> qdiscs = List.of(
            SchFifo.PFIFO_QDISC_OPS,
            SchFifo.BFIFO_QDISC_OPS,
            SchFifo.PFIFO_HEAD_DROP_QDISC_OPS,
            SchGeneric.PFIFO_FAST_OPS,
            SchTbf.TBF_QDISC_OPS,
            SchFqCodel.FQ_CODEL_QDISC_OPS,
            SchMq.MQ_QDISC_OPS,
            SchIngress.INGRESS_QDISC_OPS);

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<QdiscOps<?>> qdiscs() {
        return qdiscs;
    }
}
