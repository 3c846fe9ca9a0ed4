package net.linuxnet.apps.tcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.ReportSection;

/**
 * The host's {@code series} report section: what the TCP applications sampled over the run, for
 * plots, which a flat application result cannot hold. One per host, created by the first
 * application that needs it ({@code Kernel.netGeneric}); each application adds its named
 * series. JSON: {@code "series": { "<app>": { "<series>": [[x, y, ...], ...] } } }, rows of
 * numbers whose columns the series' header names; text: one block per series, a row a line.
 */
final class TcpAppSeries implements ReportSection {
    /** One named series of an application: a header and rows of numbers. */
    interface Source {
        /** The column names. */
        List<String> header();

        /** The rows, each as long as the header. */
        List<long[]> rows();
    }

    private final Map<String, Map<String, Source>> apps = new LinkedHashMap<>();

    private TcpAppSeries() {
    }

    /** The host's section, registered on first use. */
    static TcpAppSeries of(Kernel kernel) {
        TcpAppSeries s = kernel.netGeneric(TcpAppSeries.class);
        if (s == null) {
            s = new TcpAppSeries();
            kernel.setNetGeneric(TcpAppSeries.class, s);
            kernel.registerReportSection(s);
        }
        return s;
    }

    /** Adds series {@code name} of application {@code app}. */
    void add(String app, String name, Source source) {
        apps.computeIfAbsent(app, a -> new LinkedHashMap<>()).put(name, source);
    }

    @Override
    public String key() {
        return "series";
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Source>> a : apps.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, Source> s : a.getValue().entrySet()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("columns", s.getValue().header());
                List<Object> rows = new ArrayList<>();
                for (long[] r : s.getValue().rows()) {
                    List<Long> row = new ArrayList<>(r.length);
                    for (long v : r) {
                        row.add(v);
                    }
                    rows.add(row);
                }
                one.put("rows", rows);
                m.put(s.getKey(), one);
            }
            out.put(a.getKey(), m);
        }
        return out;
    }

    @Override
    public void text(StringBuilder out) {
        for (Map.Entry<String, Map<String, Source>> a : apps.entrySet()) {
            for (Map.Entry<String, Source> s : a.getValue().entrySet()) {
                out.append("$ series ").append(a.getKey()).append(' ').append(s.getKey()).append('\n');
                out.append(String.join(" ", s.getValue().header())).append('\n');
                for (long[] r : s.getValue().rows()) {
                    for (int i = 0; i < r.length; i++) {
                        out.append(i == 0 ? "" : " ").append(r[i]);
                    }
                    out.append('\n');
                }
            }
        }
    }
}
