package net.linuxnet.apps.pktgen;

import java.util.stream.Collectors;
import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;

/**
 * The {@code pktgen} application kind: binds a {@link PktgenDev} to a device of the host, as
 * {@code pktgen_add_device} and {@code pktgen_setup_dev} in {@code net/core/pktgen.c} do for
 * {@code add_device <dev>}. Refuses a device that does not exist ({@code -ENODEV}) or is not
 * Ethernet ({@code -EINVAL}), and a CPU the host does not have.
 */
public final class PktgenType implements ApplicationType {

    public static final String KIND = "pktgen";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Application create(String name, Kernel kernel, Options options) {
        PktgenOptions o = PktgenOptions.parse(options);
        NetDevice odev = kernel.devGetByName(o.dev());
        if (odev == null) {
            throw options.error("dev", "no such netdevice: \"" + o.dev() + "\" on host " + kernel.hostname()
                    + " (expected: one of " + kernel.devices().stream().map(NetDevice::name)
                    .collect(Collectors.joining(", ", "[", "]")) + ")");
        }
        if (odev.type() != IfEther.ARPHRD_ETHER) {
            throw options.error("dev", "not an ethernet device: \"" + o.dev() + "\" (expected: a device of type ARPHRD_ETHER)");
        }
        if (o.cpu() >= kernel.numCpus()) {
            throw options.error("cpu", "cpu " + o.cpu() + " does not exist on host " + kernel.hostname()
                    + " (expected: 0.." + (kernel.numCpus() - 1) + ")");
        }
        CostStage stage = kernel.costStage(PktgenDev.COST_STAGE);
        return new PktgenDev(name, kernel, odev, o, stage);
    }
}
