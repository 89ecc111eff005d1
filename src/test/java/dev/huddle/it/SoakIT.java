package dev.huddle.it;

import dev.huddle.tools.demo.TmuxPane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A short wake soak ({@code huddle bench --only soak --quick}, 3 agents, 30 s of traffic): simulated Codex sessions
 * in a private tmux server, a simulated human typing drafts and prompts; no keystroke reaches a busy agent or a
 * draft, every idle recipient is reached, and nothing is left running. The 10-minute run is in docs/BENCHMARKS.md.
 */
class SoakIT {

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aShortSoakKeepsTheWakeInvariants() throws Exception {
        assumeTrue(TmuxPane.binary() != null, "tmux is not installed");
        String jar = System.getProperty("huddle.jar", "target/huddle.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path err = Files.createTempFile("soak-it", ".err");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", jar,
                "bench", "--only", "soak", "--quick", "--soak-minutes", "0.5", "--soak-agents", "3", "--no-train", "--json"));
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
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the soak finished").isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String diagnostics = Files.readString(err);
        assertThat(p.exitValue()).as("exit code; stderr:\n%s", diagnostics).isZero();

        JsonNode report = JsonMapper.shared().readTree(out);
        JsonNode figures = report.path("figures");
        JsonNode soak = report.path("soak");
        for (String id : List.of("soak_keystrokes_into_busy", "soak_drafts_altered", "soak_idle_not_woken", "soak_busy_not_delivered")) {
            assertThat(figures.path(id).path("median").asDouble(-1)).as("%s; the soak's findings: %s", id, soak).isZero();
        }
        assertThat(figures.path("soak_messages").path("median").asDouble()).as("messages exchanged").isPositive();
        assertThat(soak.path("bindings").size()).isEqualTo(3);

        // Nothing left running: no agent, front, tmux server or hub of this soak (they all name this build's jar;
        // another checkout running its own soak on the same machine is not ours to judge).
        String ourJar = Path.of(jar).toAbsolutePath().normalize().toString();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                .filter(h -> {
                    String line = h.info().commandLine().orElse("");
                    return line.contains(ourJar) && (line.contains("SoakAgent") || line.contains("huddle-bench-"));
                })
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .toList()).isEmpty());
        Files.deleteIfExists(err);
    }
}
