package net.linuxnet.protocols.arp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.linuxnet.api.kernel.ReportSection;

/** The report's views of the ARP table: {@code ip -j neigh} and {@code /proc/net/stat/arp_cache}. */
final class NeighReport {
    private NeighReport() {
    }

    /**
     * {@code neigh}: one row per entry, as {@code ip -j neigh show} prints them:
     * {@code {"dst", "dev", "lladdr", "state": ["REACHABLE"]}}; entries without a valid address
     * (INCOMPLETE, FAILED) have no {@code lladdr}.
     */
    static final class Neigh implements ReportSection {
        private final NeighTable tbl;

        Neigh(NeighTable tbl) {
            this.tbl = tbl;
        }

        @Override
        public String key() {
            return "neigh";
        }

        @Override
        public Object json() {
            List<Object> rows = new ArrayList<>();
            for (Neighbour n : tbl.entries()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("dst", NeighTable.ipString(n.primaryKey));
                row.put("dev", n.dev.name());
                if ((n.nudState & Neighbour.NUD_VALID) != 0) {
                    row.put("lladdr", NeighTable.macString(n.ha, 0));
                }
                row.put("state", List.of(Neighbour.stateName(n.nudState)));
                rows.add(row);
            }
            return rows;
        }

        @Override
        public void text(StringBuilder out) {
            out.append("$ ip neigh show\n");
            for (Neighbour n : tbl.entries()) {
                out.append(NeighTable.ipString(n.primaryKey)).append(" dev ").append(n.dev.name());
                if ((n.nudState & Neighbour.NUD_VALID) != 0) {
                    out.append(" lladdr ").append(NeighTable.macString(n.ha, 0));
                }
                out.append(' ').append(Neighbour.stateName(n.nudState)).append('\n');
            }
        }
    }

    /** {@code arp_cache}: the table's counters under the column names of {@code /proc/net/stat/arp_cache}. */
    static final class ArpCache implements ReportSection {
        private final NeighTable tbl;

        ArpCache(NeighTable tbl) {
            this.tbl = tbl;
        }

        @Override
        public String key() {
            return "arp_cache";
        }

        @Override
        public Object json() {
            return tbl.stats();
        }

        @Override
        public void text(StringBuilder out) {
            out.append("$ cat /proc/net/stat/arp_cache\n");
            Map<String, Long> s = tbl.stats();
            out.append(String.join(" ", s.keySet())).append('\n');
            List<String> v = new ArrayList<>();
            for (long x : s.values()) {
                v.add(String.valueOf(x));
            }
            out.append(String.join(" ", v)).append('\n');
        }
    }
}
