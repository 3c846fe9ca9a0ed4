package net.linuxnet.apps.synflood;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.apps.AppOptions;

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
        NetDevice odev = AppOptions.device(options, kernel, o.dev(), true, "");
        AppOptions.checkCpu(options, kernel, o.cpu());
        return new SynFlood(name, kernel, odev, o, kernel.costStage(SynFlood.COST_STAGE));
    }
}
