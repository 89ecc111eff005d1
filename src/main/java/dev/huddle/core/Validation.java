package dev.huddle.core;

import dev.huddle.core.identity.Handles;

import java.util.regex.Pattern;

/** Limits and shapes of values that come from outside (tool arguments, hook payloads). */
public final class Validation {
    private Validation() {}

    public static final int MAX_PURPOSE_CHARS = 200;
    public static final int MAX_NAME_CHARS = 32;
    public static final int MAX_SESSION_ID_CHARS = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,31}");
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public static String purpose(String purpose) {
        if (purpose == null) return null;
        String p = purpose.strip();
        if (p.codePointCount(0, p.length()) > MAX_PURPOSE_CHARS) {
            throw new HuddleError("invalid-argument", "purpose is " + p.codePointCount(0, p.length())
                    + " characters; the limit is " + MAX_PURPOSE_CHARS, "Shorten it to one line that says what you are working on.");
        }
        if (p.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new HuddleError("invalid-argument", "purpose must be a single line without control characters",
                    "Remove newlines and control characters.");
        }
        return p;
    }

    /** A peer-visible name: a letter, then letters, digits, '.', '_' or '-', at most 32 characters. */
    public static String name(String name) {
        if (name == null) return null;
        String n = name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new HuddleError("invalid-argument", "name '" + truncate(n, 40) + "' is not valid",
                    "Use 1-32 characters: a letter first, then letters, digits, '.', '_' or '-' (for example 'reviewer' or 'api-2').");
        }
        if (n.equals("me") || n.equals("all") || n.equals("*")) {
            throw new HuddleError("invalid-argument", "name '" + n + "' is reserved", "Pick another name.");
        }
        return n;
    }

    public static String sessionId(String id) {
        if (id == null || !SESSION_ID.matcher(id.strip()).matches()) {
            throw new HuddleError("invalid-argument", "session_id '" + truncate(String.valueOf(id), 60)
                    + "' is not a valid session id",
                    "Pass the client's own session id (a UUID for Claude Code, the thread id for Codex): letters, digits, '.', '_', ':' or '-', at most 128 characters.");
        }
        if (id.strip().startsWith(Handles.PROVISIONAL_PREFIX)) {
            throw new HuddleError("invalid-argument", "session ids starting with 'p-' are reserved for unbound agents",
                    "Pass the client's own session id.");
        }
        return id.strip();
    }

    public static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
