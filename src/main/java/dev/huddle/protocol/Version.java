package dev.huddle.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of this build. Clients and the hub compare {@code (version, build)} so that a client of a
 * newer build can ask an older hub to hand over.
 */
public record Version(String version, String build) implements Comparable<Version> {

    public static final Version CURRENT = load();

    private static Version load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/huddle/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // fall through to "dev"
        }
        String v = p.getProperty("version", "0.0.0-dev");
        String b = p.getProperty("build", "");
        if (v.startsWith("${")) v = "0.0.0-dev";
        if (b.startsWith("${")) b = "";
        return new Version(v, b);
    }

    @Override
    public int compareTo(Version o) {
        int c = compareVersions(version, o.version);
        return c != 0 ? c : build.compareTo(o.build);
    }

    public boolean isNewerThan(Version o) {
        return compareTo(o) > 0;
    }

    /** Compares dotted numeric versions ("0.10.1" > "0.9.3"); a pre-release suffix sorts before the release. */
    static int compareVersions(String a, String b) {
        String[] pa = a.split("[.-]");
        String[] pb = b.split("[.-]");
        for (int k = 0; k < Math.max(pa.length, pb.length); k++) {
            String x = k < pa.length ? pa[k] : null;
            String y = k < pb.length ? pb[k] : null;
            if (x == null) return isNumber(y) ? -1 : 1;
            if (y == null) return isNumber(x) ? 1 : -1;
            int c = isNumber(x) && isNumber(y) ? Long.compare(Long.parseLong(x), Long.parseLong(y)) : x.compareTo(y);
            if (c != 0) return c;
        }
        return 0;
    }

    private static boolean isNumber(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) return false;
        for (int k = 0; k < s.length(); k++) if (!Character.isDigit(s.charAt(k))) return false;
        return true;
    }

    @Override
    public String toString() {
        return build.isEmpty() ? version : version + " (" + build + ")";
    }
}
