package net.linuxnet.apps.pktgen;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.apps.AppOptions;

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
        NetDevice odev = AppOptions.device(options, kernel, o.dev(), true, "");
        AppOptions.checkCpu(options, kernel, o.cpu());
        CostStage stage = kernel.costStage(PktgenDev.COST_STAGE);
        return new PktgenDev(name, kernel, odev, o, stage);
    }
}
