package dev.huddle.agents.codex;

import dev.huddle.core.claims.ClaimPaths;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files a Codex {@code apply_patch} touches, read from its headers ({@code *** Update File: p},
 * {@code *** Add File: p}, {@code *** Delete File: p}, {@code *** Move to: p}). Tolerant by design: it never throws,
 * reads only header lines, and stops at {@link #MAX_FILES}; malformed text yields what it could read (often nothing),
 * so a hook never fails on it.
 */
public final class PatchPaths {
    public static final int MAX_FILES = 200;
    private static final String[] HEADERS = {"*** Update File:", "*** Add File:", "*** Delete File:", "*** Move to:"};

    private PatchPaths() {}

    /** Whether {@code text} looks like an apply_patch body (it has the envelope or a file header). */
    public static boolean looksLikePatch(String text) {
        return text != null && (text.contains("*** Begin Patch") || text.contains("*** Update File:") || text.contains("*** Add File:")
                || text.contains("*** Delete File:"));
    }

    /** The paths named in the headers, in order, without duplicates; as written (relative to the session's cwd, usually). */
    public static List<String> of(String text) {
        if (text == null || text.isEmpty()) return List.of();
        Set<String> out = new LinkedHashSet<>();
        int start = 0, n = text.length();
        while (start < n && out.size() < MAX_FILES) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = n;
            if (text.startsWith("*** ", start)) {
                String line = text.substring(start, end);
                for (String h : HEADERS) {
                    if (line.startsWith(h)) {
                        String p = line.substring(h.length()).strip();
                        if (!p.isEmpty() && p.length() <= ClaimPaths.MAX_CHARS && p.chars().noneMatch(c -> c < 0x20)) out.add(p);
                        break;
                    }
                }
            }
            start = end + 1;
        }
        return new ArrayList<>(out);
    }
}
