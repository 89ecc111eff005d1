package dev.huddle.it.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The real Gemini CLI (installed by {@code .ci/install-clients.sh} into {@code .ci/node}) with a private {@code HOME},
 * against the hub of a {@link TestHome}, driven offline by {@link ScriptedGemini}s, one per session
 * (real-clients-offline.md). Its {@code ~/.gemini/settings.json} starts with what an offline run needs beside what
 * {@code huddle setup} writes: API-key auth (without it {@code -p} fails "Invalid auth method selected"), no update
 * check, no usage statistics. Every process gets {@code GEMINI_CLI_TRUST_WORKSPACE=true}: in a folder Gemini does not
 * trust it disables hooks and MCP servers. {@link #close()} kills the sessions it started and stops the models; the
 * home's own cleanup ends whatever else carries its {@code HUDDLE_HOME} (fronts, hooks, a tmux server).
 */
public final class Gemini implements AutoCloseable {
    public static final String API_KEY = "gemini-huddle-it-key";

    private final TestHome hub;
    private final Path home;
    private final List<ScriptedGemini> models = new ArrayList<>();
    private final List<Process> sessions = new ArrayList<>();

    private Gemini(TestHome hub, Path home) {
        this.hub = hub;
        this.home = home;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("security", Map.of("auth", Map.of("selectedType", "gemini-api-key")));
        settings.put("general", Map.of("enableAutoUpdate", false, "enableAutoUpdateNotification", false));
        settings.put("privacy", Map.of("usageStatisticsEnabled", false));
        writeSettings(settings);
    }

    /** A Gemini CLI environment against {@code hub}'s hub, with a fresh HOME (a scratch directory of that home). */
    public static Gemini in(TestHome hub) {
        return new Gemini(hub, hub.newDir("gmh"));
    }

    /**
     * -Dhuddle.gemini / $HUDDLE_GEMINI_BIN, else {@code <repo>/.ci/node/node_modules/.bin/gemini}; skips the test without
     * it, except under CI ({@code CI=true}), where the real-client tests must run.
     */
    public static Path binary() {
        String configured = System.getProperty("huddle.gemini", System.getenv("HUDDLE_GEMINI_BIN"));
        Path bin = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : TestHome.launcher().getParent().resolve(".ci/node/node_modules/.bin/gemini");
        if (!Files.isExecutable(bin)) {
            String why = "Gemini CLI not found at " + bin + " (install it with .ci/install-clients.sh or set HUDDLE_GEMINI_BIN)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + "; CI must run the real-client tests");
            Assumptions.assumeTrue(false, why);
        }
        return bin.toAbsolutePath();
    }

    public TestHome hub() {
        return hub;
    }

    /** The sessions' {@code HOME}: {@code .gemini/settings.json}, {@code .gemini/tmp/<project>/chats/}. */
    public Path home() {
        return home;
    }

    public Path settingsFile() {
        return home.resolve(".gemini/settings.json");
    }

    /** The user settings as JSON. */
    public Map<String, Object> settings() {
        try {
            return Json.object(Files.readString(settingsFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeSettings(Map<String, Object> settings) {
        try {
            Files.createDirectories(settingsFile().getParent());
            Files.writeString(settingsFile(), Json.write(settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code huddle setup --client gemini} in {@code cwd}, as a user runs it: the user-scope MCP server and the hooks. */
    public TestHome.Result installWithHuddleSetup(Path cwd) {
        TestHome.Result r = TestHome.run(cwd, cliEnv(), TestHome.CLI_TIMEOUT, hub.command("setup", "--client", "gemini"));
        assertThat(r.exit()).as("huddle setup%n%s", r).isZero();
        return r;
    }

    /** {@code huddle <args>} in {@code cwd} as this user (this HOME), e.g. {@code doctor}. */
    public TestHome.Result huddle(Path cwd, String... args) {
        return TestHome.run(cwd, cliEnv(), TestHome.CLI_TIMEOUT, hub.command(args));
    }

    private Map<String, String> cliEnv() {
        Map<String, String> env = new LinkedHashMap<>(hub.env());
        env.put("HOME", home.toString());
        env.put("HUDDLE_LAUNCHER", TestHome.launcher().toString());
        return env;
    }

    // ---- sessions ----

    /** A scripted model for one session, stopped with this environment. */
    public ScriptedGemini model(Function<ScriptedGemini.Request, ScriptedGemini.Reply> script) {
        ScriptedGemini m = ScriptedGemini.start(script);
        models.add(m);
        return m;
    }

    /** The environment of a {@code gemini} process talking to {@code model}: the hub's home's (nothing of the caller's own session leaks in), this HOME. */
    public Map<String, String> env(ScriptedGemini model) {
        Map<String, String> env = new LinkedHashMap<>(hub.env());
        env.put("HOME", home.toString());
        env.put("TMPDIR", "/tmp");
        env.put("HUDDLE_JAVA_HOME", System.getProperty("java.home")); // the launcher would find a JDK 25; pin this one
        env.put("GEMINI_API_KEY", API_KEY);
        env.put("GOOGLE_GEMINI_BASE_URL", model.baseUrl());
        env.put("GEMINI_CLI_TRUST_WORKSPACE", "true");
        return env;
    }

    /** Starts {@code gemini <args>} in {@code cwd} against {@code model}, stdin from /dev/null; killed on close. */
    public Process start(Path cwd, ScriptedGemini model, List<String> args) {
        Process p = TestHome.startClean(binary(), args, cwd, env(model));
        sessions.add(p);
        return p;
    }

    /** Waits for a session to end, with its output; fails (with the hub's log and the model's requests) after {@code timeout}. */
    public TestHome.Result finish(Process session, Duration timeout, String what) {
        try {
            return TestHome.finish(session, timeout, what);
        } catch (AssertionError timedOut) {
            throw new AssertionError(timedOut.getMessage() + describe() + hub.logTail(), timedOut);
        }
    }

    /** The chat files Gemini wrote for the sessions of this HOME ({@code .gemini/tmp/<project>/chats/session-*.jsonl}). */
    public List<Path> chatFiles() {
        Path tmp = home.resolve(".gemini/tmp");
        if (!Files.isDirectory(tmp)) return List.of();
        try (var s = Files.walk(tmp, 3)) {
            return s.filter(p -> p.getParent().getFileName().toString().equals("chats") && p.getFileName().toString().startsWith("session-"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For a failure: what each scripted model was asked. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (ScriptedGemini m : models) sb.append('\n').append(m.describe());
        return sb.toString();
    }

    @Override
    public void close() {
        for (Process p : sessions) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        models.forEach(ScriptedGemini::close);
    }
}
