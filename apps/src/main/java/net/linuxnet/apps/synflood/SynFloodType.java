package net.linuxnet.apps.synflood;

import java.util.stream.Collectors;
import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;

/**
 * The {@code syn-flood} application kind ({@link SynFlood}): refuses a device that does not
 * exist or is not Ethernet, and a CPU the host does not have.
 */
public final class SynFloodType implements ApplicationType {
    public static final String KIND = "syn-flood";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Application create(String name, Kernel kernel, Options options) {
        SynFloodOptions o = SynFloodOptions.parse(options);
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
        return new SynFlood(name, kernel, odev, o, kernel.costStage(SynFlood.COST_STAGE));
    }
}
