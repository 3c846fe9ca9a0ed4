package net.linuxnet.qdisc;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.qdisc.fifo.SchFifo;
import net.linuxnet.qdisc.fqcodel.SchFqCodel;

/**
 * Registers the built-in qdiscs by kind, as each {@code net/sched/sch_*.c} module calls
 * {@code register_qdisc}: {@code pfifo}, {@code bfifo}, {@code pfifo_head_drop}, {@code fq_codel}.
 */
public final class QdiscsProvider implements QdiscProvider {

    private final List<QdiscOps<?>> qdiscs = List.of(
            SchFifo.PFIFO_QDISC_OPS,
            SchFifo.BFIFO_QDISC_OPS,
            SchFifo.PFIFO_HEAD_DROP_QDISC_OPS,
            SchFqCodel.FQ_CODEL_QDISC_OPS);

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<QdiscOps<?>> qdiscs() {
        return qdiscs;
    }
}
