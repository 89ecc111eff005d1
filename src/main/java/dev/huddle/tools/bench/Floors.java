package dev.huddle.tools.bench;

import java.util.Map;

/**
 * The floors of {@code huddle bench} (issue 18, item 4), which {@link FloorBench} measures first in every run, and
 * which floor each figure is read against: the report prints the ratio of the medians beside the time, so a noisy
 * machine moves both and the ratio still means something.
 */
final class Floors {
    static final String SPAWN = "floor_spawn_ms";
    static final String JVM = "floor_jvm_ms";
    static final String SQLITE = "floor_sqlite_commits_per_s";
    static final String SOCKET = "floor_unix_rtt_us";

    private Floors() {}

    /** Which floor each figure is read against (the one place that says it). */
    private static final Map<String, String> FLOORS = Map.ofEntries(
            Map.entry("front_init_ms", JVM), Map.entry("front_init_aot_ms", JVM), Map.entry("front_init_launcher_ms", JVM),
            Map.entry("front_init_launcher_aot_ms", JVM), Map.entry(ColdFrontBench.INIT, "front_init_ms"),
            Map.entry(ColdFrontBench.FIRST_CALL, JVM), Map.entry(ColdFrontBench.CROWD, JVM), Map.entry("hub_start_ms", JVM),
            Map.entry("hub_restart_ms", JVM), Map.entry("msg_send_rtt_ms", SOCKET), Map.entry("list_sessions_rtt_ms", SOCKET),
            Map.entry("msg_throughput_per_s", SQLITE), Map.entry("msg_throughput_fronts_per_s", SQLITE),
            Map.entry("hook_pretooluse_wall_ms", "hook_curl_baseline_ms"), Map.entry("hook_quiet_wall_ms", "hook_curl_baseline_ms"),
            Map.entry("hook_curl_baseline_ms", SPAWN), Map.entry("hook_sh_baseline_ms", SPAWN));

    /** {@code f}, naming its floor when it has one. */
    static Figure floored(Figure f) {
        String floor = FLOORS.get(f.id());
        return floor == null || f.floor() != null ? f : f.withFloor(floor);
    }
}
