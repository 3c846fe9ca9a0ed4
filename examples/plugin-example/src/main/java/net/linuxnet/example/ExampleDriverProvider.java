package net.linuxnet.example;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.plugin.NetDeviceDriverProvider;
import net.linuxnet.example.dummy.Dummy;

/**
 * Registers the example's driver, {@code dummy}, as {@code dummy_init_module} calls
 * {@code rtnl_link_register(&dummy_link_ops)}.
 */
public final class ExampleDriverProvider implements NetDeviceDriverProvider {

    private final List<NetDeviceDriver> drivers = List.of(new Dummy());

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<NetDeviceDriver> drivers() {
        return drivers;
    }
}
