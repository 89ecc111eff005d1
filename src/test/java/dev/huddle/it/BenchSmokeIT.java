package dev.huddle.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code huddle bench --quick --json} runs end to end and reports every figure (values are not checked: timings
 * on a shared 2-core machine say nothing in a test). It trains the AOT caches into the jar's aot directory first
 * when they are missing, and leaves no process behind.
 */
class BenchSmokeIT {
    static final List<String> FIGURES = List.of(
            "front_init_ms", "front_init_aot_ms", "front_init_launcher_ms", "front_init_launcher_aot_ms",
            "front_rss_mb", "front_rss_aot_mb",
            "hub_start_ms", "hub_start_aot_ms", "hub_ready_log_ms", "hub_ready_log_aot_ms", "hub_restart_ms", "hub_restart_aot_ms",
            "hub_rss_idle_mb", "hub_rss_100_fronts_mb", "hub_cpu_100_fronts_pct", "hub_rss_real_fronts_mb", "sessions_pss_real_fronts_mb",
            "list_sessions_rtt_ms",
            "hook_pretooluse_wall_ms", "hook_quiet_wall_ms", "hook_in_hub_us", "hook_curl_baseline_ms", "hook_sh_baseline_ms",
            "hook_concurrent_100", "hook_concurrent_100_wall_ms", "hook_pretooluse_denied_wall_ms",
            "wake_rewake_ms", "wake_tmux_ms",
            "read_tail_10mb_ms", "read_session_10mb_rtt_ms", "read_tail_64mib_ms", "read_session_64mib_rtt_ms",
            "watch_event_to_frame_ms", "watch_result_to_frame_ms", "web_event_ms", "web_send_to_event_ms");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void quickBenchReportsEveryFigure() throws Exception {
        String jar = System.getProperty("huddle.jar", "target/huddle.jar");
        String launcher = System.getProperty("huddle.launcher", "huddle");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path err = Files.createTempFile("bench-smoke", ".err");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", jar,
                "bench", "--quick", "--json", "--launcher", launcher));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(err.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("PATH", "HOME", "USER", "LANG")) if (System.getenv(k) != null) env.put(k, System.getenv(k));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(9, TimeUnit.MINUTES)).as("bench finished").isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String diagnostics = readQuietly(err);
        assertThat(p.exitValue()).as("exit code; stderr:\n%s", diagnostics).isZero();

        JsonNode report = JsonMapper.shared().readTree(out);
        assertThat(report.path("quick").asBoolean()).isTrue();
        assertThat(report.path("machine").path("nproc").asInt()).isPositive();
        JsonNode figures = report.path("figures");
        for (String id : FIGURES) {
            JsonNode f = figures.path(id);
            assertThat(f.isObject()).as("figure %s in %s; stderr:\n%s", id, figures, diagnostics).isTrue();
            assertThat(f.path("skipped").isMissingNode()).as("figure %s was skipped: %s", id, f.path("skipped")).isTrue();
            assertThat(f.path("median").isNumber()).as("%s.median", id).isTrue();
            assertThat(f.path("p90").isNumber()).as("%s.p90", id).isTrue();
            assertThat(f.path("p99").isNumber()).as("%s.p99", id).isTrue();
            assertThat(f.path("n").asInt()).as("%s.n", id).isPositive();
        }
        assertThat(figures.path("hook_concurrent_100").path("median").asDouble()).as("errors among 100 concurrent hooks: %s",
                figures.path("hook_concurrent_100").path("note")).isZero();
        for (String role : List.of("front", "hub", "cli")) {
            assertThat(report.path("aot").path(role).path("used").asBoolean()).as("the %s AOT cache is used", role).isTrue();
        }
        // Nothing left running: no JVM of ours under the bench's private homes.
        String ourJar = Path.of(jar).toAbsolutePath().normalize().toString(); // not another checkout's bench
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(ourJar))
                .filter(h -> h.info().commandLine().orElse("").contains("huddle-bench-")
                        || isBenchChild(h))
                .toList()).isEmpty());
        Files.deleteIfExists(err);
    }

    private static boolean isBenchChild(ProcessHandle h) {
        try {
            String environ = Files.readString(Path.of("/proc", Long.toString(h.pid()), "environ"), StandardCharsets.ISO_8859_1);
            return environ.contains("HUDDLE_HOME=/tmp/huddle-bench-") || environ.contains("HUDDLE_HOME=/tmp/hb-");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
