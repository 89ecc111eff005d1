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
        dev.huddle.core.WakeSettings wakeSettings,
        boolean wakeTerminal,
        boolean readSession) {

    public static final HubConfig DEFAULTS = new HubConfig(Duration.ofMinutes(10), Duration.ofSeconds(2),
            Duration.ofHours(24), 1 << 20, false, Duration.ofSeconds(60), Duration.ofSeconds(100), List.of(),
            dev.huddle.core.WakeSettings.DEFAULTS, false, true);

    public static HubConfig load(Path file, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        long idle = DEFAULTS.idleExit.toSeconds();
        long liveness = DEFAULTS.livenessInterval.toMillis();
        long retire = DEFAULTS.retireAfter.toSeconds();
        boolean cross = false;
        long askDefault = DEFAULTS.askTimeout.toMillis();
        long askMax = DEFAULTS.askMaxTimeout.toMillis();
        dev.huddle.core.WakeSettings wake = dev.huddle.core.WakeSettings.DEFAULTS;
        boolean wakeTerminal = false;
        boolean readSession = true;
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
                    var st = dev.huddle.core.WakeSettings.Strategy.fromWireName(n.get("wake_strategy").asString(""));
                    if (st != null) wake = wake.withStrategy(st);
                    else problems.add("wake_strategy must be \"auto\" or \"off\"");
                }
                if (n.has("read_session")) {
                    // "read_session": false: no agent reads another's transcript or pane (huddle read still works for the user)
                    if (n.get("read_session").isBoolean()) readSession = n.get("read_session").asBoolean();
                    else problems.add("read_session must be true or false");
                }
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
        return new HubConfig(Duration.ofSeconds(idle), Duration.ofMillis(Math.max(100, liveness)),
                Duration.ofSeconds(retire), DEFAULTS.maxLineBytes, cross, Duration.ofMillis(Math.max(1, askDefault)),
                Duration.ofMillis(Math.max(1, askMax)), List.copyOf(problems), wake,
                wakeTerminal || "on".equalsIgnoreCase(String.valueOf(env.get("HUDDLE_WAKE_TERMINAL")).strip()),
                readSession && !"off".equalsIgnoreCase(String.valueOf(env.get("HUDDLE_READ_SESSION")).strip()));
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
