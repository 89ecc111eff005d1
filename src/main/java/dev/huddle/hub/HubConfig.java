package dev.huddle.hub;

import dev.huddle.core.claims.ClaimsMode;
import dev.huddle.core.wake.WakeSettings;
import dev.huddle.hub.claims.Claims;
import dev.huddle.hub.claims.ClaimsModes;
import dev.huddle.protocol.Settings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hub settings: the defaults of the {@link Settings} catalogue, then {@code $HUDDLE_HOME/config.json}, then
 * environment variables, each read through its entry in the catalogue. A malformed file
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
        WakeSettings wakeSettings,
        boolean wakeTerminal,
        boolean readSession,
        boolean teamReadTranscripts,
        Duration claimEditWindow,
        ClaimsModes claimsModes) {

    /** The catalogue's defaults ({@link Settings}); the wake figures it does not name are {@link WakeSettings#DEFAULTS}'. */
    public static final HubConfig DEFAULTS = new HubConfig(Duration.ofSeconds(Settings.HUB_IDLE_EXIT_S.defaultLong()),
            Duration.ofMillis(Settings.LIVENESS_INTERVAL_MS.defaultLong()), Duration.ofSeconds(Settings.RETIRE_AFTER_S.defaultLong()),
            1 << 20, Settings.ALLOW_CROSS_PROJECT.defaultOn(), Duration.ofMillis(Settings.ASK_TIMEOUT_MS.defaultLong()),
            Duration.ofMillis(Settings.ASK_MAX_TIMEOUT_MS.defaultLong()), List.of(), WakeSettings.DEFAULTS,
            Settings.WAKE_TERMINAL.defaultOn(), Settings.READ_SESSION.defaultOn(),
            Settings.TEAM_READ_TRANSCRIPTS.defaultOn(), Claims.DEFAULT_EDIT_WINDOW, ClaimsModes.DEFAULT);

    public static HubConfig load(Path file, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        long idle = DEFAULTS.idleExit.toSeconds();
        long liveness = DEFAULTS.livenessInterval.toMillis();
        long retire = DEFAULTS.retireAfter.toSeconds();
        boolean cross = DEFAULTS.allowCrossProject;
        long askDefault = DEFAULTS.askTimeout.toMillis();
        long askMax = DEFAULTS.askMaxTimeout.toMillis();
        WakeSettings wake = DEFAULTS.wakeSettings;
        boolean wakeTerminal = DEFAULTS.wakeTerminal;
        boolean readSession = DEFAULTS.readSession;
        boolean teamRead = DEFAULTS.teamReadTranscripts;
        long editWindow = DEFAULTS.claimEditWindow.toSeconds();
        ClaimsModes modes = DEFAULTS.claimsModes;
        if (Files.exists(file)) {
            try {
                JsonNode n = JsonMapper.shared().readTree(Files.readString(file));
                if (!n.isObject()) throw new IllegalArgumentException("the top level must be a JSON object");
                idle = integer(n, Settings.HUB_IDLE_EXIT_S, idle, problems);
                liveness = integer(n, Settings.LIVENESS_INTERVAL_MS, liveness, problems);
                retire = integer(n, Settings.RETIRE_AFTER_S, retire, problems);
                askDefault = integer(n, Settings.ASK_TIMEOUT_MS, askDefault, problems);
                askMax = integer(n, Settings.ASK_MAX_TIMEOUT_MS, askMax, problems);
                // "wake": false is the kill switch (as HUDDLE_WAKE=off): nothing is woken, not even on request.
                if (!bool(n, Settings.WAKE, true, problems)) wake = wake.withKillSwitch("\"" + Settings.WAKE.key() + "\": false in " + file);
                wakeTerminal = bool(n, Settings.WAKE_TERMINAL, wakeTerminal, problems);
                if (n.has(Settings.WAKE_STRATEGY.key())) {
                    var st = WakeSettings.Strategy.fromWireName(n.get(Settings.WAKE_STRATEGY.key()).asString(""));
                    if (st != null) wake = wake.withStrategy(st);
                    else problems.add(Settings.WAKE_STRATEGY.key() + " must be \"auto\" or \"off\"");
                }
                wake = timers(n, wake, problems);
                // "read_session": false: no agent reads another's transcript or pane (huddle read still works for the user)
                readSession = bool(n, Settings.READ_SESSION, readSession, problems);
                // the owning machine decides what of its agents' sessions leaves it for another machine's reader
                teamRead = bool(n, Settings.TEAM_READ_TRANSCRIPTS, teamRead, problems);
                editWindow = integer(n, Settings.CLAIM_EDIT_WINDOW_S, editWindow, problems);
                if (n.has(Settings.CLAIMS_MODE.key())) modes = claimsModes(n.get(Settings.CLAIMS_MODE.key()), problems);
                cross = bool(n, Settings.ALLOW_CROSS_PROJECT, cross, problems);
            } catch (Exception e) {
                problems.add(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + "); using defaults");
            }
        }
        // The environment outranks the file.
        idle = Settings.HUB_IDLE_EXIT_S.integerIn(env, idle, problems);
        liveness = Settings.LIVENESS_INTERVAL_MS.integerIn(env, liveness, problems);
        askDefault = clamp(Settings.ASK_TIMEOUT_MS, Settings.ASK_TIMEOUT_MS.integerIn(env, askDefault, problems));
        askMax = clamp(Settings.ASK_MAX_TIMEOUT_MS, Settings.ASK_MAX_TIMEOUT_MS.integerIn(env, askMax, problems));
        wakeTerminal = Settings.WAKE_TERMINAL.switchIn(env, wakeTerminal, problems);
        readSession = Settings.READ_SESSION.switchIn(env, readSession, problems);
        if (Settings.WAKE.saysOff(env)) {
            wake = wake.withKillSwitch(Settings.WAKE.env() + "=" + env.get(Settings.WAKE.env()).strip() + " in the hub's environment");
        }
        return new HubConfig(Duration.ofSeconds(idle), Duration.ofMillis(Math.max(100, liveness)),
                Duration.ofSeconds(retire), DEFAULTS.maxLineBytes, cross, Duration.ofMillis(Math.max(1, askDefault)),
                Duration.ofMillis(Math.max(1, askMax)), List.copyOf(problems), wake, wakeTerminal, readSession,
                teamRead, Duration.ofSeconds(editWindow), modes);
    }

    /** {@code claims_mode}: a mode, or roots → modes with an optional "default"; a bad entry is skipped and reported. */
    private static ClaimsModes claimsModes(JsonNode v, List<String> problems) {
        String hint = Settings.CLAIMS_MODE.key() + " must be \"deny\", \"ask\" or \"warn\", or an object of absolute repository roots (and \"default\") to those";
        if (v.isString()) {
            ClaimsMode m = ClaimsMode.parse(v.asString());
            if (m != null) return new ClaimsModes(m, Map.of());
            problems.add(hint + "; using deny");
            return ClaimsModes.DEFAULT;
        }
        if (!v.isObject()) {
            problems.add(hint + "; using deny");
            return ClaimsModes.DEFAULT;
        }
        ClaimsMode fallback = ClaimsMode.DENY;
        Map<String, ClaimsMode> byProject = new java.util.LinkedHashMap<>();
        for (var e : v.properties()) {
            String key = e.getKey();
            ClaimsMode m = e.getValue().isString() ? ClaimsMode.parse(e.getValue().asString()) : null;
            if (m == null) {
                problems.add(Settings.CLAIMS_MODE.key() + "." + key + " must be \"deny\", \"ask\" or \"warn\"; ignored");
            } else if (key.equals("default")) {
                fallback = m;
            } else if (!key.startsWith("/")) {
                problems.add(Settings.CLAIMS_MODE.key() + " key '" + key + "' is not an absolute repository root (or \"default\"); ignored");
            } else {
                byProject.put(Path.of(key).normalize().toString(), m);
            }
        }
        return new ClaimsModes(fallback, Map.copyOf(byProject));
    }

    /** The wake timers' figures ({@link WakeSettings}): each {@code wake_*} integer of the catalogue. */
    private static WakeSettings timers(JsonNode n, WakeSettings w, List<String> problems) {
        long first = integer(n, Settings.WAKE_RETRY_FIRST_DELAY_MS, w.retryFirstDelay().toMillis(), problems);
        long factor = integer(n, Settings.WAKE_RETRY_FACTOR, w.retryFactor(), problems);
        long retries = integer(n, Settings.WAKE_MAX_RETRIES, w.maxRetries(), problems);
        long grace = integer(n, Settings.WAKE_REPOKE_GRACE_MS, w.repokeGrace().toMillis(), problems);
        long spacing = integer(n, Settings.WAKE_REPOKE_SPACING_MS, w.repokeSpacing().toMillis(), problems);
        long cap = integer(n, Settings.WAKE_REPOKE_CAP, w.repokeCap(), problems);
        long pullGrace = integer(n, Settings.WAKE_PULL_BACK_GRACE_MS, w.pullBackGrace().toMillis(), problems);
        long pullAge = integer(n, Settings.WAKE_PULL_BACK_MAX_AGE_MS, w.pullBackMaxAge().toMillis(), problems);
        return w.withTimers(Duration.ofMillis(first), (int) factor, (int) retries, Duration.ofMillis(grace),
                Duration.ofMillis(spacing), (int) cap, Duration.ofMillis(pullGrace), Duration.ofMillis(pullAge));
    }

    /** An integer setting of the file, within the catalogue's range; else reported, and {@code def} kept. */
    private static long integer(JsonNode n, Settings s, long def, List<String> problems) {
        if (!n.has(s.key())) return def;
        JsonNode v = n.get(s.key());
        if (!v.isIntegralNumber() || v.asLong() < s.min() || v.asLong() > s.max()) {
            problems.add(s.key() + " must be an integer between " + s.min() + " and " + s.max() + "; using " + def);
            return def;
        }
        return v.asLong();
    }

    /** A switch of the file (a JSON boolean); else reported, and {@code def} kept. */
    private static boolean bool(JsonNode n, Settings s, boolean def, List<String> problems) {
        if (!n.has(s.key())) return def;
        JsonNode v = n.get(s.key());
        if (v.isBoolean()) return v.asBoolean();
        problems.add(s.key() + " must be true or false");
        return def;
    }

    /** An environment value held to the catalogue's range (the file's range, which the environment may not leave). */
    private static long clamp(Settings s, long v) {
        return Math.clamp(v, s.min(), s.max());
    }
}
