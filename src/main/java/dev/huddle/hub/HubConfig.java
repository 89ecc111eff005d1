package dev.huddle.hub;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hub settings: defaults, then {@code $HUDDLE_HOME/config.json}, then environment variables. A malformed file
 * never stops the hub: the bad entries are ignored, reported in {@link #problems()}, and shown by
 * {@code huddle doctor} and {@code huddle hub status}.
 */
public record HubConfig(
        Duration idleExit,
        Duration livenessInterval,
        Duration retireAfter,
        int maxLineBytes,
        boolean allowCrossProject,
        Duration askTimeout,
        Duration askMaxTimeout,
        List<String> problems,
        dev.huddle.core.wake.WakeSettings wakeSettings,
        boolean wakeTerminal,
        boolean readSession,
        Duration claimEditWindow,
        ClaimsModes claimsModes) {

    /** How long an edit marks a file "being edited" by its editor (an implicit claim), unless edited again. */
    public static final Duration DEFAULT_EDIT_WINDOW = Duration.ofMinutes(5);
    public static final long MIN_EDIT_WINDOW_S = 10;
    public static final long MAX_EDIT_WINDOW_S = 86_400;

    public static final HubConfig DEFAULTS = new HubConfig(Duration.ofMinutes(10), Duration.ofSeconds(2),
            Duration.ofHours(24), 1 << 20, false, Duration.ofSeconds(60), Duration.ofSeconds(100), List.of(),
            dev.huddle.core.wake.WakeSettings.DEFAULTS, true, true, DEFAULT_EDIT_WINDOW, ClaimsModes.DEFAULT);

    /**
     * What an edit of another agent's file gets, per project: {@code claims_mode} in config.json, either one mode for
     * every project ({@code "warn"}) or an object of repository roots (absolute paths) to modes, with {@code "default"}
     * for the rest: {@code {"default": "deny", "/home/me/repo": "warn"}}.
     */
    public record ClaimsModes(dev.huddle.core.claims.ClaimsMode fallback, Map<String, dev.huddle.core.claims.ClaimsMode> byProject) {
        public static final ClaimsModes DEFAULT = new ClaimsModes(dev.huddle.core.claims.ClaimsMode.DENY, Map.of());

        public dev.huddle.core.claims.ClaimsMode forProject(String projectRoot) {
            return projectRoot == null ? fallback : byProject.getOrDefault(projectRoot, fallback);
        }
    }

    /** Switches the keystroke (terminal) wake route: {@code off}/{@code on} and their synonyms; it wins over the file. */
    public static final String ENV_WAKE_TERMINAL = "HUDDLE_WAKE_TERMINAL";
    /** {@code off}: no agent reads another's session with read_session (huddle read still works for the user). */
    public static final String ENV_READ_SESSION = "HUDDLE_READ_SESSION";

    public static HubConfig load(Path file, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        long idle = DEFAULTS.idleExit.toSeconds();
        long liveness = DEFAULTS.livenessInterval.toMillis();
        long retire = DEFAULTS.retireAfter.toSeconds();
        boolean cross = false;
        long askDefault = DEFAULTS.askTimeout.toMillis();
        long askMax = DEFAULTS.askMaxTimeout.toMillis();
        dev.huddle.core.wake.WakeSettings wake = dev.huddle.core.wake.WakeSettings.DEFAULTS;
        boolean wakeTerminal = DEFAULTS.wakeTerminal;
        boolean readSession = DEFAULTS.readSession;
        long editWindow = DEFAULTS.claimEditWindow.toSeconds();
        ClaimsModes modes = ClaimsModes.DEFAULT;
        if (Files.exists(file)) {
            try {
                JsonNode n = JsonMapper.shared().readTree(Files.readString(file));
                if (!n.isObject()) throw new IllegalArgumentException("the top level must be a JSON object");
                idle = integer(n, "hub_idle_exit_s", idle, 0, 7 * 86400, problems);
                liveness = integer(n, "liveness_interval_ms", liveness, 200, 60_000, problems);
                retire = integer(n, "retire_after_s", retire, 60, 365L * 86400, problems);
                askDefault = integer(n, "ask_timeout_ms", askDefault, 100, 3_600_000, problems);
                askMax = integer(n, "ask_max_timeout_ms", askMax, 100, 3_600_000, problems);
                if (n.has("wake")) {
                    // "wake": false is the kill switch (as HUDDLE_WAKE=off): nothing is woken, not even on request.
                    if (n.get("wake").isBoolean()) wake = n.get("wake").asBoolean() ? wake : wake.withKillSwitch("\"wake\": false in " + file);
                    else problems.add("wake must be true or false");
                }
                if (n.has("wake_terminal")) {
                    if (n.get("wake_terminal").isBoolean()) wakeTerminal = n.get("wake_terminal").asBoolean();
                    else problems.add("wake_terminal must be true or false");
                }
                if (n.has("wake_strategy")) {
                    var st = dev.huddle.core.wake.WakeSettings.Strategy.fromWireName(n.get("wake_strategy").asString(""));
                    if (st != null) wake = wake.withStrategy(st);
                    else problems.add("wake_strategy must be \"auto\" or \"off\"");
                }
                wake = timers(n, wake, problems);
                if (n.has("read_session")) {
                    // "read_session": false: no agent reads another's transcript or pane (huddle read still works for the user)
                    if (n.get("read_session").isBoolean()) readSession = n.get("read_session").asBoolean();
                    else problems.add("read_session must be true or false");
                }
                editWindow = integer(n, "claim_edit_window_s", editWindow, MIN_EDIT_WINDOW_S, MAX_EDIT_WINDOW_S, problems);
                if (n.has("claims_mode")) modes = claimsModes(n.get("claims_mode"), problems);
                if (n.has("allow_cross_project")) {
                    if (n.get("allow_cross_project").isBoolean()) cross = n.get("allow_cross_project").asBoolean();
                    else problems.add("allow_cross_project must be true or false");
                }
            } catch (Exception e) {
                problems.add(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + "); using defaults");
            }
        }
        idle = envLong(env, "HUDDLE_HUB_IDLE_EXIT_S", idle, problems);
        liveness = envLong(env, "HUDDLE_LIVENESS_INTERVAL_MS", liveness, problems);
        askDefault = Math.clamp(envLong(env, "HUDDLE_ASK_TIMEOUT_MS", askDefault, problems), 100, 3_600_000);
        askMax = Math.clamp(envLong(env, "HUDDLE_ASK_MAX_TIMEOUT_MS", askMax, problems), 100, 3_600_000);
        wakeTerminal = envSwitch(env, ENV_WAKE_TERMINAL, wakeTerminal, problems);
        readSession = envSwitch(env, ENV_READ_SESSION, readSession, problems);
        return new HubConfig(Duration.ofSeconds(idle), Duration.ofMillis(Math.max(100, liveness)),
                Duration.ofSeconds(retire), DEFAULTS.maxLineBytes, cross, Duration.ofMillis(Math.max(1, askDefault)),
                Duration.ofMillis(Math.max(1, askMax)), List.copyOf(problems), wake, wakeTerminal, readSession,
                Duration.ofSeconds(editWindow), modes);
    }

    /** {@code claims_mode}: a mode, or roots → modes with an optional "default"; a bad entry is skipped and reported. */
    private static ClaimsModes claimsModes(JsonNode v, List<String> problems) {
        String hint = "claims_mode must be \"deny\", \"ask\" or \"warn\", or an object of absolute repository roots (and \"default\") to those";
        if (v.isString()) {
            dev.huddle.core.claims.ClaimsMode m = dev.huddle.core.claims.ClaimsMode.parse(v.asString());
            if (m != null) return new ClaimsModes(m, Map.of());
            problems.add(hint + "; using deny");
            return ClaimsModes.DEFAULT;
        }
        if (!v.isObject()) {
            problems.add(hint + "; using deny");
            return ClaimsModes.DEFAULT;
        }
        dev.huddle.core.claims.ClaimsMode fallback = dev.huddle.core.claims.ClaimsMode.DENY;
        Map<String, dev.huddle.core.claims.ClaimsMode> byProject = new java.util.LinkedHashMap<>();
        for (var e : v.properties()) {
            String key = e.getKey();
            dev.huddle.core.claims.ClaimsMode m = e.getValue().isString() ? dev.huddle.core.claims.ClaimsMode.parse(e.getValue().asString()) : null;
            if (m == null) {
                problems.add("claims_mode." + key + " must be \"deny\", \"ask\" or \"warn\"; ignored");
            } else if (key.equals("default")) {
                fallback = m;
            } else if (!key.startsWith("/")) {
                problems.add("claims_mode key '" + key + "' is not an absolute repository root (or \"default\"); ignored");
            } else {
                byProject.put(Path.of(key).normalize().toString(), m);
            }
        }
        return new ClaimsModes(fallback, Map.copyOf(byProject));
    }

    /**
     * The wake timers' figures ({@link dev.huddle.core.wake.WakeSettings}): {@code wake_retry_first_delay_ms},
     * {@code wake_retry_factor}, {@code wake_max_retries}, {@code wake_repoke_grace_ms}, {@code wake_repoke_spacing_ms},
     * {@code wake_repoke_cap}, {@code wake_pull_back_grace_ms}, {@code wake_pull_back_max_age_ms}.
     */
    private static dev.huddle.core.wake.WakeSettings timers(JsonNode n, dev.huddle.core.wake.WakeSettings w, List<String> problems) {
        long day = 86_400_000L;
        long first = integer(n, "wake_retry_first_delay_ms", w.retryFirstDelay().toMillis(), 100, day, problems);
        long factor = integer(n, "wake_retry_factor", w.retryFactor(), 1, 10, problems);
        long retries = integer(n, "wake_max_retries", w.maxRetries(), 0, 10, problems);
        long grace = integer(n, "wake_repoke_grace_ms", w.repokeGrace().toMillis(), 100, day, problems);
        long spacing = integer(n, "wake_repoke_spacing_ms", w.repokeSpacing().toMillis(), 100, day, problems);
        long cap = integer(n, "wake_repoke_cap", w.repokeCap(), 0, 10, problems);
        long pullGrace = integer(n, "wake_pull_back_grace_ms", w.pullBackGrace().toMillis(), 0, day, problems);
        long pullAge = integer(n, "wake_pull_back_max_age_ms", w.pullBackMaxAge().toMillis(), 1000, 7 * day, problems);
        return w.withTimers(Duration.ofMillis(first), (int) factor, (int) retries, Duration.ofMillis(grace),
                Duration.ofMillis(spacing), (int) cap, Duration.ofMillis(pullGrace), Duration.ofMillis(pullAge));
    }

    private static long integer(JsonNode n, String key, long def, long min, long max, List<String> problems) {
        if (!n.has(key)) return def;
        JsonNode v = n.get(key);
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            problems.add(key + " must be an integer between " + min + " and " + max + "; using " + def);
            return def;
        }
        return v.asLong();
    }

    private static boolean envSwitch(Map<String, String> env, String key, boolean def, List<String> problems) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return def;
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "1", "true", "yes" -> true;
            case "off", "0", "false", "no" -> false;
            default -> {
                problems.add(key + "=" + v + " is neither on nor off; using " + (def ? "on" : "off"));
                yield def;
            }
        };
    }

    private static long envLong(Map<String, String> env, String key, long def, List<String> problems) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return def;
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + "=" + v + " is not a non-negative integer; using " + def);
            return def;
        }
    }
}
