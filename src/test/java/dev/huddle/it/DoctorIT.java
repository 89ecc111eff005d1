package dev.huddle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code huddle doctor} against a private HUDDLE_HOME and a scratch HOME with client configs, without and with a hub. */
@Timeout(180)
class DoctorIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Path huddleHome;
    private Path home;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        var rwx = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        huddleHome = Files.createTempDirectory(Path.of("/tmp"), "hdoc", rwx);
        home = Files.createTempDirectory(Path.of("/tmp"), "hdoc-home-", rwx);
        String launcher = System.getProperty("huddle.launcher", "/bin/sh");
        Files.writeString(home.resolve(".claude.json"), "{\"projects\":{\"/x\":{\"mcpServers\":{\"huddle\":{\"type\":\"stdio\",\"command\":\""
                + launcher + "\",\"args\":[\"mcp\"]}}}}}");
        Files.createDirectories(home.resolve(".gemini"));
        Files.writeString(home.resolve(".gemini/settings.json"), "{\"mcpServers\": {\"huddle\": }");
        Files.createDirectories(home.resolve(".codex"));
        Files.writeString(home.resolve(".codex/config.toml"), "model = \"o3\"\n");
        env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("HUDDLE_HOME", huddleHome.toString());
        env.put("HUDDLE_AOT", "off");
        env.put("LANG", "C.UTF-8");
        env.put("NO_COLOR", "1");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            ItProcesses.huddle(env, home, TIMEOUT, "hub", "stop");
        } catch (RuntimeException | AssertionError | IOException ignored) {
            // best effort
        } finally {
            List<String> killed = ItProcesses.killProcessesUsing(huddleHome);
            if (!killed.isEmpty()) System.err.println("DoctorIT: killed leftovers " + killed);
            ItProcesses.deleteRecursively(huddleHome);
            ItProcesses.deleteRecursively(home);
        }
    }

    private static JsonNode check(JsonNode doc, String name) {
        for (JsonNode c : doc.path("checks")) if (name.equals(c.path("name").asString())) return c;
        throw new AssertionError("no check named " + name + " in " + doc);
    }

    @Test
    void reportsTheHubNotRunningThenRunningAndFailsOnExposedFiles() throws Exception {
        ItProcesses.Result text = ItProcesses.huddle(env, home, TIMEOUT, "doctor");
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.output()).as("%s", text)
                .containsPattern("ok +hub +not running")
                .containsPattern("ok +claude-code +registered \\(local scope in 1 project\\)")
                .containsPattern("warn +codex +config found .*huddle not registered")
                .contains("run `huddle setup`")
                .containsPattern("warn +gemini +.*not valid JSON")
                .doesNotContain("\u001b[");
        assertThat(ItProcesses.processesUsing(huddleHome)).as("doctor must not start a hub").isEmpty();

        ItProcesses.Result json = ItProcesses.huddle(env, home, TIMEOUT, "doctor", "--json");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode doc = JsonMapper.shared().readTree(json.output());
        assertThat(doc.path("ok").asBoolean()).isTrue();
        assertThat(check(doc, "hub").path("status").asString()).isEqualTo("ok");
        assertThat(check(doc, "java").path("status").asString()).isEqualTo("ok");
        assertThat(check(doc, "gemini").path("status").asString()).isEqualTo("warn");
        assertThat(check(doc, "gemini").path("hint").isString()).isTrue();

        ItProcesses.Result start = ItProcesses.huddle(env, home, TIMEOUT, "hub", "restart");
        assertThat(start.exitCode()).as("%s", start).isZero();

        long t0 = System.nanoTime();
        ItProcesses.Result running = ItProcesses.huddle(env, home, TIMEOUT, "doctor", "--json");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(running.exitCode()).as("%s", running).isZero();
        JsonNode doc2 = JsonMapper.shared().readTree(running.output());
        JsonNode hub = check(doc2, "hub");
        assertThat(hub.path("status").asString()).as("%s", hub).isEqualTo("ok");
        assertThat(hub.path("detail").asString()).contains("running: pid").contains("(this build)");
        assertThat(check(doc2, "database").path("detail").asString()).contains("schema version");
        assertThat(check(doc2, "home").path("status").asString()).isEqualTo("ok");
        System.err.println("DoctorIT: doctor with a running hub took " + ms + " ms (JVM start included)");

        Path db = huddleHome.resolve("huddle.db");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        ItProcesses.Result exposed = ItProcesses.huddle(env, home, TIMEOUT, "doctor");
        assertThat(exposed.exitCode()).as("%s", exposed).isEqualTo(4);
        assertThat(exposed.output()).containsPattern("FAIL +home .*huddle.db \\(rw-r--r--\\)").contains("chmod 600");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
    }
}
