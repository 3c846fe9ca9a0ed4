package net.linuxnet.core.plugin;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.plugin.NetDeviceDriverProvider;

/**
 * Registers link kind {@code testdummy} from the test classpath
 * ({@code src/test/resources/META-INF/services}), so every kernel-core test, and every module
 * that uses kernel-core's test jar, sees it. The driver leaves a device as allocated; the
 * name is unique so that it cannot collide with a real driver.
 */
public final class TestDummyDriverProvider implements NetDeviceDriverProvider {

    /** The link kind this provider registers. */
    public static final String KIND = "testdummy";

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<NetDeviceDriver> drivers() {
        return List.of(new TestDummyDriver());
    }

    /** A driver that configures nothing. */
    public static final class TestDummyDriver implements NetDeviceDriver {

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public void setup(NetDevice dev) {
        }

        @Override
        public void newLink(NetDevice dev, Options options, LinkContext ctx) {
        }
    }
}
