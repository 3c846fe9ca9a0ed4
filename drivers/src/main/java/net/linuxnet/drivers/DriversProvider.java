package net.linuxnet.drivers;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.plugin.NetDeviceDriverProvider;
import net.linuxnet.drivers.ifb.Ifb;
import net.linuxnet.drivers.loopback.Loopback;
import net.linuxnet.drivers.veth.Veth;

/**
 * Registers the built-in drivers by link kind, as the {@code module_init} of
 * {@code drivers/net/veth.c} calls {@code rtnl_link_register(&veth_link_ops)}:
 * {@code veth}, {@code loopback} and {@code ifb}.
 */
public final class DriversProvider implements NetDeviceDriverProvider {

    private final List<NetDeviceDriver> drivers = List.of(new Veth(), new Loopback(), new Ifb());

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<NetDeviceDriver> drivers() {
        return drivers;
    }
}
