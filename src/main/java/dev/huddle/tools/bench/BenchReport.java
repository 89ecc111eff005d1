package dev.huddle.tools.bench;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code huddle bench} run found: the machine, the AOT caches and every figure, as JSON (see
 * docs/BENCHMARKS.md) or as the table {@code huddle bench} prints.
 *
 * @param doc     the JSON document: {@code huddle}, {@code quick}, {@code machine}, {@code jar}, {@code aot}, {@code figures}, ...
 * @param figures the figures in the order they were measured
 */
public record BenchReport(Map<String, Object> doc, Map<String, Figure> figures) {

    /** The report as indented JSON. */
    public String json() {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(doc);
    }

    /** The report as a table: one line per figure with its statistics, target and verdict. */
    @SuppressWarnings("unchecked")
    public String table() {
        StringBuilder b = new StringBuilder();
        Map<String, Object> m = (Map<String, Object>) doc.get("machine");
        b.append(String.format(Locale.ROOT, "huddle bench%s: %s cores (%s), %s MB RAM, %s%n", Boolean.TRUE.equals(doc.get("quick")) ? " --quick" : "",
                m.get("nproc"), m.get("cpu"), m.get("ram_mb"), m.get("java")));
        b.append(String.format(Locale.ROOT, "load average (1/5/15 min) at start %s, at end %s: other work on the machine skews every figure%n%n",
                m.get("loadavg_at_start"), m.get("loadavg_at_end")));
        b.append(String.format(Locale.ROOT, "%-58s %10s %8s %8s %8s %5s %9s  %s%n", "figure", "median", "p90", "p99", "min", "n", "target", ""));
        for (Figure f : figures.values()) {
            if (f.stats() == null) {
                b.append(String.format(Locale.ROOT, "%-58s %10s %8s %8s %8s %5s %9s  skipped: %s%n", f.label(), "-", "-", "-", "-", "-",
                        f.target() == null ? "" : f.targetText(Figure.num(f.target())), f.skipped()));
                continue;
            }
            String verdict = f.meets() == null ? "" : f.meets() ? "ok" : "MISSED";
            boolean many = f.stats().n() > 1;
            b.append(String.format(Locale.ROOT, "%-58s %10s %8s %8s %8s %5d %9s  %s%n", f.label(),
                    Figure.num(f.stats().median()) + " " + shortUnit(f.unit()), many ? Figure.num(f.stats().p90()) : "",
                    many ? Figure.num(f.stats().p99()) : "", many ? Figure.num(f.stats().min()) : "", f.stats().n(),
                    f.target() == null ? "" : f.targetText(Figure.num(f.target())), verdict));
        }
        Object aot = doc.get("aot");
        if (aot != null) b.append(String.format(Locale.ROOT, "%nAOT caches: %s%n", aot));
        return b.toString();
    }

    private static String shortUnit(String unit) {
        return unit.startsWith("%") ? "%" : unit;
    }

    /** The machine the figures were measured on. */
    static Map<String, Object> machine(String loadAtStart) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpu", Procfs.cpuModel());
        m.put("ram_mb", Procfs.memTotalMb());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("java_home", System.getProperty("java.home"));
        m.put("loadavg_at_start", loadAtStart);
        m.put("loadavg_at_end", loadavg());
        return m;
    }

    /** The 1, 5 and 15 minute load averages (other work on the machine skews every figure). */
    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
