package dev.huddle.core.claims;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses {@code git status --porcelain=v1 -z --no-renames --untracked-files=all}: entries {@code XY path\0}. Returns
 * path → the two status letters. Tolerant: a truncated or odd entry is skipped, never an exception.
 */
public final class GitPorcelain {
    /** More dirty files than this: the rest is ignored (a huge generated tree says nothing about one agent's edits). */
    public static final int MAX_ENTRIES = 20_000;

    private GitPorcelain() {}

    public static Map<String, String> parse(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        if (out == null) return m;
        int i = 0, n = out.length();
        while (i < n && m.size() < MAX_ENTRIES) {
            int end = out.indexOf('\0', i);
            if (end < 0) end = n;
            if (end - i > 3 && out.charAt(i + 2) == ' ') {
                String status = out.substring(i, i + 2);
                String path = out.substring(i + 3, end);
                if (!path.isEmpty() && !path.startsWith("/") && path.chars().noneMatch(c -> c < 0x20)) m.put(path, status);
                // with renames (if ever on), the original path follows as its own entry: skip it
                if (status.charAt(0) == 'R' || status.charAt(0) == 'C') {
                    int next = out.indexOf('\0', end + 1);
                    end = next < 0 ? n : next;
                }
            }
            i = end + 1;
        }
        return m;
    }
}
