package net.linuxnet.example;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.plugin.QdiscProvider;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.example.sched.SchCount;

/** Registers the example's qdisc, {@code count}, as a {@code sch_*.c} module calls {@code register_qdisc}. */
public final class ExampleQdiscProvider implements QdiscProvider {

    private final List<QdiscOps<?>> qdiscs = List.of(new SchCount());

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<QdiscOps<?>> qdiscs() {
        return qdiscs;
    }
}
