package dev.huddle.core.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's name across machines. Paths differ per machine, so the hubs of a team name a project by what its
 * clones share: the id the team chose ({@code git config huddle.project <id>}), else the URL of the {@code origin}
 * remote, normalised so that its ssh, scp-like and https spellings agree ({@code github.com/acme/payments}). A
 * repository with neither has no name outside its machine. Pure: it reads the text of the repository's git config.
 */
public final class ProjectIdentity {
    private ProjectIdentity() {}

    /** Where the name came from. */
    public enum Source { CONFIGURED, ORIGIN }

    public record Name(String value, Source source) {}

    private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\s*([A-Za-z0-9.-]+)(?:\\s+\"((?:[^\"\\\\]|\\\\.)*)\")?\\s*]\\s*(?:[#;].*)?$");
    private static final Pattern ENTRY = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9-]*)\\s*=\\s*(.*?)\\s*$");
    /** {@code user@host:path}, git's scp-like syntax (no scheme, a colon before the first slash). */
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$");
    private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*)://(?:[^@/]*@)?([^/:]+)(?::(\\d+))?(/.*)?$",
            Pattern.CASE_INSENSITIVE);
    /** What a team-chosen id may hold: it becomes part of database rows and log lines, never a file name. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,199}");

    /** The name in the text of a git config file ({@code .git/config}), if it has one. */
    public static Optional<Name> fromGitConfig(String configText) {
        String section = "";
        String configured = null;
        String origin = null;
        for (String raw : configText.split("\\R")) {
            Matcher s = SECTION.matcher(raw);
            if (s.matches()) {
                section = s.group(1).toLowerCase(Locale.ROOT) + (s.group(2) == null ? "" : " " + s.group(2));
                continue;
            }
            Matcher e = ENTRY.matcher(raw);
            if (!e.matches()) continue;
            String key = e.group(1).toLowerCase(Locale.ROOT);
            String value = unquote(e.group(2));
            if (section.equals("huddle") && key.equals("project")) configured = value;
            if (section.equals("remote origin") && key.equals("url") && origin == null) origin = value;
        }
        if (configured != null && ID.matcher(configured).matches()) return Optional.of(new Name(configured, Source.CONFIGURED));
        return Optional.ofNullable(origin).flatMap(ProjectIdentity::normalizeRemote).map(n -> new Name(n, Source.ORIGIN));
    }

    /**
     * {@code host/path} of a remote URL: the scheme, user, password, default port, trailing {@code .git} and slashes
     * dropped, the host in lower case (paths keep their case: some servers tell them apart). Local paths and
     * {@code file://} URLs name nothing another machine shares: empty.
     */
    public static Optional<String> normalizeRemote(String url) {
        String u = url.strip();
        if (u.isEmpty() || u.startsWith("/") || u.startsWith(".") || u.startsWith("~")) return Optional.empty();
        String host;
        String port = null;
        String path;
        Matcher m = SCHEME.matcher(u);
        if (m.matches()) {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) return Optional.empty();
            host = m.group(2);
            port = m.group(3);
            path = m.group(4) == null ? "" : m.group(4);
            if (port != null && (port.equals("22") && scheme.contains("ssh") || port.equals("443") && scheme.equals("https")
                    || port.equals("80") && scheme.equals("http") || port.equals("9418") && scheme.equals("git"))) {
                port = null;
            }
        } else {
            Matcher scp = SCP.matcher(u);
            if (!scp.matches()) return Optional.empty();
            host = scp.group(1);
            path = "/" + scp.group(2);
        }
        path = path.replaceAll("/{2,}", "/");
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        if (path.endsWith(".git")) path = path.substring(0, path.length() - 4);
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        if (!path.startsWith("/")) path = "/" + path;
        if (path.equals("/") || host.isEmpty()) return Optional.empty();
        return Optional.of(host.toLowerCase(Locale.ROOT) + (port == null ? "" : ":" + port) + path);
    }

    private static String unquote(String v) {
        String t = v;
        int comment = -1;
        boolean quoted = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == '#' || c == ';')) {
                comment = i;
                break;
            }
        }
        if (comment >= 0) t = t.substring(0, comment).strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        return t;
    }
}
