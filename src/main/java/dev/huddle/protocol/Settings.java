package dev.huddle.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one catalogue of huddle's settings: every {@code HUDDLE_*} environment variable and every key of
 * {@code $HUDDLE_HOME/config.json}, with its type, default and meaning. Where a setting has both, the environment
 * wins. Code reads a setting through its entry here, README.md's tables are checked against it (SettingsDocTest),
 * and a text that names a setting names one of these.
 *
 * <p>Integer settings of config.json are accepted between {@link #min()} and {@link #max()}; switches are JSON
 * booleans in the file and {@code on}/{@code off} (or {@code 1}/{@code 0}, {@code true}/{@code false},
 * {@code yes}/{@code no}) in the environment.
 */
public enum Settings {
    // ---- where huddle lives and runs --------------------------------------------------------------------------
    HOME("HUDDLE_HOME", null, Type.PATH, "~/.huddle", Audience.USER, "state directory (database, logs, sockets)"),
    JAVA_HOME("HUDDLE_JAVA_HOME", null, Type.PATH, null, Audience.USER, "the JDK to run with, checked before JAVA_HOME"),
    AOT("HUDDLE_AOT", null, Type.SWITCH, true, Audience.USER,
            "off: do not use the AOT caches (the hub creates them in the background for faster starts)"),
    AOT_DIR("HUDDLE_AOT_DIR", null, Type.PATH, "<jar dir>/aot", Audience.USER,
            "where the AOT caches live (else next to the jar, then $HUDDLE_HOME/aot)"),
    JDK_DOWNLOAD("HUDDLE_JDK_DOWNLOAD", null, Type.CHOICE, "ask", Audience.USER,
            "without a JDK 25 the launcher asks on a terminal before it downloads Temurin into $HUDDLE_HOME/jdk (ask), "
                    + "downloads without asking (always), or never does (never)"),
    JDK_API("HUDDLE_JDK_API", null, Type.TEXT, "https://api.adoptium.net", Audience.INTERNAL,
            "the Adoptium API the launcher asks for a JDK (a test points it at a local server)"),
    DIST_JDK_LINUX_X64("HUDDLE_DIST_JDK_LINUX_X64", null, Type.PATH, null, Audience.INTERNAL,
            "./huddle dist --platform linux-x64 elsewhere: a JDK 25 of that platform with its jmods"),
    DIST_JDK_LINUX_ARM64("HUDDLE_DIST_JDK_LINUX_ARM64", null, Type.PATH, null, Audience.INTERNAL,
            "./huddle dist --platform linux-arm64 elsewhere: a JDK 25 of that platform with its jmods"),
    DIST_JDK_DARWIN_X64("HUDDLE_DIST_JDK_DARWIN_X64", null, Type.PATH, null, Audience.INTERNAL,
            "./huddle dist --platform darwin-x64 elsewhere: a JDK 25 of that platform with its jmods"),
    DIST_JDK_DARWIN_ARM64("HUDDLE_DIST_JDK_DARWIN_ARM64", null, Type.PATH, null, Audience.INTERNAL,
            "./huddle dist --platform darwin-arm64 elsewhere: a JDK 25 of that platform with its jmods"),
    JAR("HUDDLE_JAR", null, Type.PATH, null, Audience.USER,
            "the huddle.jar to start hubs and the demo's agents from when huddle does not run from its jar (an IDE, tests)"),
    HOOK_TRANSPORT("HUDDLE_HOOK_TRANSPORT", null, Type.CHOICE, "auto", Audience.USER,
            "how `huddle setup` installs Claude Code's hooks: http (POSTed by Claude Code itself to the hub's loopback hook port, no "
                    + "process per hook), curl (a curl command per hook, as for Codex and Gemini), or auto (http on Linux when nobody else can log in, curl elsewhere)"),
    LOG_LEVEL("HUDDLE_LOG_LEVEL", null, Type.TEXT, "INFO", Audience.USER, "the hub's log level in $HUDDLE_HOME/logs/hub.log"),
    BUILD_LOCK_TIMEOUT("HUDDLE_BUILD_LOCK_TIMEOUT", null, Type.INTEGER, 300L, Audience.USER,
            "seconds ./huddle in a source checkout waits for another build of target/huddle.jar"),
    /** Exported by the launcher: the script that started this JVM (setup writes it into the agents' hooks). */
    LAUNCHER("HUDDLE_LAUNCHER", null, Type.PATH, null, Audience.INTERNAL, "the ./huddle launcher that started this JVM"),
    /** Exported by the launcher: the java it ran, which starts the hub too. */
    JAVA("HUDDLE_JAVA", null, Type.PATH, null, Audience.INTERNAL, "the java binary the launcher chose"),
    /** Exported by the launcher to a front when it started the hub itself (a cold start): the front waits for that hub. */
    HUB_PID("HUDDLE_HUB_PID", null, Type.INTEGER, null, Audience.INTERNAL, "the hub the launcher started beside this front"),
    EARLY_HUB("HUDDLE_EARLY_HUB", null, Type.SWITCH, true, Audience.USER,
            "off: `huddle mcp` with no hub running leaves starting the hub to the front's JVM instead of starting it beside the front"),

    // ---- the hub ------------------------------------------------------------------------------------------------
    // 3 h, as Gradle's daemon: an idle hub costs memory, not CPU, and a hub that exits makes the next session wait for a cold start
    HUB_IDLE_EXIT_S("HUDDLE_HUB_IDLE_EXIT_S", "hub_idle_exit_s", Type.INTEGER, 10_800L, 0, 7 * 86_400, Audience.USER,
            "the hub exits after this many seconds with no connected front (0 = never)"),
    HUB_REHEARSAL("HUDDLE_HUB_REHEARSAL", null, Type.SWITCH, true, Audience.USER,
            "off: a hub started ahead of any session (huddle hub start, setup, hub restart) does not rehearse a session"
                    + " at start to warm its code (the first real session then runs it cold)"),
    LIVENESS_INTERVAL_MS("HUDDLE_LIVENESS_INTERVAL_MS", "liveness_interval_ms", Type.INTEGER, 2_000L, 200, 60_000, Audience.USER,
            "how often the hub checks whether agent processes still live"),
    RETIRE_AFTER_S(null, "retire_after_s", Type.INTEGER, 86_400L, 60, 365L * 86_400, Audience.USER,
            "an agent offline this long is retired: hidden from listings, its name released, nothing deleted"),
    ALLOW_CROSS_PROJECT(null, "allow_cross_project", Type.SWITCH, false, Audience.USER,
            "agents may list the sessions of other projects (list_project_sessions with project_root)"),

    // ---- the store ----------------------------------------------------------------------------------------------
    STORE_URL("HUDDLE_STORE_URL", "store_url", Type.TEXT, "", Audience.USER,
            "the PostgreSQL database the hubs of a team share, postgresql://user@host:port/database?sslmode=verify-full "
                    + "(no password in it); empty: the local SQLite database $HUDDLE_HOME/huddle.db"),
    STORE_PASSWORD_FILE(null, "store_password_file", Type.PATH, "", Audience.USER,
            "a file only its owner can read (chmod 600) that holds the store's password; empty: PGPASSWORD, else ~/.pgpass"),
    MACHINE("HUDDLE_MACHINE", "machine", Type.TEXT, "<host name>", Audience.USER,
            "the name of this machine in a shared store: each row records the machine whose hub wrote it; a per-machine "
                    + "database role names it itself"),
    TEAM_READ_TRANSCRIPTS(null, "team_read_transcripts", Type.SWITCH, false, Audience.USER,
            "on a shared store, this machine's hub answers other machines' read_session of its agents (their transcript or"
                    + " pane); off: they are told how to turn it on here"),

    // ---- messaging ----------------------------------------------------------------------------------------------
    ASK_TIMEOUT_MS("HUDDLE_ASK_TIMEOUT_MS", "ask_timeout_ms", Type.INTEGER, 60_000L, 100, 3_600_000, Audience.USER,
            "how long ask_peer waits when the agent gives no timeout_ms"),
    ASK_MAX_TIMEOUT_MS("HUDDLE_ASK_MAX_TIMEOUT_MS", "ask_max_timeout_ms", Type.INTEGER, 100_000L, 100, 3_600_000, Audience.USER,
            "the longest ask_peer wait an agent can ask for; larger timeout_ms are clamped. Keep the agents' tool timeouts above it"),

    // ---- waking -------------------------------------------------------------------------------------------------
    WAKE("HUDDLE_WAKE", "wake", Type.SWITCH, true, Audience.USER,
            "off (false in the file) is the kill switch: the hub wakes no agent, whatever a send asks"),
    WAKE_STRATEGY(null, "wake_strategy", Type.CHOICE, "auto", Audience.USER,
            "auto: wake where the rules say so; off: only explicit wakes (wake:\"auto\", ask_peer)"),
    WAKE_TERMINAL("HUDDLE_WAKE_TERMINAL", "wake_terminal", Type.SWITCH, true, Audience.USER,
            "off: no keystroke wakes (tmux, WezTerm, kitty, screen), only the keystroke-free routes"),
    WAKE_RETRY_FIRST_DELAY_MS(null, "wake_retry_first_delay_ms", Type.INTEGER, 5_000L, 100, 86_400_000, Audience.USER,
            "an unconfirmed wake is retried after this"),
    WAKE_RETRY_FACTOR(null, "wake_retry_factor", Type.INTEGER, 3L, 1, 10, Audience.USER,
            "each next retry waits this many times the previous delay"),
    WAKE_MAX_RETRIES(null, "wake_max_retries", Type.INTEGER, 3L, 0, 10, Audience.USER, "retries after the first attempt"),
    WAKE_REPOKE_GRACE_MS(null, "wake_repoke_grace_ms", Type.INTEGER, 240_000L, 100, 86_400_000, Audience.USER,
            "a silent delegate is poked again no sooner than this after the ask or obligation"),
    WAKE_REPOKE_SPACING_MS(null, "wake_repoke_spacing_ms", Type.INTEGER, 240_000L, 100, 86_400_000, Audience.USER,
            "and no sooner than this after the previous poke"),
    WAKE_REPOKE_CAP(null, "wake_repoke_cap", Type.INTEGER, 3L, 0, 10, Audience.USER, "at most this many pokes again"),
    WAKE_PULL_BACK_GRACE_MS(null, "wake_pull_back_grace_ms", Type.INTEGER, 15_000L, 0, 86_400_000, Audience.USER,
            "a requester whose ask timed out is pulled back no sooner than this after the answer came"),
    WAKE_PULL_BACK_MAX_AGE_MS(null, "wake_pull_back_max_age_ms", Type.INTEGER, 3_600_000L, 1_000, 7 * 86_400_000L, Audience.USER,
            "and no later than this after it"),

    // ---- reading and claims -------------------------------------------------------------------------------------
    READ_SESSION("HUDDLE_READ_SESSION", "read_session", Type.SWITCH, true, Audience.USER,
            "off: agents cannot read each other's sessions with read_session (huddle read still works for the user)"),
    CLAIM_EDIT_WINDOW_S(null, "claim_edit_window_s", Type.INTEGER, 300L, 10, 86_400, Audience.USER,
            "how long an edit marks a file as being edited by its agent"),
    CLAIMS_MODE(null, "claims_mode", Type.MODES, "deny", Audience.USER,
            "deny, ask or warn for edits of another agent's files: one for all projects, or per repository root"),
    /** Read by the git pre-commit hook huddle setup installs, not by Java. */
    ALLOW_CLAIMED("HUDDLE_ALLOW_CLAIMED", null, Type.FLAG, null, Audience.USER,
            "1: the git pre-commit hook lets a commit of files another agent holds through");

    /** What a setting's value is. */
    public enum Type {
        PATH, TEXT, INTEGER,
        /** A JSON boolean in config.json; on/off and their synonyms in the environment. */
        SWITCH,
        /** One of a few words. */
        CHOICE,
        /** Set to {@code 1} to act. */
        FLAG,
        /** {@code claims_mode}: a mode, or repository roots to modes. */
        MODES
    }

    /** Who sets it: people ({@link #USER}, documented in README.md), or huddle itself for its own processes. */
    public enum Audience { USER, INTERNAL }

    private final String env;
    private final String key;
    private final Type type;
    private final Object defaultValue;
    private final long min;
    private final long max;
    private final Audience audience;
    private final String meaning;

    Settings(String env, String key, Type type, Object defaultValue, Audience audience, String meaning) {
        this(env, key, type, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE, audience, meaning);
    }

    Settings(String env, String key, Type type, Object defaultValue, long min, long max, Audience audience, String meaning) {
        this.env = env;
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.audience = audience;
        this.meaning = meaning;
    }

    /** The environment variable, or null when the setting lives only in config.json. */
    public String env() {
        return env;
    }

    /** The config.json key, or null when the setting is only an environment variable. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** The default: a {@link Long}, a {@link Boolean}, a {@link String}, or null where there is none to name. */
    public Object defaultValue() {
        return defaultValue;
    }

    /** The default as text ({@code 600}, {@code true}, {@code INFO}), or null. */
    public String defaultText() {
        return defaultValue == null ? null : defaultValue.toString();
    }

    /** The default of an integer setting. */
    public long defaultLong() {
        return (Long) defaultValue;
    }

    /** The default of a switch. */
    public boolean defaultOn() {
        return (Boolean) defaultValue;
    }

    /** The smallest value config.json may give an integer setting. */
    public long min() {
        return min;
    }

    /** The largest value config.json may give an integer setting. */
    public long max() {
        return max;
    }

    public Audience audience() {
        return audience;
    }

    public String meaning() {
        return meaning;
    }

    /** The default as config.json writes it ({@code 600}, {@code true}, {@code "deny"}), or null. */
    public String jsonDefault() {
        return defaultValue instanceof String s ? MiniJson.write(s) : defaultValue == null ? null : defaultValue.toString();
    }

    /** Every setting with an environment variable. */
    public static List<Settings> environment() {
        return Arrays.stream(values()).filter(s -> s.env != null).toList();
    }

    /** Every setting with a config.json key. */
    public static List<Settings> configKeys() {
        return Arrays.stream(values()).filter(s -> s.key != null).toList();
    }

    /** The setting of this environment variable. */
    public static Optional<Settings> byEnv(String name) {
        return Arrays.stream(values()).filter(s -> name.equals(s.env)).findFirst();
    }

    /** The setting of this config.json key. */
    public static Optional<Settings> byKey(String key) {
        return Arrays.stream(values()).filter(s -> key.equals(s.key)).findFirst();
    }

    // ---- reading the environment --------------------------------------------------------------------------------

    /** The variable's value, or empty when it is unset or blank. */
    public Optional<String> in(Map<String, String> environment) {
        String v = environment.get(env);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /**
     * A switch from the environment: {@code on}, {@code 1}, {@code true}, {@code yes} or their opposites (any case);
     * {@code current} when unset; anything else is reported in {@code problems} and leaves {@code current}.
     */
    public boolean switchIn(Map<String, String> environment, boolean current, List<String> problems) {
        Optional<String> v = in(environment);
        if (v.isEmpty()) return current;
        Boolean on = onOff(v.get());
        if (on != null) return on;
        problems.add(env + "=" + v.get() + " is neither on nor off; using " + (current ? "on" : "off"));
        return current;
    }

    /** True when the variable says off ({@code off}, {@code 0}, {@code false}, {@code no}, any case). */
    public boolean saysOff(Map<String, String> environment) {
        String v = environment.get(env);
        return v != null && Boolean.FALSE.equals(onOff(v));
    }

    /**
     * A non-negative integer from the environment; {@code current} when unset; anything else is reported in
     * {@code problems} and leaves {@code current}.
     */
    public long integerIn(Map<String, String> environment, long current, List<String> problems) {
        Optional<String> v = in(environment);
        if (v.isEmpty()) return current;
        try {
            long n = Long.parseLong(v.get().strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            problems.add(env + "=" + v.get() + " is not a non-negative integer; using " + current);
            return current;
        }
    }

    private static Boolean onOff(String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "on", "1", "true", "yes" -> true;
            case "off", "0", "false", "no" -> false;
            default -> null;
        };
    }
}
