package dev.huddle.core.claims;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which files a shell command changed, from two looks at the working tree: the dirty files git reported after the
 * previous command in the project ({@code before}, path → status) and now ({@code after}), and each candidate's
 * modification time. A file counts when it was modified while the command ran ({@code mtime >= startedAt}: written,
 * created, or rewritten back to its committed content by a checkout, stash or reset), or when it is newly reported
 * deleted. A file committed meanwhile leaves the dirty set without being rewritten: not a change. Pure.
 */
public final class ShellChanges {
    private ShellChanges() {}

    /** A file's modification time, or null when it does not exist (or cannot be read). */
    public interface Mtimes {
        Instant of(String relativePath);
    }

    public static List<String> changed(Map<String, String> before, Map<String, String> after, Instant startedAt, Mtimes mtimes) {
        Set<String> candidates = new TreeSet<>(after.keySet());
        if (before != null) candidates.addAll(before.keySet());
        List<String> out = new ArrayList<>();
        for (String p : candidates) {
            String now = after.get(p);
            String was = before == null ? null : before.get(p);
            boolean deleted = now != null && now.indexOf('D') >= 0;
            if (deleted) {
                if (before != null && (was == null || was.indexOf('D') < 0)) out.add(p);
                continue;
            }
            Instant m = mtimes.of(p);
            if (m != null && !m.isBefore(startedAt)) out.add(p);
        }
        return out;
    }
}
