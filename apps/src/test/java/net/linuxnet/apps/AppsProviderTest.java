package net.linuxnet.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.plugin.ApplicationProvider;
import org.junit.jupiter.api.Test;

final class AppsProviderTest {

    @Test
    void loadsThroughServiceLoader() {
        ApplicationProvider provider = ServiceLoader.load(ApplicationProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(AppsProvider.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertThat(provider.apiVersion()).isEqualTo(ApiVersion.VERSION);
        assertThat(provider.applications()).extracting(ApplicationType::kind).containsExactly("pktgen", "af-packet", "udp-sender", "udp-sink", "udp-echo", "udp-rr", "ping", "tcp-server", "tcp-client", "syn-flood");
    }
}
