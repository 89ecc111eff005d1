package dev.huddle.agents;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands written into the clients' hook settings. A hook is one {@code curl --unix-socket} call into
 * the hub that passes {@code $PPID} (the agent process: the clients run hooks through {@code sh -c}) and the stdin
 * payload; its output is printed only if curl got a complete answer, and the command always exits 0, so a hub
 * that is down, slow or refusing never blocks the agent. Where curl is missing, the same through
 * {@code huddle hook}.
 */
public final class HookCommands {
    /** curl's own limit: the hub answers in milliseconds; past this the hook gives up and the agent goes on. */
    public static final int CURL_MAX_TIME_S = 2;
    /** The header that carries the hook shell's parent pid (the agent process, or a shell below it). */
    public static final String PID_HEADER = "X-Huddle-Pid";

    private static final Pattern CURL_FORM = Pattern.compile("http://huddle/hooks/([a-z]+)/([A-Za-z]+)\\?v=(\\d+)");
    private static final Pattern JAVA_FORM = Pattern.compile(" hook ([a-z]+) ([A-Za-z]+) --hook-version (\\d+)");
    /** The URL of an http hook (a client that POSTs hooks itself), on the hub's loopback hook port. */
    private static final Pattern HTTP_FORM = Pattern.compile("^http://127\\.0\\.0\\.1:(\\d+)/hooks/([a-z]+)/([A-Za-z]+)\\?v=(\\d+)$");

    private HookCommands() {}

    /** The URL path of a hook endpoint. */
    public static String path(HookClient client, String event) {
        return "/hooks/" + client.id() + "/" + event;
    }

    /** The curl form: {@code o=$(curl ...) && [ -n "$o" ] && printf '%s\n' "$o"; exit 0}. */
    public static String curl(Path httpSocket, HookClient client, String event) {
        return "o=$(curl -sf --max-time " + CURL_MAX_TIME_S + " --unix-socket " + shellQuote(httpSocket.toString())
                + " -H 'Expect:' -H \"" + PID_HEADER + ": $PPID\" --data-binary @- 'http://huddle" + path(client, event)
                + "?v=" + HookCatalog.VERSION + "' 2>/dev/null) && [ -n \"$o\" ] && printf '%s\\n' \"$o\"; exit 0";
    }

    /**
     * The http form: the URL a client POSTs the event to itself ({@code type: "http"}), on the hub's loopback hook port
     * ({@link dev.huddle.protocol.HookPort}). No process runs; the hub proves the connection's process instead.
     */
    public static String url(int port, HookClient client, String event) {
        return dev.huddle.protocol.HookPort.baseUrl(port) + path(client, event) + "?v=" + HookCatalog.VERSION;
    }

    /** The port of an http hook's URL of ours, if it is one. */
    public static OptionalInt portOf(String url) {
        Matcher m = url == null ? null : HTTP_FORM.matcher(url);
        return m != null && m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The form for machines without curl: the launcher's {@code hook} command, which fails open the same way. */
    public static String java(Path launcher, HookClient client, String event) {
        return shellQuote(launcher.toString()) + " hook " + client.id() + " " + event + " --hook-version " + HookCatalog.VERSION
                + " 2>/dev/null; exit 0";
    }

    /**
     * How long an armed rewake hook waits: a day, then the client's own {@code timeout} (the same) ends it, and the
     * next turn arms a new one.
     */
    public static final int REWAKE_WAIT_S = 86_400;
    /** One long poll; the hub answers empty well before this when the agent gets busy, and the loop polls again. */
    static final int REWAKE_POLL_S = 3_600;

    /**
     * The rewake waiter (Claude Code {@code asyncRewake}): long-polls the hub while the agent is idle. Mail that
     * should wake it comes back as the answer: printed to stderr with exit 2, which wakes the agent and shows it the
     * text. An empty answer (the agent got busy, a newer waiter took over) ends it quietly. A hub that is away
     * (restart, upgrade) is polled again every 5 s until the wait is over, so an idle agent stays wakeable. Print
     * mode ({@code claude -p}, entrypoint {@code sdk-cli}) is skipped: it ends after its turn, and Claude Code would
     * otherwise wait for the waiter before exiting.
     */
    public static String rewake(Path httpSocket, HookClient client, String endpoint) {
        String curl = "curl -sf --max-time " + REWAKE_POLL_S + " --unix-socket " + shellQuote(httpSocket.toString())
                + " -H 'Expect:' -H \"" + PID_HEADER + ": $PPID\" --data-binary @\"$p\" 'http://huddle" + path(client, endpoint)
                + "?v=" + HookCatalog.VERSION + "' 2>/dev/null";
        // claude -p (entrypoint sdk-cli) ends after its turn and would wait for a waiter: nothing to wake there.
        return "[ \"$CLAUDE_CODE_ENTRYPOINT\" = sdk-cli ] && exit 0; p=$(mktemp) || exit 0; "
                + "trap 'rm -f \"$p\"' EXIT; trap 'exit 0' HUP INT TERM; cat >\"$p\"; e=$(( $(date +%s) + " + REWAKE_WAIT_S + " )); "
                + "while [ \"$(date +%s)\" -lt \"$e\" ]; do o=$(" + curl + "); r=$?; "
                + "if [ \"$r\" -eq 0 ]; then rm -f \"$p\"; [ -n \"$o\" ] && { printf '%s\\n' \"$o\" >&2; exit 2; }; exit 0; fi; "
                + "sleep 5; done; rm -f \"$p\"; exit 0";
    }

    /** The endpoint an installed command of ours calls ({@code PreToolUse}, {@code Rewake}, ...), if it is ours. */
    public static java.util.Optional<String> endpointOf(String command) {
        if (command == null) return java.util.Optional.empty();
        for (Pattern p : new Pattern[] {CURL_FORM, JAVA_FORM}) {
            Matcher m = p.matcher(command);
            if (m.find()) return java.util.Optional.of(m.group(2));
        }
        Matcher http = HTTP_FORM.matcher(command);
        return http.find() ? java.util.Optional.of(http.group(3)) : java.util.Optional.empty();
    }

    /** Whether a command (or an http hook's URL) found in a settings file is one of ours (any version, any form). */
    public static boolean isOurs(String command) {
        return command != null && (CURL_FORM.matcher(command).find() || JAVA_FORM.matcher(command).find() || HTTP_FORM.matcher(command).find());
    }

    /** The hook-set version an installed command of ours carries. */
    public static OptionalInt versionOf(String command) {
        if (command == null) return OptionalInt.empty();
        for (Pattern p : new Pattern[] {CURL_FORM, JAVA_FORM}) {
            Matcher m = p.matcher(command);
            if (m.find()) return OptionalInt.of(Integer.parseInt(m.group(3)));
        }
        Matcher http = HTTP_FORM.matcher(command);
        return http.find() ? OptionalInt.of(Integer.parseInt(http.group(4))) : OptionalInt.empty();
    }

    /** POSIX single-quoting: safe for any path, spaces, quotes and {@code $} included. */
    public static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
