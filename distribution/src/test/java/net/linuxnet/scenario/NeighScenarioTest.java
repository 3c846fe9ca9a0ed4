package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.linuxnet.core.host.World;
import net.linuxnet.core.report.Report;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** A scenario with static ARP entries: the {@code neigh} key, and the report's {@code ip neigh} and {@code arp_cache}. */
final class NeighScenarioTest {
    private static final String SCENARIO = """
            linuxnet {
              run { duration = 10ms, seed = 1 }
              hosts {
                a { devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a" } }
                    neigh = [ { dst = "10.0.0.2", lladdr = "02:00:00:00:00:0b", dev = veth0 },
                              { dst = "10.0.0.3", lladdr = "02:00:00:00:00:0c", dev = veth0, nud = permanent } ] }
                b { devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b" } } }
              }
            }
            """;

    @Test
    void staticEntriesShowInTheReport() {
        World w = TestWorlds.run(SCENARIO);
        String text = Report.text(w);
        assertThat(text).contains("$ ip neigh show\n10.0.0.2 dev veth0 lladdr 02:00:00:00:00:0b PERMANENT\n"
                + "10.0.0.3 dev veth0 lladdr 02:00:00:00:00:0c PERMANENT\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) Report.build(w).get("hosts")).get("a");
        assertThat(a.get("neigh")).isEqualTo(List.of(
                Map.of("dst", "10.0.0.2", "dev", "veth0", "lladdr", "02:00:00:00:00:0b", "state", List.of("PERMANENT")),
                Map.of("dst", "10.0.0.3", "dev", "veth0", "lladdr", "02:00:00:00:00:0c", "state", List.of("PERMANENT"))));
        @SuppressWarnings("unchecked")
        Map<String, Long> cache = (Map<String, Long>) a.get("arp_cache");
        assertThat(cache).containsEntry("entries", 2L).containsEntry("allocs", 2L);
    }

    @Test
    void aBadEntryIsAConfigErrorWithItsLine() {
        assertThatThrownBy(() -> TestWorlds.build(SCENARIO.replace("dev = veth0 }", "dev = veth1 }")))
                .hasMessageContaining("test.conf:5: linuxnet.hosts.a.neigh[0].dev: no device 'veth1' on host a (devices: lo, veth0)");
    }
}
