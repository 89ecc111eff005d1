package dev.huddle.it.support;


import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Codex CLI (installed by {@code .ci/install-clients.sh} into {@code .ci/node}) with a private {@code HOME}
 * and {@code CODEX_HOME}, against the hub of a {@link TestHome}, driven offline by one {@link ScriptedResponses}
 * (Codex reads its provider from {@code config.toml}, so the sessions of one {@code CODEX_HOME} share it; each session
 * gets its own script through {@link ScriptedResponses#on}). {@code config.toml} starts with the offline settings
 * (an unknown model slug, the scripted provider, no approvals, no update check; top-level keys must come before any
 * table), and huddle is installed after them as a user does ({@link #installWithHuddleSetup}). {@code codex exec}
 * runs with {@code --dangerously-bypass-hook-trust} unless told otherwise; a TUI ({@link CodexTui}) trusts the hooks
 * in its review dialog. {@link #close()} ends the sessions, the TUIs' tmux server and the app-server daemon they
 * start, and stops the model.
 */
public final class Codex implements AutoCloseable {
    /** The variable holding the scripted provider's dummy key ({@code env_key}). */
    public static final String API_KEY_VAR = "FAKE_API_KEY";
    /** An unknown model slug: fallback metadata, MCP tools listed directly, no apply_patch tool (patches go through the shell). */
    public static final String MODEL = "fake-model";
    /** A slug Codex 0.169 knows ({@code -c model=...}): the freeform apply_patch tool, MCP tools deferred behind tool_search. */
    public static final String KNOWN_MODEL = "gpt-5.5";
    private static final Pattern SESSION_ID = Pattern.compile("session id: ([0-9a-f-]{36})");
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(120);

    private final TestHome hub;
    private final Path home;
    private final Path codexHome;
    private final ScriptedResponses model;
    private final List<Process> sessions = new ArrayList<>();
    private final List<CodexTui> tuis = new ArrayList<>();

    private Codex(TestHome hub, Path home) {
        this.hub = hub;
        this.home = home;
        this.codexHome = home.resolve(".codex");
        this.model = ScriptedResponses.start();
        try {
            Files.createDirectories(codexHome);
            // /tmp and $TMPDIR are no writable roots of the sandbox: for each writable root, Codex's bubblewrap mounts
            // over its .git, and for /tmp that leaves an empty /tmp/.git on the host, under every other test's scratch dirs.
            Files.writeString(codexHome.resolve("config.toml"), """
                    model = "%s"
                    model_provider = "fake"
                    approval_policy = "never"
                    sandbox_mode = "workspace-write"
                    check_for_update_on_startup = false
                    [model_providers.fake]
                    name = "fake"
                    base_url = "%s"
                    env_key = "%s"
                    wire_api = "responses"
                    request_max_retries = 0
                    stream_max_retries = 0
                    [analytics]
                    enabled = false
                    [sandbox_workspace_write]
                    exclude_slash_tmp = true
                    exclude_tmpdir_env_var = true
                    """.formatted(MODEL, model.baseUrl(), API_KEY_VAR));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Codex environment against {@code hub}'s hub, with a fresh HOME (a scratch directory of that home). */
    public static Codex in(TestHome hub) {
        return new Codex(hub, hub.newDir("cxh"));
    }

    /**
     * -Dhuddle.codex / $HUDDLE_CODEX_BIN, else {@code <repo>/.ci/node/node_modules/.bin/codex}; skips the test without it,
     * except under CI ({@code CI=true}), where the real-client tests must run.
     */
    public static Path binary() {
        return RealClients.binary("huddle.codex", "HUDDLE_CODEX_BIN", "codex", "Codex CLI");
    }

    public TestHome hub() {
        return hub;
    }

    /** The sessions' {@code HOME}. */
    public Path home() {
        return home;
    }

    /** {@code $HOME/.codex}, the sessions' {@code CODEX_HOME}: config.toml, hooks.json, sessions/ (the rollouts). */
    public Path codexHome() {
        return codexHome;
    }

    /** The scripted Responses API every session of this environment talks to. */
    public ScriptedResponses model() {
        return model;
    }

    // ---- installing ----

    /** Marks {@code project} trusted in config.toml (a table, so it goes after everything else). */
    public void trust(Path project) {
        try {
            Files.writeString(codexHome.resolve("config.toml"), "[projects.\"" + project + "\"]\ntrust_level = \"trusted\"\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code huddle setup --client codex} in {@code cwd}, as a user runs it: the MCP server in config.toml, the hooks in hooks.json. */
    public TestHome.Result installWithHuddleSetup(Path cwd) {
        return RealClients.setup(hub, cwd, Map.of("HOME", home.toString(), "CODEX_HOME", codexHome.toString()), "codex");
    }

    /** A huddle CLI command as this user runs it (HOME, CODEX_HOME: {@code huddle doctor} reads Codex's files). */
    public TestHome.Result huddle(Path cwd, String... args) {
        Map<String, String> env = new LinkedHashMap<>(hub.env());
        env.put("HOME", home.toString());
        env.put("CODEX_HOME", codexHome.toString());
        return TestHome.run(cwd, env, TestHome.CLI_TIMEOUT, hub.command(args));
    }

    // ---- sessions ----

    /** The environment of a {@code codex} process: the hub's home's, this HOME and CODEX_HOME, the provider's key. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(hub.env());
        env.put("HOME", home.toString());
        env.put("CODEX_HOME", codexHome.toString());
        env.put(API_KEY_VAR, "x");
        env.put("TMPDIR", "/tmp");
        env.put("PATH", binary().getParent() + File.pathSeparator + env.get("PATH"));
        env.put("HUDDLE_JAVA_HOME", System.getProperty("java.home")); // the launcher would find a JDK 25; pin this one
        return env;
    }

    /** A finished {@code codex exec}: its output and the thread it ran. */
    public record Exec(TestHome.Result result, String threadId) {}

    /** {@code codex exec --dangerously-bypass-hook-trust [args] <prompt>} in {@code cwd}; must exit 0. */
    public Exec exec(Path cwd, String prompt, String... args) {
        List<String> all = new ArrayList<>(List.of("--dangerously-bypass-hook-trust"));
        all.addAll(List.of(args));
        return execAsIs(cwd, prompt, all);
    }

    /** {@code codex exec [args] <prompt>}, hooks as Codex trusts them (untrusted ones are skipped); must exit 0. */
    public Exec execAsIs(Path cwd, String prompt, List<String> args) {
        Process p = startExec(cwd, prompt, args);
        TestHome.Result r;
        try {
            r = TestHome.finish(p, EXEC_TIMEOUT, "codex exec " + prompt);
        } catch (AssertionError timedOut) {
            throw new AssertionError(timedOut.getMessage() + "\n" + model.describe() + hub.logTail(), timedOut);
        }
        assertThat(r.exit()).as("codex exec %s%n%s%n%s%s", prompt, r, model.describe(), hub.logTail()).isZero();
        Matcher m = SESSION_ID.matcher(r.stdout() + r.stderr());
        assertThat(m.find()).as("a session id in codex exec's output%n%s", r).isTrue();
        return new Exec(r, m.group(1));
    }

    /** Starts {@code codex exec [args] <prompt>} without waiting (stdin /dev/null); killed on close. */
    public Process startExec(Path cwd, String prompt, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "exec"));
        cmd.addAll(args);
        cmd.add(prompt);
        return start(cwd, cmd);
    }

    /** Runs {@code codex <args>} to its end (a subcommand: {@code queue}, {@code mcp list}, ...). */
    public TestHome.Result run(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary().toString()));
        cmd.addAll(List.of(args));
        return TestHome.run(cwd, env(), Duration.ofSeconds(60), cmd);
    }

    /** An interactive Codex in a private tmux server, in {@code cwd}; see {@link CodexTui}. */
    public CodexTui tui(Path cwd, String name, List<String> args) {
        CodexTui t = CodexTui.start(this, cwd, name, args);
        tuis.add(t);
        return t;
    }

    private Process start(Path cwd, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env());
        try {
            Process p = pb.start();
            sessions.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rollout (transcript) of a thread: {@code sessions/YYYY/MM/DD/rollout-…-<thread>.jsonl}. */
    public Optional<Path> rollout(String threadId) {
        try (Stream<Path> files = Files.walk(codexHome.resolve("sessions"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-" + threadId + ".jsonl")).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The app-server daemon the TUIs of this CODEX_HOME share ({@code codex app-server --listen unix://}): huddle's agent process. */
    public Optional<ProcessHandle> appServer() {
        return daemons().stream().filter(p -> p.info().arguments().map(a -> List.of(a).contains("--listen")).orElse(false)).findFirst();
    }

    /** The processes Codex started from this CODEX_HOME: the app-server daemon copies its binary under it. */
    List<ProcessHandle> daemons() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").startsWith(codexHome.toString())).toList();
    }

    /** For a failure: what the model was asked. */
    String describe() {
        return "\n" + model.describe();
    }

    @Override
    public void close() {
        tuis.forEach(CodexTui::close);
        for (Process p : sessions) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Path control = codexHome.resolve("app-server-control/app-server-control.sock");
        Path socket = null;
        try {
            if (Files.isSymbolicLink(control)) socket = Files.readSymbolicLink(control);
        } catch (IOException ignored) {
            // nothing to clean
        }
        for (ProcessHandle d : daemons()) {
            d.descendants().forEach(ProcessHandle::destroyForcibly);
            d.destroyForcibly();
        }
        if (socket != null && socket.isAbsolute()) { // the daemon's socket and lock live in /tmp/codex-daemon-<uid>/
            TestHome.deleteRecursively(socket);
            TestHome.deleteRecursively(Path.of(socket + ".lock"));
        }
        model.close();
    }
}
