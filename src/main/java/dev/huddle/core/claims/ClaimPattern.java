package dev.huddle.core.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A compiled claim pattern, relative to the repository root. A plain path ({@code src/api}) covers itself and
 * everything below it; a glob covers what it matches: {@code *} and {@code ?} within one path segment, {@code **}
 * any number of segments. Compiled once so that checking a path against many claims stays cheap.
 */
public final class ClaimPattern {
    /** One path segment of a pattern: a literal, a one-segment wildcard, or {@code **}. */
    private record Segment(String text, Pattern regex, boolean anyDepth) {
        boolean matches(String name) {
            return anyDepth || (regex == null ? text.equals(name) : regex.matcher(name).matches());
        }

        String literalPrefix() {
            int i = firstWildcard(text);
            return i < 0 ? text : text.substring(0, i);
        }

        String literalSuffix() {
            int i = Math.max(text.lastIndexOf('*'), text.lastIndexOf('?'));
            return i < 0 ? text : text.substring(i + 1);
        }
    }

    private static final Segment ANY_DEPTH = new Segment("**", null, true);

    private final String text;
    private final boolean glob;
    private final Segment[] segments;

    private ClaimPattern(String text, boolean glob, Segment[] segments) {
        this.text = text;
        this.glob = glob;
        this.segments = segments;
    }

    /** @param normalised a pattern as {@link ClaimPaths} produces it: relative, '/' separated, no '.' or '..' */
    public static ClaimPattern compile(String normalised) {
        List<Segment> segs = new ArrayList<>();
        boolean glob = false;
        for (String s : normalised.split("/")) {
            if (s.isEmpty()) continue;
            if (s.equals("**")) {
                glob = true;
                if (segs.isEmpty() || !segs.getLast().anyDepth()) segs.add(ANY_DEPTH); // a/**/**/b is a/**/b
            } else if (firstWildcard(s) >= 0) {
                glob = true;
                segs.add(new Segment(s, Pattern.compile(toRegex(s)), false));
            } else {
                segs.add(new Segment(s, null, false));
            }
        }
        if (!glob) segs.add(ANY_DEPTH); // a plain path covers what lies below it
        return new ClaimPattern(normalised, glob, segs.toArray(Segment[]::new));
    }

    public String text() {
        return text;
    }

    public boolean isGlob() {
        return glob;
    }

    /** Whether the pattern covers this file ({@code path} relative to the repository root, normalised). */
    public boolean matches(String path) {
        return matches(segmentsOf(path));
    }

    /** {@link #matches(String)} for a path already split with {@link #segmentsOf}: a check against many patterns splits once. */
    public boolean matches(String[] pathSegments) {
        return matches(0, pathSegments, 0);
    }

    public static String[] segmentsOf(String path) {
        return path.split("/");
    }

    private boolean matches(int i, String[] path, int j) {
        while (true) {
            if (i == segments.length) return j == path.length;
            Segment s = segments[i];
            if (s.anyDepth()) {
                for (int k = j; k <= path.length; k++) if (matches(i + 1, path, k)) return true;
                return false;
            }
            if (j == path.length || !s.matches(path[j])) return false;
            i++;
            j++;
        }
    }

    /**
     * Whether some path could be covered by both patterns. Exact for literals and {@code **}; for two wildcard
     * segments it compares their literal starts and ends, which may say "overlap" for pairs such as {@code a*b*c}
     * and {@code a*d*c} that cannot meet: a conservative answer, never a missed conflict.
     */
    public boolean overlaps(ClaimPattern other) {
        return overlaps(segments, 0, other.segments, 0);
    }

    private static boolean overlaps(Segment[] p, int i, Segment[] q, int j) {
        if (i == p.length && j == q.length) return true;
        if (i < p.length && p[i].anyDepth()) {
            if (overlaps(p, i + 1, q, j)) return true;
            return j < q.length && overlaps(p, i, q, j + 1);
        }
        if (j < q.length && q[j].anyDepth()) {
            if (overlaps(p, i, q, j + 1)) return true;
            return i < p.length && overlaps(p, i + 1, q, j);
        }
        if (i == p.length || j == q.length) return false;
        return segmentsMeet(p[i], q[j]) && overlaps(p, i + 1, q, j + 1);
    }

    private static boolean segmentsMeet(Segment a, Segment b) {
        if (a.regex() == null) return b.matches(a.text());
        if (b.regex() == null) return a.matches(b.text());
        String pa = a.literalPrefix(), pb = b.literalPrefix(), sa = a.literalSuffix(), sb = b.literalSuffix();
        return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
    }

    /** Whether every segment is nothing but wildcards: {@code **}, {@code *}, {@code * /**}... */
    public boolean onlyWildcards() {
        for (Segment s : segments) {
            if (s.anyDepth()) continue;
            if (s.regex() == null || !s.text().chars().allMatch(c -> c == '*' || c == '?')) return false;
        }
        return glob;
    }

    static int firstWildcard(String s) {
        int a = s.indexOf('*'), b = s.indexOf('?');
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static String toRegex(String glob) {
        StringBuilder r = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!lit.isEmpty()) r.append(Pattern.quote(lit.toString()));
                lit.setLength(0);
                r.append(c == '*' ? "[^/]*" : "[^/]");
            } else {
                lit.append(c);
            }
        }
        if (!lit.isEmpty()) r.append(Pattern.quote(lit.toString()));
        return r.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
