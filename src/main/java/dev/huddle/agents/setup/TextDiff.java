package dev.huddle.agents.setup;

import java.util.ArrayList;
import java.util.List;

/** A unified-style line diff for {@code --dry-run}: hunks with two lines of context, {@code -}/{@code +} lines. */
public final class TextDiff {
    private static final int CONTEXT = 2;
    /** Above this many line pairs in the changed middle, show it as removed-then-added instead of aligning. */
    private static final long MAX_CELLS = 4_000_000;

    private TextDiff() {}

    public static String unified(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) prefix++;
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) suffix++;
        List<String> ops = new ArrayList<>(); // " x", "-x", "+x"
        for (int k = 0; k < prefix; k++) ops.add(" " + a.get(k));
        ops.addAll(middle(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix)));
        for (int k = a.size() - suffix; k < a.size(); k++) ops.add(" " + a.get(k));
        return hunks(ops);
    }

    private static List<String> middle(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        if ((long) a.size() * b.size() > MAX_CELLS) {
            a.forEach(l -> out.add("-" + l));
            b.forEach(l -> out.add("+" + l));
            return out;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add(" " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("-" + a.get(i++));
            } else {
                out.add("+" + b.get(j++));
            }
        }
        return out;
    }

    private static String hunks(List<String> ops) {
        StringBuilder out = new StringBuilder();
        int oldLine = 1;
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k).charAt(0) == ' ') {
                k++;
                oldLine++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // extend while the next change is within 2 * CONTEXT unchanged lines
            int lastChange = k;
            while (end < ops.size() && end - lastChange <= 2 * CONTEXT) {
                if (ops.get(end).charAt(0) != ' ') lastChange = end;
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            out.append("@@ line ").append(oldLine - (k - start)).append(" @@\n");
            for (int x = start; x < end; x++) {
                out.append(ops.get(x)).append('\n');
                if (x >= k && ops.get(x).charAt(0) != '+') oldLine++;
            }
            k = end;
        }
        return out.toString();
    }

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) return List.of();
        String[] parts = s.split("\r?\n", -1);
        return List.of(parts).subList(0, s.endsWith("\n") ? parts.length - 1 : parts.length);
    }
}
