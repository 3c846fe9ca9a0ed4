package net.linuxnet.protocols.ipv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.linuxnet.core.config.ConfigException;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.report.Report;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** {@code addresses} and {@code routes}: what they build, and errors with file and line. */
final class Ipv4ConfigTest {

    @Test
    void addressesAndRoutesBuildTheTablesOfIpRoute() {
        World w = Ipv4Worlds.build(Ipv4Worlds.scenario("").replace(
                "routes = [ { dst = default, via = \"10.0.2.254\", dev = veth0 } ]",
                "routes = [ { dst = default, via = \"10.0.2.254\", dev = veth0 },\n"
                        + "                   { dst = \"10.9.0.0/16\", via = \"10.0.2.7\", src = \"10.0.2.1\", mtu = 1400 } ]"));
        Host b = w.host("b");
        StringBuilder text = new StringBuilder();
        Ipv4Provider.of(b).fib().text(text);
        w.finish();
        assertThat(text.toString()).isEqualTo("""
                $ ip route show table all
                default via 10.0.2.254 dev veth0
                10.0.2.0/24 dev veth0 proto kernel scope link src 10.0.2.1
                10.9.0.0/16 via 10.0.2.7 dev veth0 src 10.0.2.1 mtu 1400
                local 10.0.2.1 dev veth0 table local proto kernel scope host src 10.0.2.1
                broadcast 10.0.2.255 dev veth0 table local proto kernel scope link src 10.0.2.1
                local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
                local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
                broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1
                """);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> json = (List<Map<String, Object>>) Ipv4Provider.of(b).fib().json();
        assertThat(json.get(2)).containsEntry("table", "main").containsEntry("dst", "10.9.0.0/16")
                .containsEntry("gateway", "10.0.2.7").containsEntry("dev", "veth0").containsEntry("protocol", "boot")
                .containsEntry("scope", "global").containsEntry("type", "unicast").containsEntry("prefsrc", "10.0.2.1")
                .containsEntry("mtu", 1400);
        assertThat(Report.json(w)).contains("\"routes\"").contains("\"prefsrc\": \"10.0.2.1\"");
        assertThat(Report.text(w)).contains("$ ip route show table all")
                .contains("10.9.0.0/16 via 10.0.2.7 dev veth0 src 10.0.2.1 mtu 1400");
    }

    @Test
    void aGatewayNotOnLinkIsRejectedWithTheKernelsWords() {
        String bad = Ipv4Worlds.scenario("").replace("via = \"10.0.2.254\"", "via = \"10.7.0.1\"");
        assertThatThrownBy(() -> TestWorlds.build(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:")
                .hasMessageContaining("Nexthop has invalid gateway");
    }

    @Test
    void badAddressesAndRouteKeysAreErrorsWithTheAcceptedForms() {
        assertThatThrownBy(() -> TestWorlds.build(Ipv4Worlds.scenario("").replace("10.0.2.1/24", "10.0.2.300/24")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test.conf:")
                .hasMessageContaining("a.b.c.d/len");
        assertThatThrownBy(() -> TestWorlds.build(Ipv4Worlds.scenario("").replace("dev = veth0 }", "dev = veth0, metric = 3 }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metric")
                .hasMessageContaining("accepted: dev, dst, mtu, src, via");
        assertThatThrownBy(() -> TestWorlds.build(Ipv4Worlds.scenario("").replace("dst = default, via = \"10.0.2.254\"",
                "dst = \"10.1.0.1/16\", via = \"10.0.2.254\""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid prefix for given prefix length");
    }
}
