package dev.huddle.tools.bench;

import dev.huddle.protocol.MiniJson;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A soak agent's JSON-lines event log: one object per line, wall-clock milliseconds in {@code t}. */
final class SoakLog {
    private final OutputStream out;

    SoakLog(Path file) throws IOException {
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Appends event {@code ev} with key/value pairs (a null value is left out). */
    synchronized void event(String ev, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", System.currentTimeMillis());
        m.put("ev", ev);
        for (int i = 0; i + 1 < kv.length; i += 2) if (kv[i + 1] != null) m.put(String.valueOf(kv[i]), kv[i + 1]);
        try {
            out.write((MiniJson.write(m) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // the soak reads what is there
        }
    }

    /** The events agent {@code name} logged in {@code logs} so far (a half-written last line is skipped). */
    static List<SoakAnalysis.Event> read(Path logs, String name) {
        List<SoakAnalysis.Event> out = new ArrayList<>();
        Path f = logs.resolve(name + ".jsonl");
        if (!Files.exists(f)) return out;
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (IOException e) {
            return out;
        }
        for (String l : lines) {
            try {
                Map<String, Object> m = MiniJson.parseObject(l);
                out.add(new SoakAnalysis.Event(((Number) m.get("t")).longValue(), String.valueOf(m.get("ev")), m));
            } catch (RuntimeException halfWritten) {
                // the last line may be in the middle of being written
            }
        }
        return out;
    }

    /** {@code s}, cut to {@code max} characters for a log line. */
    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
